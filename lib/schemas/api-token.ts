import { z } from "zod";
import { nameSchema } from "./common";
import { roleSchema } from "./member";
import { projectKeySchema } from "./project";

/**
 * A personal token acts as its owner; a service token has a role of its own in this project
 * (for CI and provisioning) and belongs to nobody.
 */
export const createApiTokenSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("personal"), projectKey: projectKeySchema, name: nameSchema, expiresInDays: z.number().int().min(1).max(3650).nullable().default(null) }),
  z.object({ kind: z.literal("service"), projectKey: projectKeySchema, name: nameSchema, role: roleSchema, expiresInDays: z.number().int().min(1).max(3650).nullable().default(null) }),
]);
export type CreateApiTokenInput = z.infer<typeof createApiTokenSchema>;

export const revokeApiTokenSchema = z.object({ projectKey: projectKeySchema, tokenId: z.string().min(1) });
