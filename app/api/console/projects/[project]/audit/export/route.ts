import { consoleRoute } from "@/lib/api/console-route";
import { parseSearchParams } from "@/lib/api/handle-route";
import { exportAuditEvents } from "@/lib/audit/export-audit-events";
import { auditExportQuerySchema } from "@/lib/schemas/audit";

/** The console's download: the page's filters, streamed as CSV, JSON or NDJSON. */
export const GET = consoleRoute<{ project: string }>((access, _params, request) => exportAuditEvents(access, parseSearchParams(request, auditExportQuerySchema)));
