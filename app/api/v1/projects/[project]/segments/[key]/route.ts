import { apiRoute, parseJsonBody } from "@/lib/api/handle-route";
import { requireProjectPermission } from "@/lib/auth/access";
import { updateSegmentBodySchema } from "@/lib/schemas/segment";
import { deleteSegment } from "@/lib/segments/delete-segment";
import { readSegment } from "@/lib/segments/read-segment";
import { updateSegment } from "@/lib/segments/update-segment";

type Params = { project: string; key: string };

/** The segment, its size per environment and the flags that use it. */
export const GET = apiRoute<Params>(async (_request, { actor, params }) => {
  const access = await requireProjectPermission(actor, params.project, "project:read");
  return Response.json(await readSegment(access, params.key));
});

export const PATCH = apiRoute<Params>(async (request, { actor, params }) => {
  const access = await requireProjectPermission(actor, params.project, "segments:write");
  return Response.json(await updateSegment(access, params.key, await parseJsonBody(request, updateSegmentBodySchema)));
});

/** Refused (409, naming them) while any flag or segment rule refers to it. */
export const DELETE = apiRoute<Params>(async (_request, { actor, params }) => {
  const access = await requireProjectPermission(actor, params.project, "segments:write");
  await deleteSegment(access, params.key);
  return new Response(null, { status: 204 });
});
