import { apiRoute, parseJsonBody } from "@/lib/api/handle-route";
import { requireProjectPermission } from "@/lib/auth/access";
import { readChangeRequest } from "@/lib/change-requests/change-request-view";
import { proposePromotion } from "@/lib/change-requests/promote-flag";
import { promotionBodySchema } from "@/lib/schemas/change-request";

type Params = { project: string; key: string };

/** Proposes copying a flag's configuration from one environment to another, as a change request there. */
export const POST = apiRoute<Params>(async (request, { actor, params }) => {
  const access = await requireProjectPermission(actor, params.project, "flags:write");
  const body = await parseJsonBody(request, promotionBodySchema);
  const opened = await proposePromotion(access, params.key, body);
  return Response.json(await readChangeRequest(access, opened.number), { status: 201 });
});
