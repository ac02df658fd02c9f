import { z } from "zod";
import { defineProjectAction } from "@/lib/actions/define-action";
import { createFlagBodySchema, updateFlagBodySchema } from "@/lib/schemas/flag";
import { flagKeySchema } from "@/lib/schemas/flag-config";
import { createFlagTestCaseSchema, deleteFlagTestCaseSchema, updateFlagTestCaseSchema } from "@/lib/schemas/flag-test-case";
import { saveFlagConfigSchema } from "@/lib/schemas/save-flag-config";
import { projectKeySchema } from "@/lib/schemas/project";
import { archiveFlag } from "./archive-flag";
import { createFlag } from "./create-flag";
import { changeFlagTestCase, createFlagTestCase, removeFlagTestCase } from "./flag-test-cases";
import { saveFlagConfig } from "./save-flag-config";
import { updateFlag } from "./update-flag";

/** The flag page's and the create wizard's mutations. */

/** The wizard sends the REST create body, nested under `flag` (field errors read `flag.<field>`). */
export const createFlagActionSchema = z.object({ projectKey: projectKeySchema, flag: createFlagBodySchema });

export const saveFlagConfigDefinition = defineProjectAction({
  name: "saveFlagConfig",
  schema: saveFlagConfigSchema,
  permission: "flags:write",
  handler: (data, access) => saveFlagConfig(access, data),
});

export const createFlagDefinition = defineProjectAction({
  name: "createFlag",
  schema: createFlagActionSchema,
  permission: "flags:write",
  // The same service as POST /api/v1/projects/{project}/flags: one create path.
  handler: (data, access) => createFlag(access, data.flag),
});

/**
 * The flag page's settings form: the same service as PATCH /api/v1/projects/{project}/flags/{key}.
 * Variations and archiving have their own actions below (each with its own confirmation).
 */
export const updateFlagSettingsSchema = z.object({
  projectKey: projectKeySchema,
  flagKey: flagKeySchema,
  changes: updateFlagBodySchema.omit({ variations: true, controlVariation: true }).extend({
    lifecycle: z.enum(["draft", "active", "rolling_out", "released", "deprecated"]).optional(),
  }),
});

export const updateFlagSettingsDefinition = defineProjectAction({
  name: "updateFlagSettings",
  schema: updateFlagSettingsSchema,
  permission: "flags:write",
  handler: (data, access) => updateFlag(access, data.flagKey, data.changes),
});

export const createFlagTestCaseDefinition = defineProjectAction({
  name: "createFlagTestCase",
  schema: createFlagTestCaseSchema,
  permission: "flags:write",
  handler: ({ projectKey: _p, flagKey, ...fields }, access) => createFlagTestCase(access, flagKey, fields),
});

export const updateFlagTestCaseDefinition = defineProjectAction({
  name: "updateFlagTestCase",
  schema: updateFlagTestCaseSchema,
  permission: "flags:write",
  handler: ({ projectKey: _p, flagKey, testCaseId, ...fields }, access) => changeFlagTestCase(access, flagKey, testCaseId, fields),
});

export const deleteFlagTestCaseDefinition = defineProjectAction({
  name: "deleteFlagTestCase",
  schema: deleteFlagTestCaseSchema,
  permission: "flags:write",
  handler: (data, access) => removeFlagTestCase(access, data.flagKey, data.testCaseId),
});

/**
 * The variations editor: the complete new list (and control variation), through the same service
 * as PATCH …/flags/{key}. It refuses removing a variation any environment's configuration or
 * another flag's prerequisite still uses, and changing what an environment requiring review serves.
 */
export const updateFlagVariationsSchema = z.object({
  projectKey: projectKeySchema,
  flagKey: flagKeySchema,
  variations: updateFlagBodySchema.shape.variations.unwrap(),
  controlVariation: updateFlagBodySchema.shape.controlVariation,
  reason: updateFlagBodySchema.shape.reason,
});

export const updateFlagVariationsDefinition = defineProjectAction({
  name: "updateFlagVariations",
  schema: updateFlagVariationsSchema,
  permission: "flags:write",
  handler: ({ flagKey, variations, controlVariation, reason }, access) => updateFlag(access, flagKey, { variations, ...(controlVariation !== undefined ? { controlVariation } : {}), ...(reason ? { reason } : {}) }),
});

/** Archiving from the flag page, after its confirmation: the same service as DELETE …/flags/{key}. */
export const archiveFlagSchema = z.object({ projectKey: projectKeySchema, flagKey: flagKeySchema, reason: updateFlagBodySchema.shape.reason });

export const archiveFlagDefinition = defineProjectAction({
  name: "archiveFlag",
  schema: archiveFlagSchema,
  permission: "flags:write",
  handler: ({ flagKey, reason }, access) => archiveFlag(access, flagKey, reason),
});
