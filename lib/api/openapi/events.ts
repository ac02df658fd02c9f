import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import {
  eventBatchResultSchema,
  eventBatchSchema,
  MAX_EVENT_BATCH_BYTES,
  MAX_EVENTS_PER_BATCH,
  MAX_REPORTED_ISSUES,
} from "@/lib/schemas/events";
import { errorBodySchema } from "./shared";

export function registerEventRoutes(registry: OpenAPIRegistry) {
  registry.registerComponent("securitySchemes", "sdkKey", {
    type: "http",
    scheme: "bearer",
    description: "A server or client SDK key (Settings → SDK keys); `X-API-Key: <key>` works too. The key fixes project and environment.",
  });
  const error = (description: string) => ({ description, content: { "application/json": { schema: errorBodySchema } } });

  registry.registerPath({
    method: "post",
    path: "/api/v1/events",
    summary: "Ingest a batch of exposure and metric events",
    description: [
      `A batch holds at most ${MAX_EVENTS_PER_BATCH} events and ${MAX_EVENT_BATCH_BYTES} bytes (larger: 413, split it).`,
      "Timestamps may be at most 1 day ahead of and 30 days behind the server's clock.",
      "A batch is validated as a whole: any invalid event answers 400 and nothing is stored; `details` names the first",
      `bad event (\`index\`, \`field\`, \`issue\`) and \`details.issues\` lists up to ${MAX_REPORTED_ISSUES}.`,
      "Events of unknown flags or metrics are not an error: they are dropped and reported in the 202.",
      "Attributes not public in the project's attribute catalog are removed before anything is stored.",
      "Accepted events are committed when the 202 is sent. A 503 means nothing was stored: retry after `Retry-After`.",
    ].join(" "),
    security: [{ sdkKey: [] }],
    request: { body: { content: { "application/json": { schema: eventBatchSchema } } } },
    responses: {
      202: { description: "Stored; counts per outcome", content: { "application/json": { schema: eventBatchResultSchema } } },
      400: error("Not JSON (`BAD_REQUEST`) or an invalid event (`VALIDATION_FAILED`, `details: {index, field, issue, issues, issueCount}`)."),
      401: { description: "Missing, unknown or revoked SDK key (no body)." },
      413: error(`More than ${MAX_EVENT_BATCH_BYTES} bytes or ${MAX_EVENTS_PER_BATCH} events (\`PAYLOAD_TOO_LARGE\`).`),
      503: {
        ...error("Too many batches in flight on this instance (`OVERLOADED`); nothing was stored."),
        headers: { "Retry-After": { description: "Seconds to wait before retrying.", schema: { type: "integer" } } },
      },
    },
  });
}
