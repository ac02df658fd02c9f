import { getPrisma, Prisma } from "@/lib/db";

/**
 * Reads of the audit log. The application never updates or deletes audit rows; appends live
 * in lib/audit/append-audit-event.ts. Every read here is keyset-paginated on `id` (the chain
 * order), so a page, an export batch or a verification batch costs the same at row 10 and at
 * row 10,000,000.
 */

/** The filters of the audit page, resolved to column values. */
export interface AuditFilter {
  /** `actorLabel`, exactly: an email, `token:<name>` or `system:<name>`. */
  actorLabel?: string;
  entityType?: string;
  entityKey?: string;
  /** An exact action, or every action starting with `prefix` (`change_request.`). */
  action?: { exact: string } | { prefix: string };
  environmentId?: string;
  /** createdAt ≥ from */
  from?: Date;
  /** createdAt < to */
  to?: Date;
  /** Case-insensitive substring of the entity key, action, reason or actor label. */
  text?: string;
}

/** `%`, `_` and `\` match themselves in LIKE patterns built from user input. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function auditWhere(projectId: string, filter: AuditFilter): Prisma.Sql[] {
  const conditions: Prisma.Sql[] = [Prisma.sql`"projectId" = ${projectId}`];
  if (filter.actorLabel) conditions.push(Prisma.sql`"actorLabel" = ${filter.actorLabel}`);
  if (filter.entityType) conditions.push(Prisma.sql`"entityType" = ${filter.entityType}`);
  if (filter.entityKey) conditions.push(Prisma.sql`"entityKey" = ${filter.entityKey}`);
  if (filter.action && "exact" in filter.action) conditions.push(Prisma.sql`action = ${filter.action.exact}`);
  if (filter.action && "prefix" in filter.action) conditions.push(Prisma.sql`action LIKE ${`${escapeLike(filter.action.prefix)}%`}`);
  if (filter.environmentId) conditions.push(Prisma.sql`"environmentId" = ${filter.environmentId}`);
  if (filter.from || filter.to) {
    const range = [conditions[0]];
    if (filter.from) range.push(Prisma.sql`"createdAt" >= ${filter.from}`);
    if (filter.to) range.push(Prisma.sql`"createdAt" < ${filter.to}`);
    conditions.push(...range.slice(1));
    // Pages and batches walk ids; on its own the planner would walk them from the newest event
    // until it reaches the range (most of the table for a range a year back). The first and last
    // id in the range, read from (projectId, createdAt, id), let it start and stop there. Exact,
    // not a guess: no event of the range lies outside them, and the createdAt conditions stay.
    // (`id + 0`: else PostgreSQL turns min/max into that same walk of the primary key.)
    const where = Prisma.join(range, " AND ");
    conditions.push(Prisma.sql`id >= (SELECT min(id + 0) FROM audit_events WHERE ${where}) AND id <= (SELECT max(id + 0) FROM audit_events WHERE ${where})`);
  }
  if (filter.text) {
    const pattern = `%${escapeLike(filter.text)}%`;
    conditions.push(Prisma.sql`("entityKey" ILIKE ${pattern} OR action ILIKE ${pattern} OR reason ILIKE ${pattern} OR "actorLabel" ILIKE ${pattern})`);
  }
  return conditions;
}

/** A row of the audit table: what the list shows, without the (possibly large) before/after. */
export interface AuditListRow {
  id: bigint;
  createdAt: Date;
  actorType: "user" | "api_token" | "system";
  actorLabel: string;
  action: string;
  entityType: string;
  entityKey: string;
  environmentId: string | null;
  reason: string | null;
  changeRequestId: string | null;
}

/** The query of one page (exported for the index benchmark's EXPLAIN, bench/audit/explain.ts). */
export function auditPageQuery(projectId: string, filter: AuditFilter, beforeId: bigint | undefined, limit: number): Prisma.Sql {
  const conditions = auditWhere(projectId, filter);
  if (beforeId !== undefined) conditions.push(Prisma.sql`id < ${beforeId}`);
  return Prisma.sql`
    SELECT id, "createdAt", "actorType"::text AS "actorType", "actorLabel", action, "entityType", "entityKey", "environmentId", reason, "changeRequestId"
    FROM audit_events
    WHERE ${Prisma.join(conditions, " AND ")}
    ORDER BY id DESC
    LIMIT ${limit}`;
}

/** One page, newest first, of the events before `beforeId` (keyset). */
export async function listAuditEventsPage(projectId: string, filter: AuditFilter, beforeId: bigint | undefined, limit: number) {
  const rows = await getPrisma().$queryRaw<AuditListRow[]>(auditPageQuery(projectId, filter, beforeId, limit + 1));
  return { rows: rows.slice(0, limit), hasMore: rows.length > limit };
}

/** Every stored column of an audit event. */
export interface AuditEventRow extends AuditListRow {
  projectId: string | null;
  actorId: string | null;
  before: unknown;
  after: unknown;
  diff: unknown;
  requestMeta: unknown;
  prevHash: string;
  hash: string;
}

const FULL_COLUMNS = Prisma.sql`id, "projectId", "environmentId", "actorType"::text AS "actorType", "actorId", "actorLabel", action, "entityType", "entityKey",
  before, after, diff, reason, "changeRequestId", "requestMeta", "createdAt", "prevHash", hash`;

/** One event of a project, or null (another project's events are not found). */
export async function findAuditEvent(projectId: string, id: bigint): Promise<AuditEventRow | null> {
  const rows = await getPrisma().$queryRaw<AuditEventRow[]>`
    SELECT ${FULL_COLUMNS} FROM audit_events WHERE id = ${id} AND "projectId" = ${projectId}`;
  return rows[0] ?? null;
}

/** The next `limit` events of a project after `afterId`, oldest first: one batch of an export. */
export function readAuditEventBatch(projectId: string, filter: AuditFilter, afterId: bigint, limit: number): Promise<AuditEventRow[]> {
  return getPrisma().$queryRaw<AuditEventRow[]>(auditExportBatchQuery(projectId, filter, afterId, limit));
}

/** The query of one export batch (exported for bench/audit/explain.ts). */
export function auditExportBatchQuery(projectId: string, filter: AuditFilter, afterId: bigint, limit: number): Prisma.Sql {
  const conditions = [...auditWhere(projectId, filter), Prisma.sql`id > ${afterId}`];
  return Prisma.sql`
    SELECT ${FULL_COLUMNS} FROM audit_events
    WHERE ${Prisma.join(conditions, " AND ")}
    ORDER BY id ASC
    LIMIT ${limit}`;
}

/**
 * The next `limit` events of the whole chain (every project) after `afterId`, in chain order,
 * read through the model so each column comes back exactly as the writer's hash saw it.
 */
export function readAuditChainBatch(afterId: bigint, limit: number) {
  return getPrisma().auditEvent.findMany({ where: { id: { gt: afterId } }, orderBy: { id: "asc" }, take: limit });
}
