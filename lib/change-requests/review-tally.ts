import { can, type Role } from "@/lib/auth/permissions";

/**
 * How the reviews of a change request's current revision add up. Only approvals by someone who
 * is not the author and who holds the review permission *now* count (a demoted approver's
 * approval stops counting); a reviewer's latest decision replaces their earlier ones.
 */

export type ReviewStatus = "open" | "changes_requested" | "approved";

export interface TallyReview {
  reviewerId: string;
  decision: "approve" | "request_changes" | "comment";
  createdAt: Date;
  /** The reviewer's role in the project today. */
  role: Role | null;
}

export interface ReviewTally {
  approvedBy: string[];
  changesRequestedBy: string[];
  required: number;
  status: ReviewStatus;
}

/** Approvals a request in this environment needs: none where review is not required. */
export function requiredApprovalsFor(environment: { requireReview: boolean; requiredApprovals: number }): number {
  return environment.requireReview ? Math.max(1, environment.requiredApprovals) : 0;
}

export function tallyReviews(reviews: readonly TallyReview[], authorId: string | null, required: number): ReviewTally {
  const latest = new Map<string, TallyReview>();
  for (const review of [...reviews].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())) {
    if (review.decision === "comment") continue;
    if (review.reviewerId === authorId || !can(review.role, "changes:review")) continue;
    latest.set(review.reviewerId, review);
  }
  const approvedBy = [...latest.values()].filter((r) => r.decision === "approve").map((r) => r.reviewerId);
  const changesRequestedBy = [...latest.values()].filter((r) => r.decision === "request_changes").map((r) => r.reviewerId);
  const status: ReviewStatus = changesRequestedBy.length > 0 ? "changes_requested" : approvedBy.length >= required ? "approved" : "open";
  return { approvedBy, changesRequestedBy, required, status };
}
