import { z } from "zod";
import { flagConfigSchema } from "./flag-config";

/** `PUT …/environments/{env}/flags/{key}`: the new configuration and the version it was based on. */
export const replaceFlagConfigBodySchema = z.object({
  config: flagConfigSchema,
  version: z.number().int().min(0).meta({ description: "The configuration version this edit started from; a newer current version answers 409." }),
  reason: z.string().trim().max(2000).optional(),
});

export const flagConfigResponseSchema = z.object({
  flagKey: z.string(),
  environmentKey: z.string(),
  version: z.number().int(),
  config: flagConfigSchema,
});
