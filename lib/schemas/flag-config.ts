import { z } from "zod";

/**
 * Zod schemas for the targeting data model (lib/evaluation/types.ts): what forms, server actions
 * and REST routes parse with. They check shape; `validateFlagConfig` / `validateSegment` in
 * lib/evaluation check meaning (unknown variations, weights summing to 100 %, catalog, cycles,
 * unsafe regexes) and explain problems in words a product manager understands.
 */

const OPERATORS = [
  "in", "notIn", "equals", "contains", "startsWith", "endsWith", "matches",
  "lt", "lte", "gt", "gte",
  "before", "after",
  "semverEq", "semverLt", "semverGt", "semverGte", "semverLte",
  "exists",
  "inSegment", "notInSegment",
  "inCidr",
] as const;

export const operatorSchema = z.enum(OPERATORS);

/** Whitespace, control characters and `/` are not allowed in keys. */
const FORBIDDEN_KEY_CHAR = /[\s\p{Cc}/]/u;

/**
 * Flag and segment keys: 1–200 characters (code points), case-sensitive, no whitespace, control
 * characters or `/`. Unicode and dots are allowed so that imported names survive.
 */
export const flagKeySchema = z
  .string()
  .refine((s) => {
    const n = [...s].length;
    return n >= 1 && n <= 200;
  }, "A key must be 1 to 200 characters long.")
  .refine((s) => !FORBIDDEN_KEY_CHAR.test(s), "A key cannot contain spaces, control characters or “/”.");

export const segmentKeySchema = flagKeySchema;

/** Variation keys and rule ids: non-empty, short. */
const idSchema = z.string().min(1, "Cannot be empty.").max(200, "At most 200 characters.");

const jsonValueSchema = z.json();

export const variationSchema = z.object({
  key: idSchema,
  value: jsonValueSchema,
  name: z.string().max(200).optional(),
  description: z.string().max(2000).optional(),
  metadata: z.record(z.string(), jsonValueSchema).optional(),
});

export const flagKindSchema = z.enum(["release", "experiment", "operational", "permission"]);
export const flagValueTypeSchema = z.enum(["boolean", "string", "number", "json"]);

export const flagDefinitionSchema = z.object({
  key: flagKeySchema,
  kind: flagKindSchema,
  valueType: flagValueTypeSchema,
  variations: z.array(variationSchema).min(1, "A flag needs at least one variation.").max(100),
  controlVariation: idSchema.optional(),
});

export const clauseValueSchema = z.union([z.string().max(10_000), z.number(), z.boolean()]);

export const clauseSchema = z.object({
  attribute: z.string().max(200),
  op: operatorSchema,
  values: z.array(clauseValueSchema).max(10_000),
  negate: z.boolean().optional(),
  caseInsensitive: z.boolean().optional(),
  negateMatchesMissing: z.boolean().optional(),
});

/** Weights are integers in units of 0.001 %; that they add up to 100 % is checked by validateFlagConfig. */
export const weightedVariationSchema = z.object({
  variation: idSchema,
  weight: z.number().int("A weight is a whole number of thousandths of a percent.").min(0).max(100_000),
});

export const unleashBucketingSchema = z.object({
  groupId: z.string(),
  stickiness: z.string(),
});

export const rolloutOverrideSchema = z.object({
  attribute: z.string(),
  values: z.array(z.string()),
  variation: idSchema,
});

export const rolloutSchema = z.object({
  weights: z.array(weightedVariationSchema).min(1, "A rollout needs at least one variation.").max(100),
  bucketBy: z.string().max(200).optional(),
  seed: z.string().max(200).optional(),
  unleash: unleashBucketingSchema.optional(),
  overrides: z.array(rolloutOverrideSchema).optional(),
});

export const serveSchema = z.union([
  z.strictObject({ variation: idSchema }),
  z.strictObject({ rollout: rolloutSchema }),
]);

export const ruleCoverageSchema = z.object({
  percentage: z.number().int().min(0).max(100_000),
  bucketBy: z.string().max(200).optional(),
  seed: z.string().max(200).optional(),
  unleash: unleashBucketingSchema.optional(),
});

export const ruleSchema = z.object({
  id: idSchema,
  description: z.string().max(2000).optional(),
  match: z.enum(["all", "any"]).optional(),
  clauses: z.array(clauseSchema).max(100),
  serve: serveSchema,
  coverage: ruleCoverageSchema.optional(),
});

export const targetSchema = z.object({
  variation: idSchema,
  values: z.array(z.string()).max(10_000),
});

export const prerequisiteSchema = z.object({
  flagKey: flagKeySchema,
  variation: idSchema,
  variations: z.array(idSchema).optional(),
});

export const flagConfigSchema = z.object({
  on: z.boolean(),
  offVariation: idSchema,
  targets: z.array(targetSchema).max(100).default([]),
  rules: z.array(ruleSchema).max(500).default([]),
  fallthrough: serveSchema,
  prerequisites: z.array(prerequisiteSchema).max(50).default([]),
  version: z.number().int().min(0).optional(),
});

export const flagSchema = flagDefinitionSchema.extend({ config: flagConfigSchema });

export const segmentRuleSchema = z.object({
  id: idSchema,
  match: z.enum(["all", "any"]).optional(),
  clauses: z.array(clauseSchema).max(100),
});

export const segmentSchema = z.object({
  key: segmentKeySchema,
  included: z.array(z.string()).max(100_000).default([]),
  excluded: z.array(z.string()).max(100_000).default([]),
  rules: z.array(segmentRuleSchema).max(500).default([]),
});

export const attributeTypeSchema = z.enum(["string", "number", "boolean", "semver", "date", "list"]);
export const attributeSensitivitySchema = z.enum(["public", "private", "forbidden"]);

export const catalogAttributeSchema = z.object({
  key: z.string().min(1).max(200),
  type: attributeTypeSchema,
  allowedValues: z.array(clauseValueSchema).optional(),
  sensitivity: attributeSensitivitySchema,
  description: z.string().max(2000).optional(),
  dashboardDimension: z.boolean().optional(),
});

/** OpenFeature evaluation context: `targetingKey` plus free attributes. */
export const evaluationContextSchema = z.looseObject({
  targetingKey: z.string().optional(),
});

export type VariationInput = z.input<typeof variationSchema>;
export type FlagConfigInput = z.input<typeof flagConfigSchema>;
export type FlagConfigParsed = z.output<typeof flagConfigSchema>;
export type SegmentParsed = z.output<typeof segmentSchema>;
