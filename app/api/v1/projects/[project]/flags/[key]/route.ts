import { apiRoute, parseJsonBody } from "@/lib/api/handle-route";
import { requireProjectPermission } from "@/lib/auth/access";
import { archiveFlag } from "@/lib/flags/archive-flag";
import { flagJson } from "@/lib/flags/flag-json";
import { getFlagOrThrow } from "@/lib/flags/get-flag-or-throw";
import { updateFlag } from "@/lib/flags/update-flag";
import { updateFlagBodySchema } from "@/lib/schemas/flag";

// Next decodes the path segment, so Unicode and dotted keys arrive as written.
type Params = { project: string; key: string };

export const GET = apiRoute<Params>(async (_request, { actor, params }) => {
  const access = await requireProjectPermission(actor, params.project, "project:read");
  return Response.json(flagJson(await getFlagOrThrow(access.project.id, params.key)));
});

/** Changes the definition; only the fields present change (`null` clears owner, expiry, control variation). */
export const PATCH = apiRoute<Params>(async (request, { actor, params }) => {
  const access = await requireProjectPermission(actor, params.project, "flags:write");
  return Response.json(await updateFlag(access, params.key, await parseJsonBody(request, updateFlagBodySchema)));
});

/** Archives the flag (keys are never reused, so nothing is erased); answers the archived flag. */
export const DELETE = apiRoute<Params>(async (_request, { actor, params }) => {
  const access = await requireProjectPermission(actor, params.project, "flags:write");
  return Response.json(await archiveFlag(access, params.key));
});
