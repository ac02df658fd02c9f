import { apiRoute, parseJsonBody } from "@/lib/api/handle-route";
import { createProject } from "@/lib/projects/create-project";
import { listVisibleProjects } from "@/lib/projects/list-visible-projects";
import { projectJson } from "@/lib/projects/project-json";
import { createProjectSchema } from "@/lib/schemas/project";

export const GET = apiRoute(async (_request, { actor }) => {
  const projects = await listVisibleProjects(actor);
  return Response.json({ projects: projects.map(projectJson) });
});

export const POST = apiRoute(async (request, { actor }) => {
  const input = await parseJsonBody(request, createProjectSchema);
  const project = await createProject(actor, input);
  return Response.json(projectJson(project), { status: 201, headers: { Location: `/api/v1/projects/${project.key}` } });
});
