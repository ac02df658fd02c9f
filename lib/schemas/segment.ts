import { z } from "zod";
import { cursorSchema, emailSchema, pageLimitSchema, slugSchema, tagSchema, tagsSchema, validationIssueSchema } from "./common";
import { segmentKeySchema, segmentRuleSchema } from "./flag-config";
import { projectKeySchema } from "./project";

/**
 * Segments (reusable cohorts): the definition shared by every environment, and the membership
 * (included / excluded keys, rules) per environment, versioned like flag configurations.
 */

/** Included and excluded lists each take up to this many keys (after removing duplicates). */
export const MAX_SEGMENT_KEYS = 100_000;

/** Bodies of PUT …/environments/{env}/segments/{key} may be this large (100,000 keys twice over). */
export const MAX_SEGMENT_BODY_BYTES = 16_000_000;

const segmentNameSchema = z.string().trim().min(1, "Enter a name.").max(200, "Use at most 200 characters.");
const descriptionSchema = z.string().trim().max(2000, "Use at most 2000 characters.");

export const createSegmentBodySchema = z.object({
  key: segmentKeySchema.meta({ description: "Immutable; what rules refer to." }),
  name: segmentNameSchema,
  description: descriptionSchema.default(""),
  ownerEmail: emailSchema.optional().meta({ description: "A member of the project." }),
  tags: tagsSchema.default([]),
});
export type CreateSegmentBody = z.infer<typeof createSegmentBodySchema>;

export const updateSegmentBodySchema = z
  .object({
    name: segmentNameSchema,
    description: descriptionSchema,
    ownerEmail: emailSchema.nullable(),
    tags: tagsSchema,
  })
  .partial();
export type UpdateSegmentBody = z.infer<typeof updateSegmentBodySchema>;

export const listSegmentsQuerySchema = z.object({
  query: z.string().trim().max(200).optional().meta({ description: "Matches key, name or description (case-insensitive)." }),
  tag: tagSchema.optional(),
  limit: pageLimitSchema,
  cursor: cursorSchema.optional(),
});
export type ListSegmentsQuery = z.infer<typeof listSegmentsQuerySchema>;

/** Context keys (targeting keys): exact strings, not trimmed. */
export const contextKeyListSchema = z
  .array(z.string().min(1, "A key cannot be empty.").max(1000, "A key has at most 1000 characters."))
  .max(MAX_SEGMENT_KEYS, `At most ${MAX_SEGMENT_KEYS.toLocaleString("en")} keys.`);

export const replaceSegmentConfigBodySchema = z.object({
  version: z.number().int().min(0).meta({ description: "The version this edit started from; a newer current version answers 409." }),
  included: contextKeyListSchema.default([]).meta({ description: "Always in the segment (unless excluded). Duplicates are removed." }),
  excluded: contextKeyListSchema.default([]).meta({ description: "Never in the segment; wins over inclusion and rules. Duplicates are removed." }),
  rules: z.array(segmentRuleSchema).max(500).default([]),
  reason: z.string().trim().max(2000).optional(),
});
export type ReplaceSegmentConfigBody = z.infer<typeof replaceSegmentConfigBodySchema>;

export const segmentConfigResponseSchema = z.object({
  segmentKey: z.string(),
  environmentKey: z.string(),
  version: z.number().int(),
  included: z.array(z.string()),
  excluded: z.array(z.string()),
  rules: z.array(segmentRuleSchema),
});

export const savedSegmentConfigSchema = segmentConfigResponseSchema.extend({
  removedDuplicates: z.object({ included: z.number().int(), excluded: z.number().int() }),
  warnings: z.array(validationIssueSchema).meta({ description: "Allowed but worth knowing (e.g. a key both included and excluded); at most 100." }),
});

export const segmentUsageSchema = z.object({
  flagKey: z.string(),
  environmentKey: z.string(),
  archived: z.boolean(),
});

export const segmentResourceSchema = z.object({
  key: z.string(),
  name: z.string(),
  description: z.string(),
  tags: z.array(z.string()),
  owner: z.object({ email: z.string(), name: z.string() }).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  environments: z.array(
    z.object({
      key: z.string(),
      version: z.number().int(),
      includedCount: z.number().int(),
      excludedCount: z.number().int(),
      ruleCount: z.number().int(),
      updatedAt: z.string(),
    }),
  ),
  usedBy: z.array(segmentUsageSchema).optional().meta({ description: "Flags whose rules refer to this segment, per environment (single-segment reads only)." }),
});
export type SegmentResource = z.infer<typeof segmentResourceSchema>;

// --- Console actions (the same bodies, with the project and, per environment, where) -----------

const consoleTarget = { projectKey: projectKeySchema };

export const createSegmentActionSchema = createSegmentBodySchema.extend(consoleTarget);
export const updateSegmentActionSchema = updateSegmentBodySchema.extend({ ...consoleTarget, segmentKey: segmentKeySchema });
/**
 * Key lists as a server action receives them: an array, or that array as JSON text. React's
 * action decoder refuses arrays whose elements (string lengths included) add up to more than a
 * million slots — 100,000 keys of 15 characters already do — so the console sends long lists as
 * one JSON string, which it does not count.
 */
export const actionKeyListSchema = z.preprocess((value) => {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}, contextKeyListSchema);

export const saveSegmentConfigActionSchema = replaceSegmentConfigBodySchema.extend({
  ...consoleTarget,
  environmentKey: slugSchema,
  segmentKey: segmentKeySchema,
  included: actionKeyListSchema.default([]),
  excluded: actionKeyListSchema.default([]),
});
export const deleteSegmentActionSchema = z.object({ ...consoleTarget, segmentKey: segmentKeySchema });

/** An edit in progress whose impact the console previews before saving. */
export const segmentImpactRequestSchema = replaceSegmentConfigBodySchema.pick({ included: true, excluded: true, rules: true });
export type SegmentImpactRequest = z.infer<typeof segmentImpactRequestSchema>;
