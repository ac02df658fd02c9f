import { consoleRead } from "@/lib/api/console-route";
import { parseSearchParams } from "@/lib/api/handle-route";
import { countAwaitingMyReview, listChangeRequestsFor } from "@/lib/change-requests/change-request-view";
import { listChangeRequestsQuerySchema } from "@/lib/schemas/change-request";

/** The change request lists (all, mine, awaiting my review) and the navigation badge's count. */
export const GET = consoleRead(async (access, _params, request) => {
  const query = parseSearchParams(request, listChangeRequestsQuerySchema);
  const [list, awaitingMyReview] = await Promise.all([listChangeRequestsFor(access, query), countAwaitingMyReview(access)]);
  return { ...list, awaitingMyReview };
});
