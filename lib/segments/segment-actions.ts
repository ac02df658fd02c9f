import { proposeFromEditor } from "@/lib/change-requests/propose-from-editor";
import { environmentOrThrow } from "@/lib/projects/environment-or-throw";
import { proposalDetailsSchema } from "@/lib/schemas/change-request";
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
  schema: saveSegmentConfigActionSchema.extend({ proposal: proposalDetailsSchema.optional() }),
  permission: "segments:write",
  handler: async (data, access) => {
    const environment = await environmentOrThrow(access.project.id, data.environmentKey);
    if (environment.requireReview) {
      const change = { entityType: "segment" as const, key: data.segmentKey, baseVersion: data.version, included: data.included, excluded: data.excluded, rules: data.rules };
      const { changeRequest } = await proposeFromEditor(access, environment, change, data.proposal, data.reason);
      return { version: data.version, removedDuplicates: { included: 0, excluded: 0 }, warnings: [], counts: { included: data.included.length, excluded: data.excluded.length }, changeRequest };
    }
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
    return { version: saved.version, removedDuplicates: saved.removedDuplicates, warnings: saved.warnings, counts: { included: saved.included.length, excluded: saved.excluded.length }, changeRequest: null };
  },
});

export const deleteSegmentDefinition = defineProjectAction({
  name: "deleteSegment",
  schema: deleteSegmentActionSchema,
  permission: "segments:write",
  handler: (data, access) => deleteSegment(access, data.segmentKey),
});
