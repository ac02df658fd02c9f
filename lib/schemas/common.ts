import { z } from "zod";

/** Project and environment keys appear in URLs and SDK configuration: lowercase slugs. */
export const slugSchema = z
  .string()
  .trim()
  .min(2, "Use at least 2 characters.")
  .max(50, "Use at most 50 characters.")
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, "Use lowercase letters, digits and dashes, starting and ending with a letter or digit.");

export const emailSchema = z.string().trim().toLowerCase().pipe(z.email("Enter a valid email address.")).pipe(z.string().max(320));

export const nameSchema = z.string().trim().min(1, "Enter a name.").max(120, "Use at most 120 characters.");

/** Tags label flags and segments for filtering: short, no surrounding spaces. */
export const tagSchema = z.string().trim().min(1, "A tag cannot be empty.").max(50, "Use at most 50 characters per tag.");
export const tagsSchema = z.array(tagSchema).max(50, "Use at most 50 tags.");

/** A problem `validateFlagConfig` / `validateSegment` found, with where it is. */
export const validationIssueSchema = z
  .object({
    path: z.array(z.union([z.string(), z.number()])),
    message: z.string(),
    code: z.string(),
    severity: z.enum(["error", "warning"]).optional(),
    environmentKey: z.string().optional().meta({ description: "Set when the issue concerns one environment's configuration." }),
    flagKey: z.string().optional().meta({ description: "Set when the issue concerns another flag (or an imported one)." }),
  })
  .meta({ id: "ValidationIssue" });

/** Opaque keyset-pagination cursors: the sort key of the last row of a page. */
export const cursorSchema = z.string().max(1000);
export const pageLimitSchema = z.coerce.number().int().min(1).max(200).default(50);
