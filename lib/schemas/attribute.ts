import { z } from "zod";
import { parseSemver } from "@/lib/evaluation/operators/semver";
import type { AttributeType } from "@/lib/evaluation/types";
import { projectKeySchema } from "./project";

/**
 * The attribute catalog (Settings → Attributes): what targeting may use, of which type, with
 * which values, and how sensitive it is. The console's form and its server actions parse with
 * these; whether rules still validate after a change is checked by the service.
 */

export const ATTRIBUTE_TYPES = ["string", "number", "boolean", "semver", "date", "list"] as const satisfies readonly AttributeType[];
export const ATTRIBUTE_SENSITIVITIES = ["public", "private", "forbidden"] as const;

export const attributeTypeSchema = z.enum(ATTRIBUTE_TYPES, { error: "Choose a type." });
export const attributeSensitivitySchema = z.enum(ATTRIBUTE_SENSITIVITIES, { error: "Choose public, private or forbidden." });

/** Context attribute names as applications send them: no whitespace or control characters. */
export const attributeKeySchema = z
  .string()
  .trim()
  .min(1, "Enter the attribute's name as applications send it.")
  .max(200, "Use at most 200 characters.")
  .regex(/^[^\s\p{Cc}]+$/u, "An attribute name cannot contain spaces or control characters.");

/** Types whose values can be listed as a closed set. */
export const TYPES_WITH_ALLOWED_VALUES: readonly AttributeType[] = ["string", "number", "semver", "list"];

const allowedValueSchema = z.union([z.string().trim().min(1, "A value cannot be empty.").max(500, "Use at most 500 characters per value."), z.number(), z.boolean()]);

const attributeFieldsSchema = z.object({
  type: attributeTypeSchema,
  description: z.string().trim().max(2000, "Use at most 2000 characters.").default(""),
  /** Empty: any value. */
  allowedValues: z.array(allowedValueSchema).max(1000, "At most 1000 allowed values.").default([]),
  sensitivity: attributeSensitivitySchema.default("public"),
  dashboardDimension: z.boolean().default(false),
  verifiedSource: z.string().trim().max(500, "Use at most 500 characters.").default(""),
});

type AttributeFields = z.infer<typeof attributeFieldsSchema>;

/** What the schema cannot say field by field: values that fit the type, dimensions that are public. */
function checkFields(fields: AttributeFields, ctx: z.RefinementCtx) {
  const { type, allowedValues } = fields;
  if (allowedValues.length > 0 && !TYPES_WITH_ALLOWED_VALUES.includes(type)) {
    ctx.addIssue({ code: "custom", path: ["allowedValues"], message: `A ${type} attribute cannot have a list of allowed values.` });
  }
  const seen = new Set<string>();
  allowedValues.forEach((value, i) => {
    const path = ["allowedValues", i];
    if (seen.has(String(value))) ctx.addIssue({ code: "custom", path, message: `“${value}” is listed twice.` });
    seen.add(String(value));
    if (type === "number" && typeof value !== "number") ctx.addIssue({ code: "custom", path, message: `“${value}” is not a number.` });
    if ((type === "string" || type === "list") && typeof value !== "string") ctx.addIssue({ code: "custom", path, message: `“${value}” should be text.` });
    if (type === "semver" && (typeof value !== "string" || parseSemver(value) === null)) {
      ctx.addIssue({ code: "custom", path, message: `“${value}” is not a version number such as 1.4.0.` });
    }
  });
  if (fields.dashboardDimension && fields.sensitivity !== "public") {
    ctx.addIssue({ code: "custom", path: ["dashboardDimension"], message: "Only public attributes can be dashboard dimensions: private and forbidden values are never stored with events." });
  }
}

export const createAttributeSchema = attributeFieldsSchema.extend({ projectKey: projectKeySchema, key: attributeKeySchema }).superRefine(checkFields);
export type CreateAttributeInput = z.infer<typeof createAttributeSchema>;

/** Every field but the key (immutable: rules and events refer to it) is replaced. */
export const updateAttributeSchema = attributeFieldsSchema.extend({ projectKey: projectKeySchema, key: attributeKeySchema }).superRefine(checkFields);
export type UpdateAttributeInput = z.infer<typeof updateAttributeSchema>;

export const deleteAttributeSchema = z.object({ projectKey: projectKeySchema, key: attributeKeySchema });
