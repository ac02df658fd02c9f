import { apiRoute, parseSearchParams } from "@/lib/api/handle-route";
import { requireProjectPermission } from "@/lib/auth/access";
import { listChangeRequestsFor } from "@/lib/change-requests/change-request-view";
import { listChangeRequestsQuerySchema } from "@/lib/schemas/change-request";

/** Change requests of the project, newest first: by environment, state, mine or awaiting my review. */
export const GET = apiRoute<{ project: string }>(async (request, { actor, params }) => {
  const access = await requireProjectPermission(actor, params.project, "project:read");
  return Response.json(await listChangeRequestsFor(access, parseSearchParams(request, listChangeRequestsQuerySchema)));
});
