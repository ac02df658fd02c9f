import { apiRoute } from "@/lib/api/handle-route";
import { getAuditEvent } from "@/lib/audit/list-audit-events";
import { requireProjectPermission } from "@/lib/auth/access";

/** One audit event of the project with its before, after, diff, request metadata and hashes. */
export const GET = apiRoute<{ project: string; id: string }>(async (_request, { actor, params }) => {
  const access = await requireProjectPermission(actor, params.project, "project:read");
  return Response.json(await getAuditEvent(access, params.id));
});
