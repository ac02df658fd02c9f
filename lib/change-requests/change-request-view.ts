import type { ProjectAccess } from "@/lib/auth/access";
import { actingUserId, actorLabel } from "@/lib/auth/actor";
import { can, type Role } from "@/lib/auth/permissions";
import { listChangeRequests, type ChangeRequestDetail, type ChangeRequestListFilter } from "@/lib/data/change-requests";
import { findFlagConfigRevision } from "@/lib/data/flag-configs";
import { getPrisma } from "@/lib/db";
import type { ListChangeRequestsQuery } from "@/lib/schemas/change-request";
import { environmentOrThrow } from "@/lib/projects/environment-or-throw";
import { changeRequestPath } from "./change-request-events";
import { findChangeRequestOrThrow } from "./open-change-request";
import { requiredApprovalsFor, tallyReviews } from "./review-tally";

const person = (u: { id: string; email: string; name: string | null }) => ({ id: u.id, email: u.email, name: u.name ?? u.email });

async function rolesOf(projectId: string, userIds: string[]): Promise<Map<string, Role>> {
  const rows = await getPrisma().membership.findMany({ where: { projectId, userId: { in: userIds } }, select: { userId: true, role: true } });
  return new Map(rows.map((r) => [r.userId, r.role as Role]));
}

/** What the caller may do with a request, so the page offers only what the server would allow. */
function permissionsFor(access: ProjectAccess, request: ChangeRequestDetail, approvedByMe: boolean) {
  const me = actingUserId(access.actor);
  const isAuthor = request.authorId ? request.authorId === me : request.authorLabel === actorLabel(access.actor);
  const reviewer = can(access.role, "changes:review");
  const live = !["applied", "cancelled"].includes(request.status);
  return {
    isAuthor,
    canReview: reviewer && !isAuthor && me !== null && ["open", "changes_requested", "approved"].includes(request.status),
    approvedByMe,
    canApply: (isAuthor || reviewer) && can(access.role, "changes:apply") && ["approved", "scheduled"].includes(request.status),
    canSchedule: (isAuthor || reviewer) && can(access.role, "changes:apply") && request.status === "approved",
    canEdit: (isAuthor || access.role === "admin") && ["draft", "open", "changes_requested", "approved", "conflicted"].includes(request.status),
    canRebase: (isAuthor || access.role === "admin") && request.status === "conflicted",
    canCancel: live && (isAuthor || reviewer || access.role === "admin"),
    canComment: me !== null && can(access.role, "flags:write"),
  };
}

/** One request as the console page and the REST API show it. */
export async function readChangeRequest(access: ProjectAccess, number: number) {
  const request = await findChangeRequestOrThrow(access, number);
  const roles = await rolesOf(access.project.id, [...new Set(request.reviews.map((r) => r.reviewerId))]);
  const current = request.reviews.filter((r) => r.revision === request.revision);
  const tally = tallyReviews(
    current.map((r) => ({ reviewerId: r.reviewerId, decision: r.decision, createdAt: r.createdAt, role: roles.get(r.reviewerId) ?? null })),
    request.authorId,
    requiredApprovalsFor(request.environment),
  );
  const me = actingUserId(access.actor);
  return {
    number: request.number,
    title: request.title,
    description: request.description,
    status: request.status,
    revision: request.revision,
    source: request.source,
    path: changeRequestPath({ number: request.number, project: access.project, environment: request.environment }),
    environment: { key: request.environment.key, name: request.environment.name, color: request.environment.color },
    author: { id: request.authorId, label: request.authorLabel, type: request.authorType },
    createdAt: request.createdAt.toISOString(),
    updatedAt: request.updatedAt.toISOString(),
    scheduledFor: request.scheduledFor?.toISOString() ?? null,
    appliedAt: request.appliedAt?.toISOString() ?? null,
    conflict: request.conflict ?? null,
    approvals: { count: tally.approvedBy.length, required: tally.required, approvedBy: tally.approvedBy, changesRequestedBy: tally.changesRequestedBy },
    items: request.items.map((i) => ({ id: i.id, entityType: i.entityType, entityKey: i.entityKey, baseVersion: i.baseVersion, proposed: i.proposed, diff: i.diff })),
    reviews: request.reviews.map((r) => ({ id: r.id, reviewer: person(r.reviewer), decision: r.decision, revision: r.revision, body: r.body, createdAt: r.createdAt.toISOString(), counts: r.revision === request.revision && tally.approvedBy.includes(r.reviewerId) && r.decision === "approve" })),
    comments: request.comments.map((c) => ({ id: c.id, author: person(c.author), body: c.body, parentId: c.parentId, anchorItemId: c.anchorItemId, anchorRuleId: c.anchorRuleId, createdAt: c.createdAt.toISOString() })),
    transitions: request.transitions.map((t) => ({ from: t.fromStatus, to: t.toStatus, actor: t.actorLabel, note: t.note, at: t.at.toISOString() })),
    viewer: permissionsFor(access, request, me !== null && tally.approvedBy.includes(me)),
  };
}
export type ChangeRequestView = Awaited<ReturnType<typeof readChangeRequest>>;

