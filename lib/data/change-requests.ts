import { recordAudit, type AuditEventInput } from "@/lib/audit/append-audit-event";
import type { AuditStamp } from "@/lib/audit/audit-actor";
import { getPrisma, Prisma, type ChangeRequestStatus, type ChangeEntityType, type ReviewDecision } from "@/lib/db";

/** A change request with everything its page shows. */
export const CHANGE_REQUEST_DETAIL = {
  environment: { select: { id: true, key: true, name: true, color: true, requireReview: true, requiredApprovals: true } },
  items: { orderBy: { position: "asc" } },
  reviews: { orderBy: { createdAt: "asc" }, include: { reviewer: { select: { id: true, email: true, name: true } } } },
  comments: { orderBy: { createdAt: "asc" }, include: { author: { select: { id: true, email: true, name: true } } } },
  transitions: { orderBy: { at: "asc" } },
} satisfies Prisma.ChangeRequestInclude;

export type ChangeRequestDetail = Prisma.ChangeRequestGetPayload<{ include: typeof CHANGE_REQUEST_DETAIL }>;

export function findChangeRequest(projectId: string, number: number, db: Prisma.TransactionClient = getPrisma()): Promise<ChangeRequestDetail | null> {
  return db.changeRequest.findUnique({ where: { projectId_number: { projectId, number } }, include: CHANGE_REQUEST_DETAIL });
}

export interface NewChangeRequestItem {
  entityType: ChangeEntityType;
  entityId: string;
  entityKey: string;
  baseVersion: number;
  proposed: unknown;
  diff: unknown;
}

export interface NewChangeRequest {
  projectId: string;
  environmentId: string;
  title: string;
  description: string;
  status: ChangeRequestStatus;
  authorId: string | null;
  authorType: AuditStamp["actorType"];
  authorLabel: string;
  source: string;
  items: NewChangeRequestItem[];
}

const json = (value: unknown) => value as Prisma.InputJsonValue;

function itemRow(item: NewChangeRequestItem, position: number) {
  return { entityType: item.entityType, entityId: item.entityId, entityKey: item.entityKey, baseVersion: item.baseVersion, proposed: json(item.proposed), diff: json(item.diff), position };
}

/**
 * Inserts a change request numbered max + 1 in its project. Two creations racing for a number
 * meet the unique constraint; the loser retries with the next number.
 */
export async function insertChangeRequest(request: NewChangeRequest, audit: AuditStamp, afterInsert: (tx: Prisma.TransactionClient, number: number, id: string) => Promise<void>, auditExtra?: Partial<AuditEventInput>) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await getPrisma().$transaction(async (tx) => {
        const last = await tx.changeRequest.findFirst({ where: { projectId: request.projectId }, orderBy: { number: "desc" }, select: { number: true } });
        const number = (last?.number ?? 0) + 1;
        const { items, ...fields } = request;
        const created = await tx.changeRequest.create({
          data: { ...fields, number, items: { create: items.map(itemRow) } },
        });
        await tx.changeRequestTransition.create({
          data: { changeRequestId: created.id, fromStatus: null, toStatus: request.status, actorType: audit.actorType, actorId: audit.actorId ?? null, actorLabel: audit.actorLabel },
        });
        await recordAudit(tx, {
          ...audit,
          projectId: request.projectId,
          environmentId: request.environmentId,
          action: "change_request.created",
          entityType: "change_request",
          entityKey: `#${number}`,
          after: { title: request.title, status: request.status, items: items.map((i) => ({ entityType: i.entityType, entityKey: i.entityKey, baseVersion: i.baseVersion })) },
          diff: items.map((i) => ({ entityType: i.entityType, entityKey: i.entityKey, diff: i.diff })),
          changeRequestId: created.id,
          ...auditExtra,
        });
        await afterInsert(tx, number, created.id);
        return created;
      });
    } catch (error) {
      const duplicate = error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
      if (!duplicate || attempt >= 5) throw error;
    }
  }
}

/**
 * Moves a change request from one of `from` to `to` with its transition row, under a row lock so
 * two moves at once cannot both succeed. Null when it was no longer in one of `from`.
 */
export async function transitionChangeRequest(
  tx: Prisma.TransactionClient,
  input: { id: string; from: readonly ChangeRequestStatus[]; to: ChangeRequestStatus; audit: AuditStamp; note?: string; data?: Prisma.ChangeRequestUpdateInput },
): Promise<{ fromStatus: ChangeRequestStatus } | null> {
  const [row] = await tx.$queryRaw<{ status: ChangeRequestStatus }[]>`SELECT status FROM change_requests WHERE id = ${input.id} FOR UPDATE`;
  if (!row || !input.from.includes(row.status)) return null;
  await tx.changeRequest.update({ where: { id: input.id }, data: { ...input.data, status: input.to } });
  await tx.changeRequestTransition.create({
    data: {
      changeRequestId: input.id,
      fromStatus: row.status,
      toStatus: input.to,
      actorType: input.audit.actorType,
      actorId: input.audit.actorId ?? null,
      actorLabel: input.audit.actorLabel,
      note: input.note ?? null,
    },
  });
  return { fromStatus: row.status };
}

