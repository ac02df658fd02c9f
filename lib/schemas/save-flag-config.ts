import { z } from "zod";
import { slugSchema } from "./common";
import { flagConfigSchema, flagKeySchema } from "./flag-config";
import { proposalDetailsSchema } from "./change-request";
import { projectKeySchema } from "./project";

/**
 * The console's save of a flag's configuration in one environment (the rule builder's Save).
 * Like the REST PUT, plus the author's confirmation that failing test cases are intended.
 */
export const saveFlagConfigSchema = z.object({
  projectKey: projectKeySchema,
  environmentKey: slugSchema,
  flagKey: flagKeySchema,
  config: flagConfigSchema,
  expectedVersion: z.number().int().min(0),
  reason: z.string().trim().max(2000).optional(),
  /** Set after the author saw which test cases break and chose to save anyway. */
  acceptFailingTestCases: z.boolean().default(false),
  /** Where review is required the save becomes a change request: its title, or the request to add to. */
  proposal: proposalDetailsSchema.optional(),
});
export type SaveFlagConfigInput = z.infer<typeof saveFlagConfigSchema>;