/**
 * Base, current and proposed configuration of each item, side by side: what a conflicted
 * request's author needs to rebase, and what a reviewer compares.
 */
export async function readChangeRequestVersions(access: ProjectAccess, number: number) {
  const request = await findChangeRequestOrThrow(access, number);
  const prisma = getPrisma();
  return Promise.all(
    request.items.map(async (item) => {
      if (item.entityType === "flag") {
        const [base, current] = await Promise.all([
          findFlagConfigRevision(item.entityId, request.environmentId, item.baseVersion),
          prisma.flagEnvironmentConfig.findUnique({ where: { flagId_environmentId: { flagId: item.entityId, environmentId: request.environmentId } }, select: { config: true, version: true } }),
        ]);
        return { itemId: item.id, entityType: item.entityType, entityKey: item.entityKey, baseVersion: item.baseVersion, base: base?.config ?? null, currentVersion: current?.version ?? null, current: current?.config ?? null, proposed: item.proposed };
      }
      const [base, current] = await Promise.all([
        prisma.segmentConfigRevision.findUnique({ where: { segmentId_environmentId_version: { segmentId: item.entityId, environmentId: request.environmentId, version: item.baseVersion } }, select: { included: true, excluded: true, rules: true } }),
        prisma.segmentEnvironmentConfig.findUnique({ where: { segmentId_environmentId: { segmentId: item.entityId, environmentId: request.environmentId } }, select: { included: true, excluded: true, rules: true, version: true } }),
      ]);
      const content = (c: { included: unknown; excluded: unknown; rules: unknown } | null) => (c ? { included: c.included, excluded: c.excluded, rules: c.rules } : null);
      return { itemId: item.id, entityType: item.entityType, entityKey: item.entityKey, baseVersion: item.baseVersion, base: content(base), currentVersion: current?.version ?? null, current: content(current), proposed: item.proposed };
    }),
  );
}

/** The lists: all, mine, awaiting my review; by environment and state. */
export async function listChangeRequestsFor(access: ProjectAccess, query: ListChangeRequestsQuery) {
  const me = actingUserId(access.actor);
  const environment = query.environment ? await environmentOrThrow(access.project.id, query.environment) : null;
  const filter: ChangeRequestListFilter = {
    projectId: access.project.id,
    ...(environment ? { environmentId: environment.id } : {}),
    ...(query.status?.length ? { statuses: query.status } : {}),
  };
  if (query.view === "mine") filter.authorId = me ?? "-";
  if (query.view === "awaiting_my_review") return { items: (await awaitingReviewBy(access, filter)).slice(0, query.limit).map(summary(access)), nextBefore: null };
  const { rows, hasMore } = await listChangeRequests(filter, { before: query.before, limit: query.limit });
  return { items: rows.map(summary(access)), nextBefore: hasMore ? rows[rows.length - 1].number : null };
}

type ListedRow = Awaited<ReturnType<typeof listChangeRequests>>["rows"][number];

const summary = (access: ProjectAccess) => (row: ListedRow) => ({
  number: row.number,
  title: row.title,
  status: row.status,
  environment: { key: row.environment.key, name: row.environment.name, color: row.environment.color },
  author: row.authorLabel,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
  scheduledFor: row.scheduledFor?.toISOString() ?? null,
  entities: row.items.map((i) => ({ entityType: i.entityType, entityKey: i.entityKey })),
  approvals: row.reviews.filter((r) => r.revision === row.revision && r.decision === "approve").length,
  required: requiredApprovalsFor(row.environment),
  path: changeRequestPath({ number: row.number, project: access.project, environment: row.environment }),
});

/** Open requests by others this caller could approve and has not approved in their current revision. */
async function awaitingReviewBy(access: ProjectAccess, filter: ChangeRequestListFilter): Promise<ListedRow[]> {
  const me = actingUserId(access.actor);
  if (!me || !can(access.role, "changes:review")) return [];
  const { rows } = await listChangeRequests({ ...filter, statuses: ["open", "changes_requested"], notAuthoredBy: me }, { limit: 500 });
  return rows.filter((row) => !row.reviews.some((r) => r.reviewerId === me && r.revision === row.revision && r.decision === "approve"));
}

/** The navigation badge: how many requests wait for the caller's review. */
export async function countAwaitingMyReview(access: ProjectAccess): Promise<number> {
  return (await awaitingReviewBy(access, { projectId: access.project.id })).length;
}

/** Open requests touching one flag or segment in one environment (the editor's banner). */
export async function listOpenRequestsFor(projectId: string, environmentId: string, entity: { type: "flag" | "segment"; id: string }) {
  const { rows } = await listChangeRequests({ projectId, environmentId, entity, statuses: ["draft", "open", "changes_requested", "approved", "scheduled", "conflicted"] }, { limit: 20 });
  return rows.map((r) => ({ number: r.number, title: r.title, status: r.status, author: r.authorLabel }));
}

