import { apiRoute, parseJsonBody, parseSearchParams } from "@/lib/api/handle-route";
import { requireProjectPermission } from "@/lib/auth/access";
import { createSegmentBodySchema, listSegmentsQuerySchema } from "@/lib/schemas/segment";
import { createSegment } from "@/lib/segments/create-segment";
import { listSegments } from "@/lib/segments/list-segments";

type Params = { project: string };

export const GET = apiRoute<Params>(async (request, { actor, params }) => {
  const access = await requireProjectPermission(actor, params.project, "project:read");
  return Response.json(await listSegments(access, parseSearchParams(request, listSegmentsQuerySchema)));
});

/** Creates a segment, empty in every environment. */
export const POST = apiRoute<Params>(async (request, { actor, params }) => {
  const access = await requireProjectPermission(actor, params.project, "segments:write");
  const segment = await createSegment(access, await parseJsonBody(request, createSegmentBodySchema));
  return Response.json(segment, {
    status: 201,
    headers: { Location: `/api/v1/projects/${access.project.key}/segments/${encodeURIComponent(segment.key)}` },
  });
});
