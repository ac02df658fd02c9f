import { apiRoute, parseSearchParams } from "@/lib/api/handle-route";
import { exportAuditEvents } from "@/lib/audit/export-audit-events";
import { requireProjectPermission } from "@/lib/auth/access";
import { auditExportQuerySchema } from "@/lib/schemas/audit";

/** A project's audit log as a streamed CSV, JSON array or NDJSON download (oldest first), with the list's filters. */
export const GET = apiRoute<{ project: string }>(async (request, { actor, params }) => {
  const access = await requireProjectPermission(actor, params.project, "project:read");
  return exportAuditEvents(access, parseSearchParams(request, auditExportQuerySchema));
});
