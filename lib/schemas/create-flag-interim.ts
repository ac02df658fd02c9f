import { z } from "zod";
import type { FlagValueType } from "@/lib/evaluation/types";
import { emailSchema } from "./common";
import { flagKeySchema, flagKindSchema, flagValueTypeSchema, variationSchema } from "./flag-config";
import { projectKeySchema } from "./project";

/**
 * INTERIM — the create-flag wizard's body, in the same shape as `createFlagBodySchema` of the
 * REST flag-definition work (branch `rest`, lib/schemas/flag.ts), which has not reached main yet.
 * When it does: the action parses `{ projectKey, flag: createFlagBodySchema }` and calls its
 * `createFlag`, and this file and lib/flags/create-flag-interim.ts are deleted.
 */

export const DEFAULT_BOOLEAN_VARIATIONS = [
  { key: "on", value: true, name: "On" },
  { key: "off", value: false, name: "Off" },
] as const;

function valueFits(valueType: FlagValueType, value: unknown): boolean {
  if (valueType === "boolean") return typeof value === "boolean";
  if (valueType === "string") return typeof value === "string";
  if (valueType === "number") return typeof value === "number" && Number.isFinite(value);
  return value !== undefined;
}

export const createFlagInterimBodySchema = z
  .object({
    key: flagKeySchema,
    name: z.string().trim().min(1, "Enter a name.").max(200, "Use at most 200 characters."),
    description: z.string().trim().max(2000, "Use at most 2000 characters.").default(""),
    kind: flagKindSchema,
    valueType: flagValueTypeSchema.default("boolean"),
    variations: z.array(variationSchema).max(100, "At most 100 variations.").optional(),
    controlVariation: z.string().min(1).max(200).optional(),
    ownerEmail: emailSchema.optional(),
    tags: z.array(z.string().trim().min(1, "A tag cannot be empty.").max(50, "Use at most 50 characters per tag.")).max(50, "Use at most 50 tags.").default([]),
    expiresAt: z.union([z.iso.datetime({ offset: true }), z.iso.date()], { error: "Use a date such as 2027-03-01." }).optional(),
    clientVisible: z.boolean().default(false),
    lifecycle: z.enum(["draft", "active"]).default("active"),
  })
  .superRefine((body, ctx) => {
    if (body.variations === undefined) {
      if (body.valueType !== "boolean") ctx.addIssue({ code: "custom", path: ["variations"], message: `A ${body.valueType} flag needs its variations.` });
      return;
    }
    if (body.variations.length < 2) {
      ctx.addIssue({ code: "custom", path: ["variations"], message: "A flag needs at least two variations: one served when it is off, another when it is on." });
    }
    const seen = new Set<string>();
    body.variations.forEach((v, i) => {
      if (seen.has(v.key)) ctx.addIssue({ code: "custom", path: ["variations", i, "key"], message: `Two variations are called “${v.key}”.` });
      seen.add(v.key);
      if (!valueFits(body.valueType, v.value)) {
        ctx.addIssue({ code: "custom", path: ["variations", i, "value"], message: `Variation “${v.key}” is not a ${body.valueType} value, but this is a ${body.valueType} flag.` });
      }
    });
    if (body.controlVariation !== undefined && !seen.has(body.controlVariation)) {
      ctx.addIssue({ code: "custom", path: ["controlVariation"], message: `The control variation “${body.controlVariation}” is not one of the flag's variations.` });
    }
  });
export type CreateFlagInterimBody = z.infer<typeof createFlagInterimBodySchema>;

/** The console action: the project plus the REST body, nested so the swap keeps field paths. */
export const createFlagActionSchema = z.object({ projectKey: projectKeySchema, flag: createFlagInterimBodySchema });
