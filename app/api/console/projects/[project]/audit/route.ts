import { consoleRead } from "@/lib/api/console-route";
import { parseSearchParams } from "@/lib/api/handle-route";
import { listAuditEvents } from "@/lib/audit/list-audit-events";
import { auditListQuerySchema } from "@/lib/schemas/audit";

/** The audit page's table: newest first, filtered, a page at a time. Every member may read it. */
export const GET = consoleRead<{ project: string }>((access, _params, request) => listAuditEvents(access, parseSearchParams(request, auditListQuerySchema)));
