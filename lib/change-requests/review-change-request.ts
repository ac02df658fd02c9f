import type { ProjectAccess } from "@/lib/auth/access";
import { actingUserId } from "@/lib/auth/actor";
import { can } from "@/lib/auth/permissions";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { auditActorFields } from "@/lib/audit/audit-actor";
import { findComment, insertComment, insertReview, lockChangeRequest } from "@/lib/data/change-requests";
import { getPrisma } from "@/lib/db";
import { AppError, conflict, forbidden } from "@/lib/errors";
import { announceChangeRequest } from "./change-request-events";
import { findChangeRequestOrThrow } from "./open-change-request";
import { refreshReviewStatus } from "./refresh-review-status";

const UNDER_REVIEW = ["open", "changes_requested", "approved"] as const;

/**
 * An approver's decision on the current revision. Authors never approve their own request
 * (whatever their role); reviews are made by people, so service tokens cannot review.
 */
export async function reviewChangeRequest(access: ProjectAccess, number: number, input: { decision: "approve" | "request_changes"; body: string }) {
  const reviewerId = actingUserId(access.actor);
  if (!reviewerId) throw forbidden("Reviews are made by people: sign in, or use a personal API token.");
  if (!can(access.role, "changes:review")) throw forbidden(`Your role is ${access.role}; only approvers and admins review change requests.`);
  const request = await findChangeRequestOrThrow(access, number);
  if (request.authorId === reviewerId) throw forbidden(`You wrote #${number}: someone else has to review it.`);
  if (!(UNDER_REVIEW as readonly string[]).includes(request.status)) {
    throw conflict(`Change request #${number} is ${request.status.replace("_", " ")}; only open requests are reviewed.`);
  }
  const stamp = auditActorFields(access.actor);
  const outcome = await getPrisma().$transaction(async (tx) => {
    const locked = await lockChangeRequest(tx, request.id);
    if (!locked || !(UNDER_REVIEW as readonly string[]).includes(locked.status) || locked.revision !== request.revision) {
      throw conflict(`Change request #${number} changed while you reviewed it (a new revision, or it was applied). Reload and review again.`);
    }
    await insertReview(tx, { changeRequestId: request.id, reviewerId, decision: input.decision, revision: request.revision, body: input.body });
    await appendAuditEvent(tx, {
      ...stamp,
      projectId: access.project.id,
      environmentId: request.environmentId,
      action: input.decision === "approve" ? "change_request.approved_by" : "change_request.changes_requested",
      entityType: "change_request",
      entityKey: `#${number}`,
      after: { decision: input.decision, revision: request.revision, body: input.body },
      changeRequestId: request.id,
    });
    const refreshed = await refreshReviewStatus(tx, { ...request, status: locked.status }, stamp, input.decision === "approve" ? "Approved." : "Changes requested.");
    if (refreshed.status === "approved" && locked.status !== "approved") {
      await announceChangeRequest(tx, "change_request.approved", { ...request, project: access.project }, stamp.actorLabel, { approvedBy: refreshed.tally.approvedBy.length, required: refreshed.tally.required });
    }
    return refreshed;
  });
  return { number, status: outcome.status, approvals: outcome.tally.approvedBy.length, required: outcome.tally.required };
}

/** A comment on a request, threaded (a reply names its parent) and optionally anchored to a rule. */
export async function commentOnChangeRequest(access: ProjectAccess, number: number, input: { body: string; parentId?: string; anchorItemId?: string; anchorRuleId?: string }) {
  const authorId = actingUserId(access.actor);
  if (!authorId) throw forbidden("Comments are written by people: sign in, or use a personal API token.");
  const request = await findChangeRequestOrThrow(access, number);
  if (input.parentId) {
    const parent = await findComment(input.parentId);
    if (!parent || parent.changeRequestId !== request.id) throw new AppError("VALIDATION_FAILED", "The comment you reply to is not on this change request.");
  }
  if (input.anchorItemId && !request.items.some((i) => i.id === input.anchorItemId)) {
    throw new AppError("VALIDATION_FAILED", "The change you comment on is not part of this request.");
  }
  if (input.anchorRuleId && !input.anchorItemId) throw new AppError("VALIDATION_FAILED", "Name the change (anchorItemId) the rule belongs to.");
  const comment = await insertComment({ changeRequestId: request.id, authorId, body: input.body, parentId: input.parentId ?? null, anchorItemId: input.anchorItemId ?? null, anchorRuleId: input.anchorRuleId ?? null });
  return { id: comment.id, createdAt: comment.createdAt.toISOString() };
}
