import { consoleRead } from "@/lib/api/console-route";
import { countAwaitingMyReview } from "@/lib/change-requests/change-request-view";
import { countOpenFollowUps } from "@/lib/overrides/list-overrides";

/**
 * Counts shown next to navigation items: `incidents` is the overrides awaiting their follow-up
 * review, `changeRequests` the change requests awaiting the caller's review.
 */
export const GET = consoleRead<{ project: string }>(async (access) => {
  const [incidents, changeRequests] = await Promise.all([countOpenFollowUps(access), countAwaitingMyReview(access)]);
  return { incidents, changeRequests };
});
