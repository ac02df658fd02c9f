import { z } from "zod";

/**
 * Unleash's client API payload (`GET /api/client/features`: `{version, features, segments}`), as
 * `POST …/environments/{env}/import/unleash` accepts it. The shape is checked here (what Unleash's
 * own OpenAPI document requires: names, operators, weights…; unknown members pass through);
 * `importUnleash` in lib/evaluation decides what it means, exactly as unleash-client would.
 */

/** Imports may be large: a big Unleash instance's payload runs to megabytes. */
export const MAX_UNLEASH_IMPORT_BYTES = 16_000_000;

const constraintSchema = z.looseObject({
  contextName: z.string(),
  operator: z.string(),
  values: z.array(z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
  value: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
  inverted: z.boolean().optional(),
  caseInsensitive: z.boolean().optional(),
});

const payloadSchema = z.looseObject({ type: z.string(), value: z.unknown() }).nullish();

const variantSchema = z.looseObject({
  name: z.string().min(1),
  weight: z.number().min(0),
  weightType: z.string().optional(),
  stickiness: z.string().optional(),
  payload: payloadSchema,
  overrides: z.array(z.looseObject({ contextName: z.string(), values: z.array(z.string()) })).optional(),
});

const strategySchema = z.looseObject({
  name: z.string().min(1),
  parameters: z.record(z.string(), z.unknown()).nullish(),
  constraints: z.array(constraintSchema).nullish(),
  segments: z.array(z.union([z.number(), z.string()])).nullish(),
  variants: z.array(variantSchema).nullish(),
});

const featureSchema = z.looseObject({
  name: z.string().min(1, "A feature needs a name."),
  type: z.string().optional(),
  description: z.string().nullish(),
  enabled: z.boolean(),
  strategies: z.array(strategySchema).nullish(),
  variants: z.array(variantSchema).nullish(),
  dependencies: z
    .array(z.looseObject({ feature: z.string().min(1), enabled: z.boolean().optional(), variants: z.array(z.string()).optional() }))
    .nullish(),
});

export const unleashPayloadSchema = z
  .looseObject({
    version: z.number().int().optional(),
    features: z.array(featureSchema).max(10_000, "At most 10,000 features per import."),
    segments: z
      .array(z.looseObject({ id: z.union([z.number().int(), z.string().min(1)]), name: z.string().optional(), constraints: z.array(constraintSchema) }))
      .max(10_000)
      .nullish(),
  })
  .meta({ id: "UnleashClientPayload", description: "Unleash's client API payload (GET /api/client/features)." });
export type UnleashPayload = z.infer<typeof unleashPayloadSchema>;

export const importActionSchema = z.enum(["created", "updated"]);

export const unleashImportResultSchema = z.object({
  flags: z.array(z.object({ key: z.string(), action: importActionSchema })),
  segments: z.array(z.object({ key: z.string(), action: importActionSchema })),
  warnings: z.array(z.string()).meta({
    description:
      "What the import could not carry over exactly, and what it kept although Switchyard's validation would not accept it from the console (attributes missing from the catalog, conditions that can never match, as in Unleash).",
  }),
});
export type UnleashImportResult = z.infer<typeof unleashImportResultSchema>;
