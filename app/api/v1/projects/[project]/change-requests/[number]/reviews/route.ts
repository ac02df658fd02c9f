import { apiRoute, parseJsonBody, parseParam } from "@/lib/api/handle-route";
import { requireProjectPermission } from "@/lib/auth/access";
import { readChangeRequest } from "@/lib/change-requests/change-request-view";
import { reviewChangeRequest } from "@/lib/change-requests/review-change-request";
import { changeRequestNumberSchema, reviewBodySchema } from "@/lib/schemas/change-request";

/** Approve or request changes (approvers and admins, never the author; personal tokens only). */
export const POST = apiRoute<{ project: string; number: string }>(async (request, { actor, params }) => {
  const access = await requireProjectPermission(actor, params.project, "changes:review");
  const number = parseParam(changeRequestNumberSchema, params.number, "change request number");
  await reviewChangeRequest(access, number, await parseJsonBody(request, reviewBodySchema));
  return Response.json(await readChangeRequest(access, number), { status: 201 });
});
