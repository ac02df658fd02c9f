import { z } from "zod";
import { cursorSchema, slugSchema } from "./common";

/**
 * The audit log's filters, as the console's URL, the console reads and the REST export spell
 * them. Strings on the wire (they are query parameters); lib/audit/audit-filter.ts turns them
 * into column values.
 */

/** `2026-11-24` (a whole UTC day) or an ISO date-time with a zone (`2026-11-24T09:30:00Z`). */
const timeSchema = z.union([z.iso.date(), z.iso.datetime({ offset: true })], { error: "Use a date (2026-11-24) or an ISO date-time with a zone (2026-11-24T09:30:00Z)." });

export const auditFiltersSchema = z.object({
  actor: z.string().trim().max(320).optional().meta({ description: "Who acted, exactly as the log labels them: an email, `token:<name>` or `system:<name>`." }),
  entityType: z
    .string()
    .trim()
    .max(50)
    .regex(/^[a-z][a-z0-9_]*$/, "Entity types are lowercase words joined by underscores (flag, segment, api_token…).")
    .optional()
    .meta({ description: "flag, segment, attribute, member, api_token, sdk_key, project, change_request, …" }),
  entityKey: z.string().trim().max(500).optional().meta({ description: "The entity's key, exactly (with `entityType`, one flag's or segment's history)." }),
  action: z
    .string()
    .trim()
    .max(100)
    .regex(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*(\.\*)?$/, "Actions look like flag_config.updated; end with .* for every action of a kind (change_request.*).")
    .optional()
    .meta({ description: "An action (`flag_config.updated`), or every action of a kind with a trailing `.*` (`change_request.*`)." }),
  environment: slugSchema.optional().meta({ description: "Only events in this environment (project-level events have none)." }),
  from: timeSchema.optional().meta({ description: "Events at or after this time. A date means its start (UTC)." }),
  to: timeSchema.optional().meta({ description: "Events before this time. A date means the end of that day (UTC), so from=to=a date is that day." }),
  q: z.string().trim().max(200).optional().meta({ description: "Case-insensitive text in the entity key, action, reason or actor label." }),
});
export type AuditFilters = z.infer<typeof auditFiltersSchema>;

export const auditListQuerySchema = auditFiltersSchema.extend({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: cursorSchema.optional().meta({ description: "`nextCursor` of the previous page." }),
});
export type AuditListQuery = z.infer<typeof auditListQuerySchema>;

export const AUDIT_EXPORT_FORMATS = ["csv", "json", "ndjson"] as const;
export type AuditExportFormat = (typeof AUDIT_EXPORT_FORMATS)[number];

export const auditExportQuerySchema = auditFiltersSchema.extend({
  format: z.enum(AUDIT_EXPORT_FORMATS).default("csv").meta({
    description: "`csv` (one row per event, JSON columns as text), `json` (one JSON array, streamed) or `ndjson` (one JSON object per line).",
  }),
});
export type AuditExportQuery = z.infer<typeof auditExportQuerySchema>;

/** An audit event id in a path: the chain's bigint id, as digits. */
export const auditEventIdSchema = z.string().regex(/^[1-9][0-9]{0,18}$/, "Audit event ids are positive whole numbers.");

/** One row of the audit table (list and export share the field names). */
export const auditListItemSchema = z
  .object({
    id: z.string(),
    createdAt: z.string(),
    actorType: z.enum(["user", "api_token", "system"]),
    actorLabel: z.string(),
    action: z.string(),
    entityType: z.string(),
    entityKey: z.string(),
    environment: z.string().nullable().meta({ description: "The environment's key, or null for project-level events." }),
    reason: z.string().nullable(),
    changeRequestId: z.string().nullable(),
  })
  .meta({ id: "AuditEventSummary" });
export type AuditListItem = z.infer<typeof auditListItemSchema>;

export const auditPageSchema = z.object({ events: z.array(auditListItemSchema), nextCursor: z.string().nullable() }).meta({ id: "AuditEventPage" });
export type AuditPage = z.infer<typeof auditPageSchema>;

export const auditEventSchema = auditListItemSchema
  .extend({
    actorId: z.string().nullable(),
    before: z.unknown(),
    after: z.unknown(),
    diff: z.unknown(),
    requestMeta: z
      .object({ ip: z.string().nullable(), userAgent: z.string().nullable(), requestId: z.string() })
      .partial()
      .nullable()
      .meta({ description: "The request that caused the event, when it came through the console or the REST API." }),
    prevHash: z.string(),
    hash: z.string(),
  })
  .meta({ id: "AuditEvent" });
export type AuditEventDetail = z.infer<typeof auditEventSchema>;

export const auditVerificationSchema = z
  .discriminatedUnion("ok", [
    z.object({
      ok: z.literal(true),
      checked: z.number().int().meta({ description: "Events verified (the whole chain)." }),
      lastId: z.string().nullable(),
      lastHash: z.string().meta({ description: "Keep it somewhere else: removing the newest events cannot be detected from the chain alone, but this hash would no longer be in it." }),
      durationMs: z.number(),
    }),
    z.object({
      ok: z.literal(false),
      checked: z.number().int().meta({ description: "Events verified before the broken one." }),
      brokenAt: z.string().meta({ description: "The id of the first event that does not verify." }),
      problem: z.enum(["content_changed", "broken_link", "missing_rows"]).meta({
        description:
          "`content_changed`: the event's content no longer matches its hash (edited in the database). `broken_link`: its prevHash is not the previous event's hash (a hash rewritten, or rows inserted or reordered). `missing_rows`: the same, across a gap in the ids (rows deleted).",
      }),
      message: z.string(),
      previousId: z.string().nullable().meta({ description: "The last event that verified (null at the start of the chain)." }),
      missingIds: z.object({ from: z.string(), to: z.string() }).nullable().meta({ description: "For missing_rows: the range of ids that is absent." }),
      expected: z.string(),
      actual: z.string(),
      durationMs: z.number(),
    }),
  ])
  .meta({ id: "AuditVerification" });
export type AuditChainVerification = z.infer<typeof auditVerificationSchema>;
