import { z } from "zod";

/**
 * POST /api/v1/events: the EventBatch of lib/snapshots/wire-format.ts, validated. Shared by the
 * route, the OpenAPI document and the benchmark. Limits are part of the contract (docs/events.md).
 */

/** Bodies above this many bytes answer 413 before parsing. */
export const MAX_EVENT_BATCH_BYTES = 1_000_000;
/** Batches with more events than this answer 413 (split them). */
export const MAX_EVENTS_PER_BATCH = 5_000;
/** Events stamped further ahead than this answer 400: a client clock that far off is broken. */
export const MAX_EVENT_FUTURE_MS = 24 * 60 * 60 * 1000;
/** Events older than this answer 400: their buckets may be pruned, and unique counts closed. */
export const MAX_EVENT_AGE_MS = 30 * 24 * 60 * 60 * 1000;
/** A 400 lists at most this many issues (the first by event index comes first). */
export const MAX_REPORTED_ISSUES = 20;

const KEY_MAX = 256;
const CONTEXT_KEY_MAX = 1024;

/**
 * PostgreSQL text and jsonb cannot hold U+0000 or unpaired surrogates; such a key would fail the
 * whole batch's insert, so the schema refuses it up front (attribute values are stripped instead).
 */
export function isStorableText(value: string): boolean {
  // Fast path: almost every key has neither NUL nor any surrogate.
  if (!/[\u0000\uD800-\uDFFF]/.test(value)) return true;
  return !/\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(value);
}

const key = (what: string) =>
  z
    .string({ error: `${what} must be a string.` })
    .min(1, `${what} must not be empty.`)
    .max(KEY_MAX, `${what} must be at most ${KEY_MAX} characters.`)
    .refine(isStorableText, `${what} must not contain NUL characters or unpaired surrogates.`);

const timestampSchema = z
  .union(
    [
      z.iso.datetime({ offset: true, error: "timestamp must be an ISO 8601 date-time with a time zone (…Z or ±hh:mm)." }),
      z.number().int("timestamp in epoch milliseconds must be an integer.").nonnegative(),
    ],
    { error: "timestamp must be an ISO 8601 date-time string or epoch milliseconds." },
  )
  .meta({
    description: "ISO 8601 with a time zone, or epoch milliseconds. At most 1 day ahead of and 30 days behind the server's clock.",
    example: "2026-11-24T09:30:00.000Z",
  });

const attributesSchema = z
  .record(z.string().max(KEY_MAX), z.unknown(), { error: "attributes must be an object." })
  .optional()
  .meta({
    description:
      "Context attributes for cohort breakdowns. Only attributes the project's catalog marks public are kept; " +
      "private, forbidden and uncatalogued ones are removed before anything is stored.",
  });

const contextKeySchema = z
  .string({ error: "contextKey must be a string." })
  .min(1, "contextKey must not be empty.")
  .max(CONTEXT_KEY_MAX, `contextKey must be at most ${CONTEXT_KEY_MAX} characters.`)
  .refine(isStorableText, "contextKey must not contain NUL characters or unpaired surrogates.");

export const exposureEventSchema = z.object({
  kind: z.literal("exposure"),
  flagKey: key("flagKey"),
  variationKey: key("variationKey"),
  contextKey: contextKeySchema,
  attributes: attributesSchema,
  timestamp: timestampSchema,
  configVersion: z.number().int("configVersion must be an integer.").nonnegative().max(2_147_483_647).optional(),
}).meta({ id: "ExposureEvent", description: "A context was served a variation of a flag." });

export const metricEventSchema = z.object({
  kind: z.literal("metric"),
  metricKey: key("metricKey"),
  value: z.number({ error: "value must be a finite number." }).optional().meta({ description: "Omitted for rate (conversion) metrics." }),
  contextKey: contextKeySchema,
  attributes: attributesSchema,
  timestamp: timestampSchema,
}).meta({ id: "MetricEvent", description: "Something a context did or measured (track)." });

