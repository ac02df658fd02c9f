import { requireProjectPermission, type ProjectAccess } from "@/lib/auth/access";
import type { Permission } from "@/lib/auth/permissions";
import { getSessionActor } from "@/lib/auth/session";
import { isAppError, unauthenticated } from "@/lib/errors";
import { jsonError } from "./handle-route";

/**
 * A console route for the client components, authenticated by the session cookie rather than
 * an API token: the signed-in person must hold `permission` in the project (reading it, by
 * default). Errors are `{error: {code, message}}` with their status. Console writes are server
 * actions; this is for reads, including downloads (`consoleRoute` answers any Response).
 */
export function consoleRoute<Params extends { project: string }>(
  handle: (access: ProjectAccess, params: Params, request: Request) => Promise<Response>,
  permission: Permission = "project:read",
) {
  return async (request: Request, context: { params: Promise<Params> }): Promise<Response> => {
    try {
      const actor = await getSessionActor();
      if (!actor) throw unauthenticated();
      const params = await context.params;
      const access = await requireProjectPermission(actor, params.project, permission);
      return await handle(access, params, request);
    } catch (error) {
      if (isAppError(error)) return jsonError(error);
      console.error(`GET ${new URL(request.url).pathname} failed`, error);
      return Response.json({ error: { code: "INTERNAL", message: "Something went wrong on our side." } }, { status: 500 });
    }
  };
}

/** A console read answering JSON (react-query). */
export function consoleRead<Params extends { project: string }>(
  read: (access: ProjectAccess, params: Params, request: Request) => Promise<unknown>,
  permission: Permission = "project:read",
) {
  return consoleRoute<Params>(async (access, params, request) => Response.json(await read(access, params, request), { headers: { "Cache-Control": "private, no-store" } }), permission);
}
