import { apiRoute, parseJsonBody } from "@/lib/api/handle-route";
import { requireProjectPermission } from "@/lib/auth/access";
import { MAX_SEGMENT_BODY_BYTES, replaceSegmentConfigBodySchema } from "@/lib/schemas/segment";
import { readSegmentConfig } from "@/lib/segments/read-segment-config";
import { updateSegmentConfig } from "@/lib/segments/update-segment-config";

type Params = { project: string; env: string; key: string };

export const GET = apiRoute<Params>(async (_request, { actor, params }) => {
  const access = await requireProjectPermission(actor, params.project, "project:read");
  return Response.json(await readSegmentConfig(access, params.env, params.key));
});

/** Replaces the membership; `version` must be the current one (else 409 with the current). */
export const PUT = apiRoute<Params>(async (request, { actor, params }) => {
  const access = await requireProjectPermission(actor, params.project, "segments:write");
  const body = await parseJsonBody(request, replaceSegmentConfigBodySchema, { maxBytes: MAX_SEGMENT_BODY_BYTES });
  return Response.json(
    await updateSegmentConfig(access, {
      environmentKey: params.env,
      segmentKey: params.key,
      included: body.included,
      excluded: body.excluded,
      rules: body.rules,
      expectedVersion: body.version,
      reason: body.reason,
    }),
  );
});
