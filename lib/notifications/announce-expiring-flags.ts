import { claimEventKey, listFlagsExpiringBetween } from "@/lib/data/expiring-flags";
import { getPrisma } from "@/lib/db";
import { publishProjectEvent } from "./publish-project-event";

/** How far ahead a flag's expiry is announced. */
export const EXPIRY_NOTICE_DAYS = 7;
const DAY_MS = 24 * 60 * 60_000;

/**
 * Announces `flag.expiring` for flags that expire within the notice window: once per flag and
 * expiry day (a key in published_event_keys), so every scheduler tick may call it; moving the
 * expiry to another day announces again.
 */
export async function announceExpiringFlags(now: Date, withinDays = EXPIRY_NOTICE_DAYS): Promise<number> {
  const flags = await listFlagsExpiringBetween(now, new Date(now.getTime() + withinDays * DAY_MS));
  let announced = 0;
  for (const flag of flags) {
    const expiresAt = flag.expiresAt!;
    const day = expiresAt.toISOString().slice(0, 10);
    const daysLeft = Math.max(0, Math.ceil((expiresAt.getTime() - now.getTime()) / DAY_MS));
    const published = await getPrisma().$transaction(async (tx) => {
      if (!(await claimEventKey(tx, `flag.expiring:${flag.id}:${day}`))) return false;
      await publishProjectEvent(
        tx,
        {
          type: "flag.expiring",
          projectId: flag.project.id,
          title: `Flag ${flag.key} expires on ${day} (in ${daysLeft} day${daysLeft === 1 ? "" : "s"})`,
          summary: `“${flag.name}” is due for clean-up${flag.owner ? `; owner ${flag.owner.email}` : ""}. Release it fully or archive it, or move its expiry date.`,
          link: `/${flag.project.key}`,
          actorLabel: "system:scheduler",
          data: { flagKey: flag.key, expiresAt: expiresAt.toISOString(), daysLeft, owner: flag.owner?.email ?? null },
        },
        now,
      );
      return true;
    });
    if (published) announced++;
  }
  return announced;
}
