import { defineProjectAction } from "@/lib/actions/define-action";
import { createApiTokenSchema, revokeApiTokenSchema } from "@/lib/schemas/api-token";
import { createApiToken, revokeApiToken } from "./manage-api-tokens";

export const createApiTokenDefinition = defineProjectAction({
  name: "createApiToken",
  schema: createApiTokenSchema,
  permission: "tokens:write",
  handler: (data, access) => createApiToken(access, data),
});

export const revokeApiTokenDefinition = defineProjectAction({
  name: "revokeApiToken",
  schema: revokeApiTokenSchema,
  permission: "tokens:write",
  handler: (data, access) => revokeApiToken(access, data.tokenId),
});
