import { requireProjectPermission, type ProjectAccess } from "@/lib/auth/access";
import { getSessionActor } from "@/lib/auth/session";
import { isAppError, unauthenticated } from "@/lib/errors";
import { jsonError } from "./handle-route";

/**
 * A read for the console's client components (react-query), authenticated by the session cookie
 * rather than an API token: the signed-in person must be able to read the project. Answers JSON,
 * errors as `{error: {code, message}}` with their status. Console writes are server actions.
 */
export function consoleRead<Params extends { project: string }>(read: (access: ProjectAccess, params: Params, request: Request) => Promise<unknown>) {
  return async (request: Request, context: { params: Promise<Params> }): Promise<Response> => {
    try {
      const actor = await getSessionActor();
      if (!actor) throw unauthenticated();
      const params = await context.params;
      const access = await requireProjectPermission(actor, params.project, "project:read");
      return Response.json(await read(access, params, request), { headers: { "Cache-Control": "private, no-store" } });
    } catch (error) {
      if (isAppError(error)) return jsonError(error);
      console.error(`GET ${new URL(request.url).pathname} failed`, error);
      return Response.json({ error: { code: "INTERNAL", message: "Something went wrong on our side." } }, { status: 500 });
    }
  };
}
