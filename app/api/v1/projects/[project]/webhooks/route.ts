import { apiRoute, parseJsonBody } from "@/lib/api/handle-route";
import { requireProjectPermission } from "@/lib/auth/access";
import { createWebhook, listWebhooksJson } from "@/lib/notifications/manage-webhooks";
import { createWebhookBodySchema } from "@/lib/schemas/webhook";

type Params = { project: string };

export const GET = apiRoute<Params>(async (_request, { actor, params }) => {
  const access = await requireProjectPermission(actor, params.project, "project:read");
  return Response.json({ webhooks: await listWebhooksJson(access) });
});

export const POST = apiRoute<Params>(async (request, { actor, params }) => {
  const access = await requireProjectPermission(actor, params.project, "webhooks:write");
  const body = await parseJsonBody(request, createWebhookBodySchema);
  return Response.json(await createWebhook(access, body), { status: 201 });
});
