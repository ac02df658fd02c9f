import { findMembership, isAdminOfAnyProject, listRolesOfUser } from "@/lib/data/memberships";
import { countProjects, findProjectByKey } from "@/lib/data/projects";
import { forbidden, notFound } from "@/lib/errors";
import type { Actor } from "./actor";
import { can, type Permission, type Role } from "./permissions";

export type Project = NonNullable<Awaited<ReturnType<typeof findProjectByKey>>>;

export interface ProjectAccess {
  actor: Actor;
  project: Project;
  role: Role;
}

/** The role an actor holds in a project, or null when it has none there. */
export async function roleInProject(actor: Actor, projectId: string): Promise<Role | null> {
  switch (actor.type) {
    case "user":
      return (await findMembership(actor.userId, projectId))?.role ?? null;
    case "api_token":
      if (actor.userId) return (await findMembership(actor.userId, projectId))?.role ?? null;
      if (actor.projectId && actor.projectId !== projectId) return null;
      return actor.role;
    case "system":
      return "admin";
  }
}

/**
 * The guard every server action and route calls before touching a project. A project the
 * actor cannot see answers "not found", so its existence does not leak.
 */
export async function requireProjectPermission(actor: Actor, projectKey: string, permission: Permission): Promise<ProjectAccess> {
  const project = await findProjectByKey(projectKey);
  const role = project ? await roleInProject(actor, project.id) : null;
  if (!project || !role) throw notFound(`Project “${projectKey}”`);
  if (!can(role, permission)) {
    throw forbidden(`Your role in ${project.name} is ${role}; this needs the ${permission} permission.`);
  }
  return { actor, project, role };
}

/** A further permission for a route that needs two (an import writes flags and segments). */
export function requireAlsoPermission(access: ProjectAccess, permission: Permission): void {
  if (!can(access.role, permission)) {
    throw forbidden(`Your role in ${access.project.name} is ${access.role}; this also needs the ${permission} permission.`);
  }
}

/**
 * Creating projects is an instance-level act: admins of any project (or of an unscoped service
 * token) may do it, and so may the very first user of an empty installation.
 */
export async function requireProjectCreation(actor: Actor): Promise<void> {
  if (actor.type === "system") return;
  if (actor.type === "api_token" && !actor.userId) {
    if (actor.role === "admin" && !actor.projectId) return;
    throw forbidden("Only an unscoped admin service token may create projects.");
  }
  const userId = actor.type === "user" ? actor.userId : actor.userId!;
  if ((await countProjects()) === 0 || (await isAdminOfAnyProject(userId))) return;
  throw forbidden("Only project admins may create projects.");
}

/**
 * A permission over something all projects share — the audit log's hash chain is one chain
 * for the whole installation. Held by whoever holds it in at least one project: a person (or
 * their personal token) through any membership, a service token through its role (scoped or
 * not), the system always. Verifying reveals no project's content, only whether and where the
 * chain breaks, so any project's approvers and admins may run it.
 */
export async function requireInstancePermission(actor: Actor, permission: Permission): Promise<void> {
  if (actor.type === "system") return;
  const roles = actor.type === "api_token" && !actor.userId ? (actor.role ? [actor.role] : []) : await listRolesOfUser(actor.type === "user" ? actor.userId : actor.userId!);
  if (!roles.some((role) => can(role, permission))) {
    throw forbidden(`This needs the ${permission} permission in at least one project (approvers and admins hold it).`);
  }
}
