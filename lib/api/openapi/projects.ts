import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { createProjectSchema, projectKeySchema, projectSchema } from "@/lib/schemas/project";
import { bearerSecurity, standardErrors } from "./shared";

export function registerProjectRoutes(registry: OpenAPIRegistry) {
  // `.meta({ id })` makes each a named component instead of an inline copy.
  const Project = projectSchema.meta({ id: "Project" });
  const CreateProject = createProjectSchema.meta({ id: "CreateProject" });

  registry.registerPath({
    method: "get",
    path: "/api/v1/projects",
    summary: "List the projects this token can read",
    security: bearerSecurity,
    responses: {
      200: { description: "Projects", content: { "application/json": { schema: z.object({ projects: z.array(Project) }) } } },
      401: standardErrors[401],
    },
  });
  registry.registerPath({
    method: "post",
    path: "/api/v1/projects",
    summary: "Create a project with development, staging and production environments",
    security: bearerSecurity,
    request: { body: { content: { "application/json": { schema: CreateProject } } } },
    responses: {
      201: { description: "Created", content: { "application/json": { schema: Project } } },
      ...standardErrors,
      409: { ...standardErrors[400], description: "A project with this key exists." },
    },
  });
  registry.registerPath({
    method: "get",
    path: "/api/v1/projects/{project}",
    summary: "Read a project and its environments",
    security: bearerSecurity,
    request: { params: z.object({ project: projectKeySchema }) },
    responses: {
      200: { description: "The project", content: { "application/json": { schema: Project } } },
      ...standardErrors,
    },
  });
}
