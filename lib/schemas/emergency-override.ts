import { z } from "zod";
import { slugSchema } from "./common";
import { flagKeySchema } from "./flag-config";
import { projectKeySchema } from "./project";

/**
 * The kill switch (an emergency override) and what follows it: acknowledging the banner and the
 * after-the-fact review. Shared by the console's actions and `POST …/flags/{key}/kill`.
 */

export const KILL_REASON_MAX = 1000;
export const REVIEW_NOTE_MAX = 4000;

export const overrideActionSchema = z.enum(["turn_off", "serve_variation"]);
export type OverrideActionKind = z.infer<typeof overrideActionSchema>;

/** Why the switch was pulled: required, never blank (it is what the follow-up review reads). */
export const killReasonSchema = z
  .string({ error: "Give a reason: it is recorded with the override and read in its follow-up review." })
  .trim()
  .min(1, "Give a reason: it is recorded with the override and read in its follow-up review.")
  .max(KILL_REASON_MAX, `Keep the reason under ${KILL_REASON_MAX} characters.`);

const variationKeySchema = z.string().trim().min(1, "Choose the variation to serve.").max(200, "At most 200 characters.");

/** The environment key typed to confirm, compared exactly (after trimming) by the service. */
const confirmEnvironmentSchema = z.string().trim().max(100).optional();

/** A serve-to-everyone override must say what to serve. */
const requireVariation = <T extends { action: OverrideActionKind }>(key: keyof T & string) => (value: T, ctx: z.RefinementCtx) => {
  if (value.action === "serve_variation" && !value[key]) {
    ctx.addIssue({ code: "custom", path: [key], message: "Choose the variation to serve to everyone." });
  }
};

/** The console's "Kill switch" dialog. */
export const pullKillSwitchSchema = z
  .object({
    projectKey: projectKeySchema,
    environmentKey: slugSchema,
    flagKey: flagKeySchema,
    action: overrideActionSchema,
    variationKey: variationKeySchema.optional(),
    reason: killReasonSchema,
    confirmEnvironment: confirmEnvironmentSchema,
  })
  .superRefine(requireVariation("variationKey"));
export type PullKillSwitchInput = z.infer<typeof pullKillSwitchSchema>;

/** `POST /api/v1/projects/{project}/environments/{env}/flags/{key}/kill`. */
export const killSwitchBodySchema = z
  .object({
    reason: killReasonSchema.meta({ description: "Why (required, not blank, at most 1000 characters). Recorded in the audit log and the override's follow-up review." }),
    action: overrideActionSchema.default("turn_off").meta({ description: "`turn_off` (default): the flag serves its off variation. `serve_variation`: on, serving `variation` to every context (targets, rules and prerequisites removed)." }),
    variation: variationKeySchema.optional().meta({ description: "The variation key to serve; required with `serve_variation`." }),
    confirmEnvironment: confirmEnvironmentSchema.meta({
      description: "Optional for API tokens (the URL already names the environment); when given it must equal the environment key. The console requires it for environments that require review.",
    }),
  })
  .superRefine(requireVariation("variation"));

export const overrideRefSchema = z.object({ projectKey: projectKeySchema, overrideId: z.string().min(1).max(64) });

export const acknowledgeOverrideSchema = overrideRefSchema;

/** "Revert via change request": proposes the configuration from before the override. */
export const revertOverrideSchema = overrideRefSchema;

export const reviewOverrideSchema = overrideRefSchema.extend({
  note: z
    .string({ error: "Write what happened and what follows; the review note is the record." })
    .trim()
    .min(1, "Write what happened and what follows; the review note is the record.")
    .max(REVIEW_NOTE_MAX, `Keep the note under ${REVIEW_NOTE_MAX} characters.`),
});

/** What `POST …/kill` answers: 201 with the override it recorded, or 200 when nothing needed changing. */
export const killSwitchResponseSchema = z.discriminatedUnion("outcome", [
  z.object({
    outcome: z.literal("applied"),
    overrideId: z.string().meta({ description: "The emergency override, whose follow-up review stays open until an approver other than the caller reviews it." }),
    flagKey: z.string(),
    environmentKey: z.string(),
    fromVersion: z.number().int(),
    toVersion: z.number().int(),
    snapshotVersion: z.number().int(),
    message: z.string(),
  }),
  z.object({
    outcome: z.literal("unchanged"),
    flagKey: z.string(),
    environmentKey: z.string(),
    version: z.number().int(),
    message: z.string().meta({ description: "E.g. the flag is already off: no version, no override recorded." }),
  }),
]);
