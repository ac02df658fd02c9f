import { describe, expect, test } from "vitest";
import { requiredApprovalsFor, tallyReviews, type TallyReview } from "./review-tally";

const at = (s: number) => new Date(2026, 0, 1, 0, 0, s);
const review = (reviewerId: string, decision: TallyReview["decision"], s: number, role: TallyReview["role"] = "approver"): TallyReview => ({ reviewerId, decision, createdAt: at(s), role });

describe("tallyReviews", () => {
  test("one approval by an approver other than the author approves a one-approval request", () => {
    expect(tallyReviews([review("b", "approve", 1)], "a", 1)).toMatchObject({ status: "approved", approvedBy: ["b"] });
  });

  test("the author's own approval never counts, even as admin", () => {
    expect(tallyReviews([review("a", "approve", 1, "admin")], "a", 1).status).toBe("open");
  });

  test("editors and viewers do not count; admins do", () => {
    expect(tallyReviews([review("e", "approve", 1, "editor"), review("v", "approve", 2, "viewer")], "a", 1).status).toBe("open");
    expect(tallyReviews([review("x", "approve", 1, "admin")], "a", 1).status).toBe("approved");
  });

  test("two required: one is not enough; the same reviewer twice is still one", () => {
    expect(tallyReviews([review("b", "approve", 1), review("b", "approve", 2)], "a", 2).status).toBe("open");
    expect(tallyReviews([review("b", "approve", 1), review("c", "approve", 2)], "a", 2).status).toBe("approved");
  });

  test("a request for changes holds the request until that reviewer approves", () => {
    const held = [review("b", "approve", 1), review("c", "request_changes", 2)];
    expect(tallyReviews(held, "a", 1)).toMatchObject({ status: "changes_requested", changesRequestedBy: ["c"] });
    expect(tallyReviews([...held, review("c", "approve", 3)], "a", 1).status).toBe("approved");
  });

  test("environments without review need no approval; with review at least one", () => {
    expect(requiredApprovalsFor({ requireReview: false, requiredApprovals: 2 })).toBe(0);
    expect(requiredApprovalsFor({ requireReview: true, requiredApprovals: 0 })).toBe(1);
    expect(requiredApprovalsFor({ requireReview: true, requiredApprovals: 2 })).toBe(2);
    expect(tallyReviews([], "a", 0).status).toBe("approved");
  });
});
