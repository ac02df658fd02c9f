import { defineProjectAction } from "@/lib/actions/define-action";
import { createSdkKeySchema, revokeSdkKeySchema } from "@/lib/schemas/sdk-key";
import { createSdkKey, revokeSdkKey } from "./manage-sdk-keys";

export const createSdkKeyDefinition = defineProjectAction({
  name: "createSdkKey",
  schema: createSdkKeySchema,
  permission: "sdkkeys:write",
  handler: (data, access) => createSdkKey(access, data),
});

export const revokeSdkKeyDefinition = defineProjectAction({
  name: "revokeSdkKey",
  schema: revokeSdkKeySchema,
  permission: "sdkkeys:write",
  handler: (data, access) => revokeSdkKey(access, data.keyId),
});
