import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { roleInProject } from "@/lib/auth/access";
import { getSessionActor } from "@/lib/auth/session";
import { findProjectWithEnvironments, listProjectsForUser } from "@/lib/data/projects";

/**
 * What every console page under a project needs: the signed-in actor, the project with its
 * environments and the actor's role there. Cached per request so layout and page share it.
 * A project the person is not a member of is a 404, like one that does not exist.
 */
export const loadProjectForPage = cache(async (projectKey: string) => {
  const actor = await getSessionActor();
  if (!actor) redirect("/login");
  const project = await findProjectWithEnvironments(decodeURIComponent(projectKey));
  const role = project ? await roleInProject(actor, project.id) : null;
  if (!project || !role) notFound();
  const projects = await listProjectsForUser(actor.userId);
  return { actor, project, role, projects };
});

export const loadEnvironmentForPage = cache(async (projectKey: string, environmentKey: string) => {
  const context = await loadProjectForPage(projectKey);
  const environment = context.project.environments.find((env) => env.key === decodeURIComponent(environmentKey));
  if (!environment) notFound();
  return { ...context, environment };
});
