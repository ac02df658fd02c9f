import { z } from "zod";
import { slugSchema } from "./common";

/** Keys that would collide with the console's own top-level routes. */
const RESERVED_PROJECT_KEYS = new Set(["projects", "api", "login", "ofrep"]);

export const projectKeySchema = slugSchema;

const newProjectKeySchema = slugSchema.refine((key) => !RESERVED_PROJECT_KEYS.has(key), { message: "This key is reserved; choose another." });

export const createProjectSchema = z.object({
  key: newProjectKeySchema,
  name: z.string().trim().min(1, "Enter a name.").max(120),
  description: z.string().trim().max(2000).default(""),
});
export type CreateProjectInput = z.infer<typeof createProjectSchema>;

export const projectSchema = z.object({
  key: z.string(),
  name: z.string(),
  description: z.string(),
  createdAt: z.string(),
  environments: z.array(
    z.object({
      key: z.string(),
      name: z.string(),
      requireReview: z.boolean(),
      requiredApprovals: z.number().int(),
    }),
  ),
});
