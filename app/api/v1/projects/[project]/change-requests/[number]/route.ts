import { apiRoute, parseParam } from "@/lib/api/handle-route";
import { requireProjectPermission } from "@/lib/auth/access";
import { readChangeRequest } from "@/lib/change-requests/change-request-view";
import { changeRequestNumberSchema } from "@/lib/schemas/change-request";

/** One change request: items with their rule-level diffs, reviews, comments and state history. */
export const GET = apiRoute<{ project: string; number: string }>(async (_request, { actor, params }) => {
  const access = await requireProjectPermission(actor, params.project, "project:read");
  return Response.json(await readChangeRequest(access, parseParam(changeRequestNumberSchema, params.number, "change request number")));
});
