import { getPrisma } from "@/lib/db";

export interface RecentContext {
  contextKey: string;
  /** The public attributes of its latest exposure (private and forbidden ones are never stored). */
  attributes: Record<string, unknown>;
  lastSeenAt: Date;
}

/**
 * The contexts seen most recently in an environment (from raw exposures), each once with the
 * attributes of its latest exposure, newest first: what previews replay an edit against.
 */
export async function listRecentContexts(environmentId: string, since: Date, limit: number): Promise<RecentContext[]> {
  const rows = await getPrisma().$queryRaw<{ contextKey: string; attributes: unknown; timestamp: Date }[]>`
    SELECT "contextKey", attributes, "timestamp" FROM (
      SELECT DISTINCT ON ("contextKey") "contextKey", attributes, "timestamp"
      FROM exposure_events
      WHERE "environmentId" = ${environmentId} AND "timestamp" >= ${since}
      ORDER BY "contextKey", "timestamp" DESC, id DESC
    ) latest
    ORDER BY "timestamp" DESC, "contextKey"
    LIMIT ${limit}`;
  return rows.map((row) => ({
    contextKey: row.contextKey,
    attributes: row.attributes && typeof row.attributes === "object" && !Array.isArray(row.attributes) ? (row.attributes as Record<string, unknown>) : {},
    lastSeenAt: new Date(row.timestamp),
  }));
}
