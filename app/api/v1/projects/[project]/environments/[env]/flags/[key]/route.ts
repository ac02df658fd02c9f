import { apiRoute, parseJsonBody } from "@/lib/api/handle-route";
import { requireProjectPermission } from "@/lib/auth/access";
import { readFlagConfig } from "@/lib/flags/read-flag-config";
import { updateFlagConfig } from "@/lib/flags/update-flag-config";
import { replaceFlagConfigBodySchema } from "@/lib/schemas/flag-config-request";

type Params = { project: string; env: string; key: string };

export const GET = apiRoute<Params>(async (_request, { actor, params }) => {
  const access = await requireProjectPermission(actor, params.project, "project:read");
  return Response.json(await readFlagConfig(access, params.env, params.key));
});

/** Replaces the configuration; `version` must be the current one (else 409 with the current). */
export const PUT = apiRoute<Params>(async (request, { actor, params }) => {
  const access = await requireProjectPermission(actor, params.project, "flags:write");
  const body = await parseJsonBody(request, replaceFlagConfigBodySchema);
  await updateFlagConfig(access, { environmentKey: params.env, flagKey: params.key, config: body.config, expectedVersion: body.version, reason: body.reason });
  return Response.json(await readFlagConfig(access, params.env, params.key));
});
