import { z } from "zod";
import { pageLimitSchema, slugSchema } from "./common";
import { flagConfigSchema, flagKeySchema, segmentKeySchema, segmentRuleSchema } from "./flag-config";
import { projectKeySchema } from "./project";
import { actionKeyListSchema, contextKeyListSchema } from "./segment";

/** Change requests: proposals, reviews, comments, apply and schedule (console and REST). */

export const CHANGE_REQUEST_STATUSES = ["draft", "open", "changes_requested", "approved", "scheduled", "applied", "conflicted", "cancelled"] as const;
export const changeRequestStatusSchema = z.enum(CHANGE_REQUEST_STATUSES);

export const changeRequestNumberSchema = z.coerce.number().int("A change request number is a whole number.").min(1).max(2_000_000_000);
const titleSchema = z.string().trim().min(1, "Give the change request a title.").max(200, "Use at most 200 characters.");
const descriptionSchema = z.string().trim().max(10_000, "Use at most 10,000 characters.");
const baseVersionSchema = z.number().int().min(0).meta({ description: "The configuration version the proposal was made against." });

export const proposedFlagChangeSchema = z.object({
  entityType: z.literal("flag"),
  key: flagKeySchema,
  baseVersion: baseVersionSchema,
  config: flagConfigSchema,
});

const proposedSegmentFields = {
  entityType: z.literal("segment"),
  key: segmentKeySchema,
  baseVersion: baseVersionSchema,
  rules: z.array(segmentRuleSchema).max(500).default([]),
};
export const proposedSegmentChangeSchema = z.object({
  ...proposedSegmentFields,
  included: contextKeyListSchema.default([]),
  excluded: contextKeyListSchema.default([]),
});

export const proposedChangeSchema = z.discriminatedUnion("entityType", [proposedFlagChangeSchema, proposedSegmentChangeSchema]);
export type ProposedChange = z.infer<typeof proposedChangeSchema>;

const changesSchema = z.array(proposedChangeSchema).min(1, "Propose at least one change.").max(50, "At most 50 flags and segments per change request.");

export const createChangeRequestBodySchema = z.object({
  title: titleSchema,
  description: descriptionSchema.default(""),
  /** A draft is not yet asking for review. */
  draft: z.boolean().default(false),
  changes: changesSchema,
});
export type CreateChangeRequestBody = z.infer<typeof createChangeRequestBodySchema>;

export const reviseChangeRequestBodySchema = z.object({
  title: titleSchema.optional(),
  description: descriptionSchema.optional(),
  /** Replaces every proposed change (a new revision: earlier approvals stop counting). */
  changes: changesSchema.optional(),
});

export const reviewBodySchema = z.object({
  decision: z.enum(["approve", "request_changes"], { message: "Choose approve or request changes." }),
  body: descriptionSchema.default(""),
});

export const commentBodySchema = z.object({
  body: z.string().trim().min(1, "Write a comment.").max(10_000, "Use at most 10,000 characters."),
  parentId: z.string().min(1).max(64).optional(),
  anchorItemId: z.string().min(1).max(64).optional(),
  anchorRuleId: z.string().min(1).max(200).optional(),
});

export const scheduleBodySchema = z.object({
  at: z.iso.datetime({ offset: true, message: "Give the time as an ISO date-time, e.g. 2026-12-01T09:00:00Z." }),
});

export const CHANGE_REQUEST_VIEWS = ["all", "mine", "awaiting_my_review"] as const;

export const listChangeRequestsQuerySchema = z.object({
  environment: slugSchema.optional(),
  status: z
    .string()
    .max(200)
    .transform((s) => s.split(",").map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(changeRequestStatusSchema))
    .optional(),
  view: z.enum(CHANGE_REQUEST_VIEWS).default("all"),
  before: changeRequestNumberSchema.optional(),
  limit: pageLimitSchema,
});
export type ListChangeRequestsQuery = z.infer<typeof listChangeRequestsQuerySchema>;

// --- Console actions ---------------------------------------------------------------------------

const target = { projectKey: projectKeySchema, number: changeRequestNumberSchema };

/** Console proposals send long key lists as JSON text (see actionKeyListSchema). */
const consoleChangesSchema = z
  .array(
    z.discriminatedUnion("entityType", [
      proposedFlagChangeSchema,
      proposedSegmentChangeSchema.extend({ included: actionKeyListSchema.default([]), excluded: actionKeyListSchema.default([]) }),
    ]),
  )
  .min(1, "Propose at least one change.")
  .max(50, "At most 50 flags and segments per change request.");

export const createChangeRequestActionSchema = createChangeRequestBodySchema.extend({
  projectKey: projectKeySchema,
  environmentKey: slugSchema,
  changes: consoleChangesSchema,
});
export const reviseChangeRequestActionSchema = reviseChangeRequestBodySchema.extend({ ...target, changes: consoleChangesSchema.optional() });
export const reviewChangeRequestActionSchema = reviewBodySchema.extend(target);
export const commentChangeRequestActionSchema = commentBodySchema.extend(target);
export const scheduleChangeRequestActionSchema = scheduleBodySchema.extend(target);
export const changeRequestActionSchema = z.object(target);
export const rebaseChangeRequestActionSchema = z.object({ ...target, note: descriptionSchema.optional() });

/** How a proposal from an editor (flag page, segment editor) is filed. */
export const proposalDetailsSchema = z.object({
  title: titleSchema.optional(),
  description: descriptionSchema.optional(),
  /** Add to one of your own open requests in this environment instead of opening a new one. */
  addToNumber: changeRequestNumberSchema.optional(),
});
export type ProposalDetails = z.infer<typeof proposalDetailsSchema>;

/** Which parts of the source environment's configuration a promotion copies. */
export const promotionScopeSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("everything") }).meta({ description: "The target becomes a copy of the source (rules the source lacks are removed)." }),
  z
    .object({
      kind: z.literal("parts"),
      ruleIds: z.array(z.string().min(1).max(200)).max(500).default([]).meta({ description: "Source rules to copy: replaced in place where the target has the same rule id, inserted in the source's order otherwise." }),
      targets: z.boolean().default(false),
      fallthrough: z.boolean().default(false),
      prerequisites: z.boolean().default(false),
      state: z.boolean().default(false).meta({ description: "On/off and the off variation." }),
    })
    .meta({ description: "Only the chosen parts; the rest of the target stays as it is." }),
]);

const promotionFields = z.object({
  from: slugSchema.meta({ description: "Source environment key, e.g. staging." }),
  to: slugSchema.meta({ description: "Target environment key, e.g. production." }),
  scope: promotionScopeSchema.default({ kind: "everything" }),
  title: titleSchema.optional(),
  description: descriptionSchema.optional(),
  draft: z.boolean().default(false),
});
const distinctEnvironments = (body: { from: string; to: string }) => body.from !== body.to;
const distinctMessage = { path: ["to"], message: "Choose a target environment other than the source." };

export const promotionBodySchema = promotionFields.refine(distinctEnvironments, distinctMessage);
export type PromotionBody = z.infer<typeof promotionBodySchema>;

/** The console's "Compare and promote" page (its preview reads the same fields). */
export const promoteFlagSchema = promotionFields.extend({ projectKey: projectKeySchema, flagKey: flagKeySchema }).refine(distinctEnvironments, distinctMessage);
