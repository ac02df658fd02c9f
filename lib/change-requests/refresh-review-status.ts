import type { AuditStamp } from "@/lib/audit/audit-actor";
import type { Role } from "@/lib/auth/permissions";
import { listReviewsForRevision, transitionChangeRequest } from "@/lib/data/change-requests";
import type { ChangeRequestStatus, Prisma } from "@/lib/db";
import { requiredApprovalsFor, tallyReviews, type ReviewTally } from "./review-tally";

export interface ReviewedRequest {
  id: string;
  projectId: string;
  authorId: string | null;
  revision: number;
  status: ChangeRequestStatus;
  environment: { requireReview: boolean; requiredApprovals: number };
}

/** The tally of the current revision, with each reviewer's role in the project today. */
export async function tallyCurrentRevision(tx: Prisma.TransactionClient, request: ReviewedRequest): Promise<ReviewTally> {
  const reviews = await listReviewsForRevision(tx, request.id, request.revision);
  return tallyReviews(
    reviews.map((r) => ({
      reviewerId: r.reviewerId,
      decision: r.decision,
      createdAt: r.createdAt,
      role: (r.reviewer.memberships.find((m) => m.projectId === request.projectId)?.role ?? null) as Role | null,
    })),
    request.authorId,
    requiredApprovalsFor(request.environment),
  );
}

/**
 * Puts a request under review in the state its current revision's reviews call for (open,
 * changes requested or approved), recording the move. Call it in the transaction that locked
 * the request, after a review, a new revision or a submission. Answers the new status.
 */
export async function refreshReviewStatus(tx: Prisma.TransactionClient, request: ReviewedRequest, stamp: AuditStamp, note?: string): Promise<{ status: ChangeRequestStatus; tally: ReviewTally }> {
  const tally = await tallyCurrentRevision(tx, request);
  const next: ChangeRequestStatus = tally.status;
  if (next !== request.status) {
    await transitionChangeRequest(tx, { id: request.id, from: [request.status], to: next, audit: stamp, note });
  }
  return { status: next, tally };
}
