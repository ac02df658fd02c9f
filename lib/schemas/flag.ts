import { z } from "zod";
import type { FlagValueType, JsonValue } from "@/lib/evaluation/types";
import { cursorSchema, emailSchema, pageLimitSchema, tagSchema, tagsSchema } from "./common";
import { flagKeySchema, flagKindSchema, flagValueTypeSchema, variationSchema } from "./flag-config";

/**
 * Flag definitions (what a flag is, in every environment): the create wizard, the settings form
 * and `…/projects/{project}/flags[/{key}]` parse with these. Configurations per environment are
 * in flag-config.ts / flag-config-request.ts.
 */

export const flagLifecycleSchema = z.enum(["draft", "active", "rolling_out", "released", "deprecated", "archived"]);
export type FlagLifecycleValue = z.infer<typeof flagLifecycleSchema>;

const flagNameSchema = z.string().trim().min(1, "Enter a name.").max(200, "Use at most 200 characters.");
const descriptionSchema = z.string().trim().max(2000, "Use at most 2000 characters.");

/** An ISO 8601 time with a zone (2027-03-01T12:00:00Z) or a date (2027-03-01, midnight UTC). */
export const expiresAtSchema = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()], { error: "Use an ISO date such as 2027-03-01 or a time such as 2027-03-01T12:00:00Z." })
  .meta({ description: "ISO 8601 time with a zone, or a date (midnight UTC)." });

/**
 * Any JSON value, described without recursion: the OpenAPI generator cannot follow `z.json()`.
 * Bodies are parsed JSON, so what is nested inside arrays and objects is JSON as well.
 */
const jsonValueSchema = z
  .union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.unknown()), z.record(z.string(), z.unknown())])
  .meta({ description: "Any JSON value (of the flag's value type)." }) as unknown as z.ZodType<JsonValue>;

/** `variationSchema` (the engine's) as REST bodies and answers carry it. */
export const flagVariationSchema = variationSchema.extend({
  value: jsonValueSchema,
  metadata: z.record(z.string(), jsonValueSchema).optional(),
});

const variationListSchema = z.array(flagVariationSchema).max(100, "At most 100 variations.");

/** The variations a boolean flag gets when none are given: `on` (true) and `off` (false). */
export const DEFAULT_BOOLEAN_VARIATIONS = [
  { key: "on", value: true, name: "On" },
  { key: "off", value: false, name: "Off" },
] as const;

function valueFits(valueType: FlagValueType, value: unknown): boolean {
  switch (valueType) {
    case "boolean":
      return typeof value === "boolean";
    case "string":
      return typeof value === "string";
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "json":
      return value !== undefined;
  }
}

/**
 * What is wrong with a flag's variations, as field paths and messages: every value must be of
 * the flag's type, keys must be distinct, there must be something to serve when the flag is off
 * and something else when it is on, and the control variation must be one of them. Shared by
 * the create schema and by edits (where the type comes from the stored flag).
 */
export function variationProblems(
  valueType: FlagValueType,
  variations: readonly { key: string; value: unknown }[],
  controlVariation?: string | null,
): { path: (string | number)[]; message: string }[] {
  const problems: { path: (string | number)[]; message: string }[] = [];
  if (variations.length < 2) {
    problems.push({ path: ["variations"], message: "A flag needs at least two variations: one served when it is off, another when it is on." });
  }
  const seen = new Set<string>();
  variations.forEach((variation, i) => {
    if (seen.has(variation.key)) problems.push({ path: ["variations", i, "key"], message: `Two variations are called “${variation.key}”.` });
    seen.add(variation.key);
    if (!valueFits(valueType, variation.value)) {
      problems.push({ path: ["variations", i, "value"], message: `Variation “${variation.key}” is not a ${valueType} value, but this is a ${valueType} flag.` });
    }
  });
  if (controlVariation != null && !seen.has(controlVariation)) {
    problems.push({ path: ["controlVariation"], message: `The control variation “${controlVariation}” is not one of the flag's variations.` });
  }
  return problems;
}

