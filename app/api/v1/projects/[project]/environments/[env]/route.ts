import { apiRoute, parseJsonBody } from "@/lib/api/handle-route";
import { requireProjectPermission } from "@/lib/auth/access";
import { environmentOrThrow } from "@/lib/projects/environment-or-throw";
import { environmentPolicyView, updateEnvironmentPolicy } from "@/lib/projects/update-environment-policy";
import { environmentPolicyBodySchema } from "@/lib/schemas/environment";

type Params = { project: string; env: string };

/** An environment's name, colour and policy. */
export const GET = apiRoute<Params>(async (_request, { actor, params }) => {
  const access = await requireProjectPermission(actor, params.project, "project:read");
  return Response.json(environmentPolicyView(await environmentOrThrow(access.project.id, params.env)));
});

/** Changes the fields sent (admins); audited; requests under review there are tallied again. */
export const PATCH = apiRoute<Params>(async (request, { actor, params }) => {
  const access = await requireProjectPermission(actor, params.project, "environments:write");
  return Response.json(await updateEnvironmentPolicy(access, params.env, await parseJsonBody(request, environmentPolicyBodySchema)));
});
