"use server";

import { createApiToken, revokeApiToken } from "@/lib/api-tokens/manage-api-tokens";
import { runProjectAction } from "@/lib/auth/project-action";
import { createApiTokenSchema, revokeApiTokenSchema } from "@/lib/schemas/api-token";

export async function createApiTokenAction(input: unknown) {
  return runProjectAction(input, { schema: createApiTokenSchema, permission: "tokens:write", handler: (data, access) => createApiToken(access, data) });
}

export async function revokeApiTokenAction(input: unknown) {
  return runProjectAction(input, { schema: revokeApiTokenSchema, permission: "tokens:write", handler: (data, access) => revokeApiToken(access, data.tokenId) });
}
