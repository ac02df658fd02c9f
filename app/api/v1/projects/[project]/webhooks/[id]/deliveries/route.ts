import { apiRoute, parseSearchParams } from "@/lib/api/handle-route";
import { requireProjectPermission } from "@/lib/auth/access";
import { listDeliveriesJson } from "@/lib/notifications/manage-webhooks";
import { deliveriesQuerySchema } from "@/lib/schemas/webhook";

/** The delivery log, newest first, with every attempt's answer. */
export const GET = apiRoute<{ project: string; id: string }>(async (request, { actor, params }) => {
  const access = await requireProjectPermission(actor, params.project, "project:read");
  const { limit } = parseSearchParams(request, deliveriesQuerySchema);
  return Response.json({ deliveries: await listDeliveriesJson(access, params.id, limit) });
});
