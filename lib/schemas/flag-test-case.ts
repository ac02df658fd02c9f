import { z } from "zod";
import { slugSchema } from "./common";
import { flagKeySchema } from "./flag-config";
import { projectKeySchema } from "./project";

/**
 * Test cases: a named example context and the variation expected per environment. Shared by
 * the console form and its actions.
 */

const MAX_CONTEXT_BYTES = 20_000;

export const testCaseContextSchema = z
  .looseObject({ targetingKey: z.string().max(1000, "At most 1000 characters.").optional() })
  .refine((c) => JSON.stringify(c).length <= MAX_CONTEXT_BYTES, `A test context is limited to ${MAX_CONTEXT_BYTES} characters of JSON.`)
  .refine((c) => Object.values(c).every((v) => v !== undefined), "Attributes need a value.");

export const testCaseFieldsSchema = z.object({
  name: z.string().trim().min(1, "Give the test case a name.").max(120, "Use at most 120 characters."),
  description: z.string().trim().max(2000, "Use at most 2000 characters.").default(""),
  context: testCaseContextSchema,
  /** environment key → expected variation key. */
  expected: z
    .record(slugSchema, z.string().min(1).max(200))
    .refine((e) => Object.keys(e).length > 0, "Expect a variation in at least one environment."),
});

const flagRef = { projectKey: projectKeySchema, flagKey: flagKeySchema };

export const createFlagTestCaseSchema = testCaseFieldsSchema.extend(flagRef);
export const updateFlagTestCaseSchema = testCaseFieldsSchema.extend({ ...flagRef, testCaseId: z.string().min(1).max(100) });
export const deleteFlagTestCaseSchema = z.object({ ...flagRef, testCaseId: z.string().min(1).max(100) });

export type TestCaseFields = z.infer<typeof testCaseFieldsSchema>;
