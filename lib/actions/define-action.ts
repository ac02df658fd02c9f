import type { z } from "zod";
import { requireProjectCreation, requireProjectPermission, type ProjectAccess } from "@/lib/auth/access";
import type { Actor } from "@/lib/auth/actor";
import type { Permission } from "@/lib/auth/permissions";
import { isAppError, unauthenticated, type ErrorCode } from "@/lib/errors";

export type ActionResult<T> =
  | { ok: true; data: T }
  | { ok: false; error: ActionError };

/**
 * A refusal the form can show: `fieldErrors` go next to their fields; `details` carry what the
 * domain service reported (a conflict's current version, the engine's validation issues…).
 */
export interface ActionError {
  code: ErrorCode | "INTERNAL";
  message: string;
  fieldErrors?: Record<string, string>;
  details?: unknown;
}

/** `details.fields` of an AppError (services report field problems the schema cannot check so). */
function detailFields(details: unknown): Record<string, string> | undefined {
  if (!details || typeof details !== "object" || !("fields" in details)) return undefined;
  const fields = (details as { fields: unknown }).fields;
  if (!fields || typeof fields !== "object") return undefined;
  const entries = Object.entries(fields).filter((e): e is [string, string] => typeof e[1] === "string");
  return entries.length ? Object.fromEntries(entries) : undefined;
}

/** A console mutation scoped to one project: the permission is checked there. */
export interface ProjectActionDefinition<S extends z.ZodType<{ projectKey: string }>, T> {
  scope: "project";
  name: string;
  schema: S;
  permission: Permission;
  handler: (data: z.infer<S>, access: ProjectAccess) => Promise<T>;
}

/** A console mutation outside any project (creating one). */
export interface InstanceActionDefinition<S extends z.ZodType, T> {
  scope: "instance";
  name: string;
  schema: S;
  permission: "project:create";
  handler: (data: z.infer<S>, actor: Actor) => Promise<T>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyActionDefinition = ProjectActionDefinition<any, unknown> | InstanceActionDefinition<any, unknown>;

export function defineProjectAction<S extends z.ZodType<{ projectKey: string }>, T>(
  definition: Omit<ProjectActionDefinition<S, T>, "scope">,
): ProjectActionDefinition<S, T> {
  return { scope: "project", ...definition };
}

export function defineInstanceAction<S extends z.ZodType, T>(definition: Omit<InstanceActionDefinition<S, T>, "scope" | "permission">): InstanceActionDefinition<S, T> {
  return { scope: "instance", permission: "project:create", ...definition };
}

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
 * The one way a mutation runs: parse with the shared schema, require an actor, check the
 * permission, then call the domain service. Server actions are public POST endpoints, so none
 * of these steps may be skipped. Expected failures come back as data for the form to show;
 * unexpected ones are logged and reported without details.
 */
export async function executeAction<T>(
  definition: ProjectActionDefinition<z.ZodType<{ projectKey: string }>, T> | InstanceActionDefinition<z.ZodType, T>,
  input: unknown,
  actor: Actor | null,
): Promise<ActionResult<T>> {
  try {
    const parsed = definition.schema.safeParse(input);
    if (!parsed.success) {
      const fieldErrors = fieldErrorsOf(parsed.error);
      return { ok: false, error: { code: "VALIDATION_FAILED", message: Object.values(fieldErrors)[0] ?? "Check the form.", fieldErrors } };
    }
    if (!actor) throw unauthenticated("Your session has expired. Sign in again.");
    if (definition.scope === "instance") {
      await requireProjectCreation(actor);
      return { ok: true, data: await definition.handler(parsed.data, actor) };
    }
    const data = parsed.data as { projectKey: string };
    const access = await requireProjectPermission(actor, data.projectKey, definition.permission);
    return { ok: true, data: await definition.handler(data, access) };
  } catch (error) {
    if (isAppError(error)) {
      const fieldErrors = detailFields(error.details);
      return {
        ok: false,
        error: { code: error.code, message: error.message, ...(fieldErrors ? { fieldErrors } : {}), ...(error.details === undefined ? {} : { details: error.details }) },
      };
    }
    console.error(`action ${definition.name} failed`, error);
    return { ok: false, error: { code: "INTERNAL", message: "Something went wrong on our side; nothing was changed. Try again." } };
  }
}
