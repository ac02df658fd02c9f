import type { z } from "zod";
import { isAppError, unauthenticated, type ErrorCode } from "@/lib/errors";
import { requireProjectPermission, type ProjectAccess } from "./access";
import type { Actor } from "./actor";
import type { Permission } from "./permissions";
import { getSessionActor } from "./session";

export type ActionResult<T> =
  | { ok: true; data: T }
  | { ok: false; error: { code: ErrorCode | "INTERNAL"; message: string; fieldErrors?: Record<string, string> } };

/** Field path → first message, for showing errors next to the field they concern. */
export function fieldErrorsOf(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const path = issue.path.map(String).join(".") || "_form";
    fields[path] ??= issue.message;
  }
  return fields;
}

/**
 * The one way a console server action runs: parse with the shared schema, resolve the session,
 * authorise, then call the domain service. Server actions are public POST endpoints, so none
 * of these steps may be skipped; expected failures come back as data for the form to show,
 * unexpected ones are logged and reported without details.
 */
export async function runAction<S extends z.ZodType, T>(
  input: unknown,
  options: { schema: S; handler: (data: z.infer<S>, actor: Extract<Actor, { type: "user" }>) => Promise<T> },
): Promise<ActionResult<T>> {
  try {
    const parsed = options.schema.safeParse(input);
    if (!parsed.success) {
      const fieldErrors = fieldErrorsOf(parsed.error);
      return { ok: false, error: { code: "VALIDATION_FAILED", message: Object.values(fieldErrors)[0] ?? "Check the form.", fieldErrors } };
    }
    const actor = await getSessionActor();
    if (!actor) throw unauthenticated("Your session has expired. Sign in again.");
    return { ok: true, data: await options.handler(parsed.data, actor) };
  } catch (error) {
    if (isAppError(error)) return { ok: false, error: { code: error.code, message: error.message } };
    console.error("server action failed", error);
    return { ok: false, error: { code: "INTERNAL", message: "Something went wrong on our side; nothing was changed. Try again." } };
  }
}

/** `runAction` for project-scoped actions: the permission is checked in the project named by the input. */
export function runProjectAction<S extends z.ZodType<{ projectKey: string }>, T>(
  input: unknown,
  options: { schema: S; permission: Permission; handler: (data: z.infer<S>, access: ProjectAccess) => Promise<T> },
): Promise<ActionResult<T>> {
  return runAction(input, {
    schema: options.schema,
    handler: async (data, actor) => options.handler(data, await requireProjectPermission(actor, data.projectKey, options.permission)),
  });
}
