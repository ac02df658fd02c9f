import { z } from "zod";
import { nameSchema, slugSchema } from "./common";
import { projectKeySchema } from "./project";

export const sdkKeyKindSchema = z.enum(["server", "client"], {
  error: "Choose server (evaluates every flag locally) or client (only client-visible flags, results only).",
});

/** The REST body; the console form adds the project and environment. */
export const createSdkKeyBodySchema = z.object({ kind: sdkKeyKindSchema, name: nameSchema });

export const createSdkKeySchema = createSdkKeyBodySchema.extend({ projectKey: projectKeySchema, environmentKey: slugSchema });
export const revokeSdkKeySchema = z.object({ projectKey: projectKeySchema, keyId: z.string().min(1) });

export const sdkKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: sdkKeyKindSchema,
  environment: z.string(),
  prefix: z.string().meta({ description: "The first characters of the key, to recognise it." }),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
});

export const createdSdkKeySchema = sdkKeySchema.extend({
  key: z.string().meta({ description: "The whole key. Shown only in this response; store it now." }),
});
