import { z } from "zod";
import { nameSchema, slugSchema } from "./common";
import { projectKeySchema } from "./project";
import { segmentKeySchema } from "./flag-config";

/**
 * An environment's name, colour and policy (Settings → General; `PATCH …/environments/{env}`).
 * Every field is optional: what is sent changes, the rest stays.
 */
export const environmentPolicyFields = {
  name: nameSchema.optional(),
  color: z
    .string()
    .trim()
    .regex(/^#[0-9a-fA-F]{6}$/, "Use a hex colour such as #dc2626.")
    .optional(),
  requireReview: z.boolean().optional().meta({ description: "Changes need an approved change request; only the kill switch bypasses it." }),
  requiredApprovals: z.number().int("Use a whole number.").min(1, "At least 1 approval.").max(10, "At most 10 approvals.").optional(),
  maxRolloutPercentWithoutReview: z
    .number()
    .min(0, "Use a percentage from 0 to 100.")
    .max(100, "Use a percentage from 0 to 100.")
    .multipleOf(0.001, "Use at most 3 decimals.")
    .optional()
    .meta({ description: "Percent (0–100, 3 decimals): a rollout above this share needs review even when requireReview is off." }),
  requireExpiry: z.boolean().optional().meta({ description: "Release and experiment flags need an expiry date." }),
  maxFlagLifetimeDays: z.number().int("Use a whole number of days.").min(1, "At least 1 day.").max(3650, "At most 3650 days.").nullable().optional(),
  requireOwner: z.boolean().optional(),
  allowlistOnlyFirstStage: z
    .array(segmentKeySchema)
    .max(50)
    .nullable()
    .optional()
    .meta({ description: "Segments a rollout's first stage may target before a change request approves more; null: no restriction." }),
};

export const environmentPolicyBodySchema = z.object(environmentPolicyFields).strict();
export type EnvironmentPolicyBody = z.infer<typeof environmentPolicyBodySchema>;

export const updateEnvironmentPolicySchema = z.object({ projectKey: projectKeySchema, environmentKey: slugSchema, ...environmentPolicyFields });
