import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { auditEventSchema, auditExportQuerySchema, auditListQuerySchema, auditPageSchema, auditVerificationSchema } from "@/lib/schemas/audit";
import { projectKeySchema } from "@/lib/schemas/project";
import { bearerSecurity, standardErrors } from "./shared";

export function registerAuditRoutes(registry: OpenAPIRegistry) {
  const params = z.object({ project: projectKeySchema });
  const json = (schema: z.ZodType) => ({ "application/json": { schema } });

  registry.registerPath({
    method: "get",
    path: "/api/v1/projects/{project}/audit",
    summary: "List a project's audit log, newest first, a page at a time",
    description: "Any role may read it. `nextCursor` of one page is the `cursor` of the next. Filters combine (AND).",
    security: bearerSecurity,
    request: { params, query: auditListQuerySchema },
    responses: { 200: { description: "A page of events", content: json(auditPageSchema) }, ...standardErrors },
  });
  registry.registerPath({
    method: "get",
    path: "/api/v1/projects/{project}/audit/{id}",
    summary: "Read one audit event: before, after, diff, reason, request metadata and hashes",
    security: bearerSecurity,
    request: { params: params.extend({ id: z.string().meta({ description: "The event's id (digits)." }) }) },
    responses: { 200: { description: "The event", content: json(auditEventSchema) }, ...standardErrors },
  });
  registry.registerPath({
    method: "get",
    path: "/api/v1/projects/{project}/audit/export",
    summary: "Export a project's audit log (streamed CSV, JSON array or NDJSON)",
    description:
      "Oldest first (chain order), with the list's filters, streamed in batches so any size downloads in constant server memory. CSV cells that a spreadsheet would run as formulas (= + - @) start with an apostrophe. JSON rows carry every hashed column, so `hash` can be recomputed per row.",
    security: bearerSecurity,
    request: { params, query: auditExportQuerySchema },
    responses: {
      200: {
        description: "The file (Content-Disposition: attachment)",
        content: {
          "text/csv": { schema: z.string() },
          "application/json": { schema: z.array(auditEventSchema) },
          "application/x-ndjson": { schema: z.string().meta({ description: "One AuditEvent JSON object per line." }) },
        },
      },
      ...standardErrors,
    },
  });
  registry.registerPath({
    method: "get",
    path: "/api/v1/audit/verify",
    summary: "Verify the audit log's hash chain (the whole installation)",
    description:
      "Recomputes every event's hash in chain order and reports the first broken link: content changed, a broken link, or missing rows. The chain spans every project, so any token holding `audit:verify` in some project may call it (approvers and admins; an unscoped admin token). Answers 200 with `ok: false` when the chain is broken.",
    security: bearerSecurity,
    responses: { 200: { description: "The verification", content: json(auditVerificationSchema) }, ...standardErrors },
  });
}
