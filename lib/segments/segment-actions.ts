import { defineProjectAction } from "@/lib/actions/define-action";
import {
  createSegmentActionSchema,
  deleteSegmentActionSchema,
  saveSegmentConfigActionSchema,
  updateSegmentActionSchema,
} from "@/lib/schemas/segment";
import { createSegment } from "./create-segment";
import { deleteSegment } from "./delete-segment";
import { updateSegment } from "./update-segment";
import { updateSegmentConfig } from "./update-segment-config";

/** The segments console's mutations: the same services as the REST routes. */

export const createSegmentDefinition = defineProjectAction({
  name: "createSegment",
  schema: createSegmentActionSchema,
  permission: "segments:write",
  handler: ({ projectKey: _project, ...body }, access) => createSegment(access, body),
});

export const updateSegmentDefinition = defineProjectAction({
  name: "updateSegment",
  schema: updateSegmentActionSchema,
  permission: "segments:write",
  handler: ({ projectKey: _project, segmentKey, ...body }, access) => updateSegment(access, segmentKey, body),
});

export const saveSegmentConfigDefinition = defineProjectAction({
  name: "saveSegmentConfig",
  schema: saveSegmentConfigActionSchema,
  permission: "segments:write",
  handler: async (data, access) => {
    const saved = await updateSegmentConfig(access, {
      environmentKey: data.environmentKey,
      segmentKey: data.segmentKey,
      included: data.included,
      excluded: data.excluded,
      rules: data.rules,
      expectedVersion: data.version,
      reason: data.reason,
    });
    // The key lists go back to the page through its read; the answer stays small.
    return { version: saved.version, removedDuplicates: saved.removedDuplicates, warnings: saved.warnings, counts: { included: saved.included.length, excluded: saved.excluded.length } };
  },
});

export const deleteSegmentDefinition = defineProjectAction({
  name: "deleteSegment",
  schema: deleteSegmentActionSchema,
  permission: "segments:write",
  handler: (data, access) => deleteSegment(access, data.segmentKey),
});
