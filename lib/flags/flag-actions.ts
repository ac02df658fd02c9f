import { z } from "zod";
import { defineProjectAction } from "@/lib/actions/define-action";
import { createFlagBodySchema, updateFlagBodySchema } from "@/lib/schemas/flag";
import { flagKeySchema } from "@/lib/schemas/flag-config";
import { createFlagTestCaseSchema, deleteFlagTestCaseSchema, updateFlagTestCaseSchema } from "@/lib/schemas/flag-test-case";
import { saveFlagConfigSchema } from "@/lib/schemas/save-flag-config";
import { projectKeySchema } from "@/lib/schemas/project";
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
 * Variations are not edited from the console yet; archiving is left to the API for now.
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
