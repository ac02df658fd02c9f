import { defineProjectAction } from "@/lib/actions/define-action";
import { createFlagActionSchema } from "@/lib/schemas/create-flag-interim";
import { createFlagTestCaseSchema, deleteFlagTestCaseSchema, updateFlagTestCaseSchema } from "@/lib/schemas/flag-test-case";
import { saveFlagConfigSchema } from "@/lib/schemas/save-flag-config";
import { createFlagInterim } from "./create-flag-interim";
import { changeFlagTestCase, createFlagTestCase, removeFlagTestCase } from "./flag-test-cases";
import { saveFlagConfig } from "./save-flag-config";

/** The flag page's and the create wizard's mutations. */

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
  // INTERIM: becomes `createFlag(access, data.flag)` when the REST create service reaches main.
  handler: (data, access) => createFlagInterim(access, data.flag),
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
