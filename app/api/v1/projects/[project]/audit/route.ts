import { apiRoute, parseSearchParams } from "@/lib/api/handle-route";
import { listAuditEvents } from "@/lib/audit/list-audit-events";
import { requireProjectPermission } from "@/lib/auth/access";
import { auditListQuerySchema } from "@/lib/schemas/audit";

/** A project's audit log, newest first, a page at a time, with the console's filters. */
export const GET = apiRoute<{ project: string }>(async (request, { actor, params }) => {
  const access = await requireProjectPermission(actor, params.project, "project:read");
  return Response.json(await listAuditEvents(access, parseSearchParams(request, auditListQuerySchema)));
});