export const createFlagBodySchema = z
  .object({
    key: flagKeySchema.meta({ description: "Immutable. 1–200 characters, no whitespace, control characters or “/”; Unicode and dots are fine." }),
    name: flagNameSchema,
    description: descriptionSchema.default(""),
    kind: flagKindSchema,
    valueType: flagValueTypeSchema.default("boolean"),
    variations: variationListSchema
      .optional()
      .meta({ description: "Values must be of `valueType`. Boolean flags default to `on` (true) and `off` (false)." }),
    controlVariation: z.string().min(1).max(200).optional().meta({ description: "Experiments: what opted-out contexts get. Default: the first variation." }),
    ownerEmail: emailSchema.optional().meta({ description: "A member of the project. Required when an environment's policy requires an owner." }),
    tags: tagsSchema.default([]),
    expiresAt: expiresAtSchema
      .optional()
      .meta({ description: "Required for release and experiment flags when an environment's policy requires an expiry, and then within its maximum lifetime." }),
    clientVisible: z.boolean().default(false),
    lifecycle: z.enum(["draft", "active"]).default("active"),
  })
  .superRefine((body, ctx) => {
    if (body.variations === undefined && body.valueType !== "boolean") {
      ctx.addIssue({ code: "custom", path: ["variations"], message: `A ${body.valueType} flag needs its variations.` });
      return;
    }
    const variations = body.variations ?? DEFAULT_BOOLEAN_VARIATIONS;
    for (const problem of variationProblems(body.valueType, variations, body.controlVariation)) ctx.addIssue({ code: "custom", ...problem });
  });
export type CreateFlagBody = z.infer<typeof createFlagBodySchema>;

/** PATCH: every field optional; `null` clears owner, expiry and control variation. Key, kind and type never change. */
export const updateFlagBodySchema = z
  .object({
    name: flagNameSchema,
    description: descriptionSchema,
    tags: tagsSchema,
    ownerEmail: emailSchema.nullable(),
    expiresAt: expiresAtSchema.nullable(),
    clientVisible: z.boolean(),
    lifecycle: flagLifecycleSchema.meta({ description: "`archived` is the same as DELETE; leaving `archived` restores the flag." }),
    variations: variationListSchema.meta({
      description: "The complete new list. Refused with `details.issues` if any environment's configuration (or another flag's prerequisite) would refer to a variation that no longer exists.",
    }),
    controlVariation: z.string().min(1).max(200).nullable(),
    reason: z.string().trim().max(2000),
  })
  .partial();
export type UpdateFlagBody = z.infer<typeof updateFlagBodySchema>;

export const listFlagsQuerySchema = z.object({
  query: z.string().trim().max(200).optional().meta({ description: "Matches key, name or description (case-insensitive)." }),
  kind: flagKindSchema.optional(),
  tag: tagSchema.optional(),
  lifecycle: flagLifecycleSchema.optional().meta({ description: "Default: every stage except archived." }),
  owner: emailSchema.optional(),
  limit: pageLimitSchema,
  cursor: cursorSchema.optional().meta({ description: "`nextCursor` of the previous page." }),
});
export type ListFlagsQuery = z.infer<typeof listFlagsQuerySchema>;

/** The console's flags list (in one environment): the REST filters plus state, staleness and sort. */
export const consoleFlagListQuerySchema = listFlagsQuerySchema.extend({
  state: z.enum(["on", "off"]).optional(),
  stale: z
    .enum(["true", "false"])
    .optional()
    .transform((value) => value === "true"),
  sort: z.enum(["key", "name", "updated", "created"]).default("key"),
});
export type ConsoleFlagListQuery = z.infer<typeof consoleFlagListQuerySchema>;

export const ownerSchema = z.object({ email: z.string(), name: z.string() }).nullable();

export const flagResourceSchema = z.object({
  key: z.string(),
  name: z.string(),
  description: z.string(),
  kind: flagKindSchema,
  valueType: flagValueTypeSchema,
  variations: z.array(flagVariationSchema),
  controlVariation: z.string().nullable(),
  owner: ownerSchema,
  tags: z.array(z.string()),
  lifecycle: flagLifecycleSchema,
  expiresAt: z.string().nullable(),
  clientVisible: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  environments: z.array(
    z.object({
      key: z.string(),
      on: z.boolean(),
      version: z.number().int().meta({ description: "The configuration version (for PUT …/environments/{env}/flags/{key})." }),
      updatedAt: z.string(),
    }),
  ),
});
export type FlagResource = z.infer<typeof flagResourceSchema>;

export const flagPageSchema = z.object({
  flags: z.array(flagResourceSchema),
  nextCursor: z.string().nullable().meta({ description: "Pass as `cursor` for the next page; null on the last page." }),
});
