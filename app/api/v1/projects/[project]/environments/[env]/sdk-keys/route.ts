import { apiRoute, parseJsonBody } from "@/lib/api/handle-route";
import { requireProjectPermission } from "@/lib/auth/access";
import { createSdkKeyBodySchema } from "@/lib/schemas/sdk-key";
import { createSdkKey, listSdkKeysJson } from "@/lib/sdk-keys/manage-sdk-keys";

type Params = { project: string; env: string };

export const GET = apiRoute<Params>(async (_request, { actor, params }) => {
  const access = await requireProjectPermission(actor, params.project, "project:read");
  return Response.json({ sdkKeys: await listSdkKeysJson(access, params.env) });
});

export const POST = apiRoute<Params>(async (request, { actor, params }) => {
  const access = await requireProjectPermission(actor, params.project, "sdkkeys:write");
  const body = await parseJsonBody(request, createSdkKeyBodySchema);
  return Response.json(await createSdkKey(access, { ...body, environmentKey: params.env }), { status: 201 });
});
