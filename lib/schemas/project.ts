import { z } from "zod";
import { slugSchema } from "./common";

export const projectKeySchema = slugSchema;

export const createProjectSchema = z.object({
  key: projectKeySchema,
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
