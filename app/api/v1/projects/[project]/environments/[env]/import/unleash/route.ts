import { apiRoute, parseJsonBody } from "@/lib/api/handle-route";
import { requireAlsoPermission, requireProjectPermission } from "@/lib/auth/access";
import { importUnleashPayload } from "@/lib/imports/import-unleash";
import { MAX_UNLEASH_IMPORT_BYTES, unleashPayloadSchema } from "@/lib/schemas/unleash-import";

type Params = { project: string; env: string };

/** Imports Unleash's client API payload into this environment, all or nothing. */
export const POST = apiRoute<Params>(async (request, { actor, params }) => {
  const access = await requireProjectPermission(actor, params.project, "flags:write");
  requireAlsoPermission(access, "segments:write");
  const payload = await parseJsonBody(request, unleashPayloadSchema, { maxBytes: MAX_UNLEASH_IMPORT_BYTES });
  return Response.json(await importUnleashPayload(access, params.env, payload));
});
