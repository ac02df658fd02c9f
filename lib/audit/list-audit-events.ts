import { decodeCursor, encodeCursor } from "@/lib/api/cursor";
import type { ProjectAccess } from "@/lib/auth/access";
import { findAuditEvent, listAuditEventsPage, type AuditEventRow, type AuditListRow } from "@/lib/data/audit-events";
import { fieldsInvalid, notFound } from "@/lib/errors";
import type { AuditEventDetail, AuditListItem, AuditListQuery, AuditPage } from "@/lib/schemas/audit";
import { auditFilterFor, type EnvironmentNames } from "./audit-filter";

export function auditListItem(row: AuditListRow, environments: EnvironmentNames): AuditListItem {
  return {
    id: row.id.toString(),
    createdAt: row.createdAt.toISOString(),
    actorType: row.actorType,
    actorLabel: row.actorLabel,
    action: row.action,
    entityType: row.entityType,
    entityKey: row.entityKey,
    environment: environments.keyOf(row.environmentId),
    reason: row.reason,
    changeRequestId: row.changeRequestId,
  };
}

const MAX_ID = 9_223_372_036_854_775_807n;

/** An id as the database can compare it (bigint), or null for anything else. */
export function parseAuditId(text: string): bigint | null {
  if (!/^\d{1,19}$/.test(text)) return null;
  const id = BigInt(text);
  return id <= MAX_ID ? id : null;
}

function cursorId(cursor: string): bigint {
  const id = parseAuditId(decodeCursor(cursor));
  if (id === null) throw fieldsInvalid({ cursor: "This cursor is not one this API handed out; start again without it." });
  return id;
}

/** A page of a project's audit log, newest first, filtered on the server. */
export async function listAuditEvents(access: ProjectAccess, query: AuditListQuery): Promise<AuditPage> {
  const { filter, environments } = await auditFilterFor(access, query);
  const { rows, hasMore } = await listAuditEventsPage(access.project.id, filter, query.cursor ? cursorId(query.cursor) : undefined, query.limit);
  return {
    events: rows.map((row) => auditListItem(row, environments)),
    nextCursor: hasMore && rows.length > 0 ? encodeCursor(rows[rows.length - 1].id.toString()) : null,
  };
}

export function auditEventDetail(row: AuditEventRow, environments: EnvironmentNames): AuditEventDetail {
  return {
    ...auditListItem(row, environments),
    actorId: row.actorId,
    before: row.before,
    after: row.after,
    diff: row.diff,
    requestMeta: (row.requestMeta ?? null) as AuditEventDetail["requestMeta"],
    prevHash: row.prevHash,
    hash: row.hash,
  };
}

/** One event of the project with everything it recorded; another project's events are not found. */
export async function getAuditEvent(access: ProjectAccess, id: string): Promise<AuditEventDetail> {
  const { environments } = await auditFilterFor(access, {});
  const parsed = parseAuditId(id);
  const row = parsed === null ? null : await findAuditEvent(access.project.id, parsed);
  if (!row) throw notFound(`Audit event ${id}`);
  return auditEventDetail(row, environments);
}
