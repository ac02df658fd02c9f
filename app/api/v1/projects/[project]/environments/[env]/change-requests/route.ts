import { apiRoute, parseJsonBody } from "@/lib/api/handle-route";
import { requireProjectPermission } from "@/lib/auth/access";
import { openChangeRequest } from "@/lib/change-requests/open-change-request";
import { readChangeRequest } from "@/lib/change-requests/change-request-view";
import { MAX_SEGMENT_BODY_BYTES } from "@/lib/schemas/segment";
import { createChangeRequestBodySchema } from "@/lib/schemas/change-request";

type Params = { project: string; env: string };

/** Proposes changes to flags and segments of one environment, applied together once approved. */
export const POST = apiRoute<Params>(async (request, { actor, params }) => {
  const access = await requireProjectPermission(actor, params.project, "flags:write");
  const body = await parseJsonBody(request, createChangeRequestBodySchema, { maxBytes: MAX_SEGMENT_BODY_BYTES });
  const opened = await openChangeRequest(access, { environmentKey: params.env, ...body, source: "api" });
  return Response.json(await readChangeRequest(access, opened.number), { status: 201 });
});
