import { apiRoute, parseJsonBody, parseSearchParams } from "@/lib/api/handle-route";
import { requireProjectPermission } from "@/lib/auth/access";
import { createFlag } from "@/lib/flags/create-flag";
import { listFlags } from "@/lib/flags/list-flags";
import { createFlagBodySchema, listFlagsQuerySchema } from "@/lib/schemas/flag";

type Params = { project: string };

/** Flag definitions, a page at a time (`nextCursor`), filtered by `query`, `kind`, `tag`, `lifecycle`, `owner`. */
export const GET = apiRoute<Params>(async (request, { actor, params }) => {
  const access = await requireProjectPermission(actor, params.project, "project:read");
  return Response.json(await listFlags(access, parseSearchParams(request, listFlagsQuerySchema)));
});

/** Creates a flag, off in every environment. */
export const POST = apiRoute<Params>(async (request, { actor, params }) => {
  const access = await requireProjectPermission(actor, params.project, "flags:write");
  const flag = await createFlag(access, await parseJsonBody(request, createFlagBodySchema));
  return Response.json(flag, {
    status: 201,
    headers: { Location: `/api/v1/projects/${access.project.key}/flags/${encodeURIComponent(flag.key)}` },
  });
});
