import { jsonError } from "@/lib/api/handle-route";
import { authenticateSdkKey } from "@/lib/auth/sdk-key-auth";
import { AppError, isAppError } from "@/lib/errors";
import { eventIngestGate } from "@/lib/events/ingest-gate";
import { ingestEvents } from "@/lib/events/ingest-events";
import { getMetrics } from "@/lib/observability/metrics";
import { eventBatchSchema, eventIssuesOf, MAX_EVENT_BATCH_BYTES, MAX_EVENTS_PER_BATCH } from "@/lib/schemas/events";

/** Seconds a refused client should wait before retrying the same batch. */
const RETRY_AFTER_SECONDS = 1;

/**
 * POST /api/v1/events — exposure and metric batches from SDKs (server or client key; the key
 * fixes project and environment). 202 with what happened to each event; 400/413 for a batch that
 * cannot be taken as it is; 503 + Retry-After when this instance is saturated. See docs/events.md.
 */
export const POST = async (request: Request): Promise<Response> => {
  const auth = await authenticateSdkKey(request.headers);
  if (!auth.ok) return new Response(null, { status: auth.status, headers: { "WWW-Authenticate": "Bearer" } });

  const release = await eventIngestGate.acquire();
  if (!release) {
    getMetrics().eventsRejected.inc({ reason: "OVERLOADED" });
    return Response.json(
      { error: { code: "OVERLOADED", message: "Too many event batches in flight; nothing was stored. Retry after the delay." } },
      { status: 503, headers: { "Retry-After": String(RETRY_AFTER_SECONDS) } },
    );
  }
  try {
    const body = await readJsonBody(request);
    if (Array.isArray((body as { events?: unknown } | null)?.events) && (body as { events: unknown[] }).events.length > MAX_EVENTS_PER_BATCH) {
      throw new AppError("PAYLOAD_TOO_LARGE", `A batch may hold at most ${MAX_EVENTS_PER_BATCH} events; split it.`, {
        maxEvents: MAX_EVENTS_PER_BATCH,
        events: (body as { events: unknown[] }).events.length,
      });
    }
    const parsed = eventBatchSchema.safeParse(body);
    if (!parsed.success) {
      const { first, issues, issueCount } = eventIssuesOf(parsed.error);
      const where = first.index === null ? first.field : `Event ${first.index}, ${first.field}`;
      const more = issueCount > 1 ? ` ${issueCount - 1} more issue${issueCount > 2 ? "s" : ""} in details.issues.` : "";
      throw new AppError("VALIDATION_FAILED", `${where}: ${first.issue}${more} Nothing was stored.`, { ...first, issues, issueCount });
    }
    const result = await ingestEvents(auth.principal, parsed.data);
    getMetrics().eventsAccepted.inc({}, result.accepted);
    return Response.json(result, { status: 202 });
  } catch (error) {
    getMetrics().eventsRejected.inc({ reason: isAppError(error) ? error.code : "INTERNAL" });
    if (isAppError(error)) return jsonError(error);
    console.error("POST /api/v1/events failed", error);
    return Response.json(
      { error: { code: "INTERNAL", message: "Something went wrong on our side; nothing was stored. Retry the batch." } },
      { status: 500 },
    );
  } finally {
    release();
  }
};

/** The body as JSON, refusing more than MAX_EVENT_BATCH_BYTES without reading past the limit. */
async function readJsonBody(request: Request): Promise<unknown> {
  const tooLarge = () =>
    new AppError("PAYLOAD_TOO_LARGE", `Event batches are limited to ${MAX_EVENT_BATCH_BYTES} bytes; split the batch.`, {
      maxBytes: MAX_EVENT_BATCH_BYTES,
    });
  if (Number(request.headers.get("content-length") ?? 0) > MAX_EVENT_BATCH_BYTES) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > MAX_EVENT_BATCH_BYTES) {
        await reader.cancel().catch(() => {});
        throw tooLarge();
      }
      chunks.push(value);
    }
  }
  const text = new TextDecoder().decode(Buffer.concat(chunks));
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("BAD_REQUEST", "The request body is not valid JSON.");
  }
}
