import { apiRoute } from "@/lib/api/handle-route";
import { requireProjectPermission } from "@/lib/auth/access";
import { findProjectWithEnvironments } from "@/lib/data/projects";
import { notFound } from "@/lib/errors";
import { projectJson } from "@/lib/projects/project-json";

export const GET = apiRoute<{ project: string }>(async (_request, { actor, params }) => {
  await requireProjectPermission(actor, params.project, "project:read");
  const project = await findProjectWithEnvironments(params.project);
  if (!project) throw notFound(`Project “${params.project}”`);
  return Response.json(projectJson(project));
});
