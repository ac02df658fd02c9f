import type { ProjectAccess } from "@/lib/auth/access";
import { csvLine } from "@/lib/audit/csv";
import { getPrisma } from "@/lib/db";
import { consoleFlagListQuerySchema } from "@/lib/schemas/flag";
import { listFlagRows } from "./list-flags";

/**
 * The "stale flags" report: every flag that is stale in at least one environment (past expiry,
 * serving one variation to everyone for 30 days, or no evaluations in 30 days where the
 * environment reports exposures), with why, per environment — the cleanup list for owners.
 * Built from the flags list's own staleness, so the report, the badge and the filter agree.
 */
export interface StaleFlag {
  key: string;
  name: string;
  owner: { email: string; name: string } | null;
  lifecycle: string;
  expiresAt: string | null;
  lastChangedAt: string;
  staleIn: { environmentKey: string; environmentName: string; reasons: string[] }[];
}

/** Beyond this many stale flags per environment the report says it is cut (the list pages further). */
export const STALE_REPORT_LIMIT = 1000;

export async function loadStaleFlagsReport(access: ProjectAccess, now = new Date()): Promise<{ flags: StaleFlag[]; truncated: boolean }> {
  const environments = await getPrisma().environment.findMany({ where: { projectId: access.project.id }, orderBy: [{ sortOrder: "asc" }, { key: "asc" }] });
  const byKey = new Map<string, StaleFlag>();
  let truncated = false;
  for (const environment of environments) {
    let cursor: string | undefined;
    let seen = 0;
    do {
      const query = consoleFlagListQuerySchema.parse({ stale: "true", limit: "200", sort: "key", ...(cursor ? { cursor } : {}) });
      const page = await listFlagRows(access, environment.key, query, now);
      for (const flag of page.flags) {
        const entry = byKey.get(flag.key) ?? { key: flag.key, name: flag.name, owner: flag.owner, lifecycle: flag.lifecycle, expiresAt: flag.expiresAt, lastChangedAt: flag.lastChangedAt, staleIn: [] };
        entry.staleIn.push({ environmentKey: environment.key, environmentName: environment.name, reasons: flag.staleReasons });
        byKey.set(flag.key, entry);
      }
      seen += page.flags.length;
      cursor = page.nextCursor ?? undefined;
    } while (cursor && seen < STALE_REPORT_LIMIT);
    if (cursor) truncated = true;
  }
  // Stale everywhere first: those are the safest to remove.
  const flags = [...byKey.values()].sort((a, b) => b.staleIn.length - a.staleIn.length || a.key.localeCompare(b.key));
  return { flags, truncated };
}

export function staleFlagsCsv(flags: readonly StaleFlag[]): string {
  const header = csvLine(["flag", "name", "owner", "lifecycle", "expires", "last change", "stale in", "reasons"]);
  const lines = flags.map((f) =>
    csvLine([
      f.key,
      f.name,
      f.owner?.email ?? "",
      f.lifecycle,
      f.expiresAt ?? "",
      f.lastChangedAt,
      f.staleIn.map((s) => s.environmentKey).join(" "),
      f.staleIn.map((s) => `${s.environmentKey}: ${s.reasons.join("; ")}`).join(" | "),
    ]),
  );
  return [header, ...lines].join("");
}
