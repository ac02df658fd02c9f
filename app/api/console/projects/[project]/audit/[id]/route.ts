import { consoleRead } from "@/lib/api/console-route";
import { getAuditEvent } from "@/lib/audit/list-audit-events";

/** One audit event with its before, after, diff and request metadata (the detail drawer). */
export const GET = consoleRead<{ project: string; id: string }>((access, params) => getAuditEvent(access, params.id));
