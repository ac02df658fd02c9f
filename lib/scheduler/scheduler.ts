import { applyDueChangeRequests } from "@/lib/change-requests/apply-change-request";
import { getDatabase, getPrisma } from "@/lib/db";
import { announceExpiringFlags } from "@/lib/notifications/announce-expiring-flags";

/** Arbitrary constant naming the scheduler's advisory lock: one instance ticks at a time. */
export const SCHEDULER_LOCK_KEY = 0x5_7a1d_0002;
export const SCHEDULER_TICK_MS = 15_000;

/**
 * One scheduler pass at `now`: applies the change requests scheduled for then and announces
 * flags that expire soon. Plain and idempotent: a request is applied once (its state moves under
 * a row lock), an expiry is announced once per flag and day, and a pass that finds nothing due
 * does nothing. Rollout stages join this tick when rollouts land.
 */
export async function runSchedulerTick(now: Date) {
  return { changeRequests: await applyDueChangeRequests(now), expiringFlagsAnnounced: await announceExpiringFlags(now) };
}

/**
 * Runs a tick unless another instance is running one. On PostgreSQL a transaction-scoped
 * advisory lock held for the pass decides; the embedded database has one process by design.
 */
export async function runSchedulerTickExclusively(now: Date) {
  if (getDatabase().handle.config.kind === "pglite") return runSchedulerTick(now);
  return getPrisma().$transaction(
    async (tx) => {
      const [{ locked }] = await tx.$queryRawUnsafe<{ locked: boolean }[]>(`SELECT pg_try_advisory_xact_lock(${SCHEDULER_LOCK_KEY}) AS locked`);
      return locked ? runSchedulerTick(now) : null;
    },
    { timeout: 120_000, maxWait: 10_000 },
  );
}

/** Starts the fixed tick in the server process; answers a stop function. */
export function startScheduler(intervalMs = SCHEDULER_TICK_MS): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const result = await runSchedulerTickExclusively(new Date());
      for (const r of result?.changeRequests ?? []) console.log(`scheduler: change request #${r.number} ${r.outcome.status}`);
    } catch (error) {
      console.error("scheduler tick failed", error);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
