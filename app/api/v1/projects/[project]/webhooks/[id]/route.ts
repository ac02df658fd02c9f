import { apiRoute, parseJsonBody } from "@/lib/api/handle-route";
import { requireProjectPermission } from "@/lib/auth/access";
import { deleteWebhook, updateWebhook } from "@/lib/notifications/manage-webhooks";
import { updateWebhookBodySchema } from "@/lib/schemas/webhook";

type Params = { project: string; id: string };

export const PATCH = apiRoute<Params>(async (request, { actor, params }) => {
  const access = await requireProjectPermission(actor, params.project, "webhooks:write");
  const changes = await parseJsonBody(request, updateWebhookBodySchema);
  return Response.json(await updateWebhook(access, params.id, changes));
});

export const DELETE = apiRoute<Params>(async (_request, { actor, params }) => {
  const access = await requireProjectPermission(actor, params.project, "webhooks:write");
  await deleteWebhook(access, params.id);
  return new Response(null, { status: 204 });
});