const eventSchema = z.discriminatedUnion("kind", [exposureEventSchema, metricEventSchema], {
  error: (issue) =>
    typeof issue.input === "object" && issue.input !== null && !Array.isArray(issue.input)
      ? 'kind must be "exposure" or "metric".'
      : "each event must be an object.",
});

/** Epoch milliseconds of a timestamp that passed the schema. */
export function eventTimeMs(timestamp: string | number): number {
  return typeof timestamp === "number" ? timestamp : Date.parse(timestamp);
}

/**
 * The batch schema with the clock as an argument: timestamps are judged against `now()` at parse
 * time, per event, so a 400 names the event whose clock is off.
 */
export function createEventBatchSchema(now: () => number = Date.now) {
  return z
    .object({
      events: z.array(
        eventSchema.superRefine((event, ctx) => {
          const at = eventTimeMs(event.timestamp);
          const current = now();
          let problem: string | null = null;
          if (at > current + MAX_EVENT_FUTURE_MS) problem = "timestamp is more than 1 day in the future (check the client's clock).";
          else if (at < current - MAX_EVENT_AGE_MS) {
            problem =
              typeof event.timestamp === "number" && event.timestamp < 1e11
                ? "timestamp is older than 30 days; it looks like epoch seconds, send milliseconds."
                : "timestamp is older than 30 days.";
          }
          if (problem) ctx.addIssue({ code: "custom", message: problem, path: ["timestamp"] });
        }),
        { error: "events must be an array." },
      ),
    });
}

export const eventBatchSchema = createEventBatchSchema().meta({
  id: "EventBatch",
  description: `At most ${MAX_EVENTS_PER_BATCH} events and ${MAX_EVENT_BATCH_BYTES} bytes per batch.`,
});
export type EventBatchInput = z.infer<typeof eventBatchSchema>;
export type ExposureEventInput = z.infer<typeof exposureEventSchema>;
export type MetricEventInput = z.infer<typeof metricEventSchema>;

/** One validation problem: which event (null for the batch itself), which field, what is wrong. */
export interface EventIssue {
  index: number | null;
  field: string;
  issue: string;
}

/**
 * Zod's issues as the 400's details: the first bad event's index and field, then up to
 * MAX_REPORTED_ISSUES issues in event order. Zod reports array elements in order already.
 */
export function eventIssuesOf(error: z.ZodError): { first: EventIssue; issues: EventIssue[]; issueCount: number } {
  const issues = error.issues.map((issue): EventIssue => {
    const [top, index, ...rest] = issue.path;
    if (top === "events" && typeof index === "number") {
      return { index, field: rest.map(String).join(".") || "(event)", issue: issue.message };
    }
    return { index: null, field: issue.path.map(String).join(".") || "(body)", issue: issue.message };
  });
  issues.sort((a, b) => (a.index ?? -1) - (b.index ?? -1));
  return { first: issues[0], issues: issues.slice(0, MAX_REPORTED_ISSUES), issueCount: issues.length };
}

/** The 202 answer. accepted + Σ dropped = received. */
export const eventBatchResultSchema = z
  .object({
    received: z.number().int(),
    accepted: z.number().int().meta({ description: "Events committed: exposures stored and rolled up, metric events rolled up." }),
    dropped: z.object({
      unknownFlag: z.number().int().meta({ description: "Exposures of flags not in the project (for client keys: not client-visible)." }),
      unknownMetric: z.number().int().meta({ description: "Metric events of metrics with no definition in the project." }),
      unattributed: z.number().int().meta({ description: "Metric events of contexts with no exposure at or before the event." }),
      missingValue: z.number().int().meta({ description: "Metric events of value metrics without a value." }),
    }),
    unknownFlags: z.array(z.string()).meta({ description: "Distinct unknown flag keys (at most 100)." }),
    unknownMetrics: z.array(z.string()).meta({ description: "Distinct unknown metric keys (at most 100)." }),
    stripped: z.number().int().meta({ description: "Attribute values removed: private, forbidden or not in the catalog." }),
  })
  .meta({ id: "EventBatchResult" });
export type EventBatchResult = z.infer<typeof eventBatchResultSchema>;
