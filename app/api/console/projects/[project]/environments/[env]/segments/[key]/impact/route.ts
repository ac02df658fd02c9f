import { consoleRead } from "@/lib/api/console-route";
import { parseJsonBody } from "@/lib/api/handle-route";
import { MAX_SEGMENT_BODY_BYTES, segmentImpactRequestSchema } from "@/lib/schemas/segment";
import { previewSegmentImpact } from "@/lib/segments/preview-segment-impact";

/**
 * The impact of an edit in progress (a read: nothing is saved). POST because the draft, with up
 * to 100,000 keys per list, travels in the body.
 */
export const POST = consoleRead<{ project: string; env: string; key: string }>(async (access, params, request) =>
  previewSegmentImpact(access, params.env, params.key, await parseJsonBody(request, segmentImpactRequestSchema, { maxBytes: MAX_SEGMENT_BODY_BYTES })),
);