/** Locks the request row and answers its status and revision (the basis of a review or an edit). */
export async function lockChangeRequest(tx: Prisma.TransactionClient, id: string) {
  const [row] = await tx.$queryRaw<{ status: ChangeRequestStatus; revision: number }[]>`SELECT status, revision FROM change_requests WHERE id = ${id} FOR UPDATE`;
  return row ?? null;
}

export function insertReview(tx: Prisma.TransactionClient, review: { changeRequestId: string; reviewerId: string; decision: ReviewDecision; revision: number; body: string }) {
  return tx.changeRequestReview.create({ data: review });
}

export function listReviewsForRevision(tx: Prisma.TransactionClient, changeRequestId: string, revision: number) {
  return tx.changeRequestReview.findMany({
    where: { changeRequestId, revision },
    orderBy: { createdAt: "asc" },
    select: { reviewerId: true, decision: true, createdAt: true, reviewer: { select: { memberships: { select: { projectId: true, role: true } } } } },
  });
}

/** Replaces the proposed items and starts a new revision (approvals of the old one stop counting). */
export async function replaceChangeRequestItems(tx: Prisma.TransactionClient, changeRequestId: string, items: NewChangeRequestItem[], revision: number) {
  await tx.changeRequestItem.deleteMany({ where: { changeRequestId } });
  await tx.changeRequestItem.createMany({ data: items.map((item, position) => ({ changeRequestId, ...itemRow(item, position) })) });
  await tx.changeRequest.update({ where: { id: changeRequestId }, data: { revision, conflict: Prisma.DbNull } });
}

export function insertComment(comment: { changeRequestId: string; authorId: string; body: string; parentId?: string | null; anchorItemId?: string | null; anchorRuleId?: string | null }) {
  return getPrisma().changeRequestComment.create({ data: comment, include: { author: { select: { id: true, email: true, name: true } } } });
}

export function findComment(id: string) {
  return getPrisma().changeRequestComment.findUnique({ where: { id }, select: { id: true, changeRequestId: true } });
}

export interface ChangeRequestListFilter {
  projectId: string;
  environmentId?: string;
  statuses?: ChangeRequestStatus[];
  authorId?: string;
  /** Open requests someone other than this user wrote (the caller drops those they approved). */
  notAuthoredBy?: string;
  entity?: { type: ChangeEntityType; id: string };
}

function listWhere(filter: ChangeRequestListFilter): Prisma.ChangeRequestWhereInput {
  return {
    projectId: filter.projectId,
    ...(filter.environmentId ? { environmentId: filter.environmentId } : {}),
    ...(filter.statuses?.length ? { status: { in: filter.statuses } } : {}),
    ...(filter.authorId ? { authorId: filter.authorId } : {}),
    ...(filter.entity ? { items: { some: { entityType: filter.entity.type, entityId: filter.entity.id } } } : {}),
    ...(filter.notAuthoredBy ? { OR: [{ authorId: null }, { authorId: { not: filter.notAuthoredBy } }] } : {}),
  };
}

export async function listChangeRequests(filter: ChangeRequestListFilter, page: { before?: number; limit: number }) {
  const rows = await getPrisma().changeRequest.findMany({
    where: { ...listWhere(filter), ...(page.before ? { number: { lt: page.before } } : {}) },
    orderBy: { number: "desc" },
    take: page.limit + 1,
    include: {
      environment: { select: { key: true, name: true, color: true, requiredApprovals: true, requireReview: true } },
      items: { select: { entityType: true, entityKey: true }, orderBy: { position: "asc" } },
      reviews: { select: { reviewerId: true, decision: true, revision: true } },
    },
  });
  return { rows: rows.slice(0, page.limit), hasMore: rows.length > page.limit };
}

export function countChangeRequests(filter: ChangeRequestListFilter) {
  return getPrisma().changeRequest.count({ where: listWhere(filter) });
}

/** Scheduled requests due at `now`, oldest first (the scheduler applies them). */
export function listDueScheduledChangeRequests(now: Date) {
  return getPrisma().changeRequest.findMany({
    where: { status: "scheduled", scheduledFor: { lte: now } },
    orderBy: { scheduledFor: "asc" },
    select: { id: true, projectId: true, number: true },
  });
}

/** The live configuration version of a request item's flag or segment (null: it no longer exists there). */
export async function findItemCurrentVersion(item: { entityType: ChangeEntityType; entityId: string }, environmentId: string): Promise<number | null> {
  const prisma = getPrisma();
  const row =
    item.entityType === "flag"
      ? await prisma.flagEnvironmentConfig.findUnique({ where: { flagId_environmentId: { flagId: item.entityId, environmentId } }, select: { version: true } })
      : await prisma.segmentEnvironmentConfig.findUnique({ where: { segmentId_environmentId: { segmentId: item.entityId, environmentId } }, select: { version: true } });
  return row?.version ?? null;
}
