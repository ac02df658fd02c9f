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
