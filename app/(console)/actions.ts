"use server";

import { runAction } from "@/lib/auth/project-action";
import { createProject } from "@/lib/projects/create-project";
import { createProjectSchema } from "@/lib/schemas/project";

export async function createProjectAction(input: unknown) {
  return runAction(input, {
    schema: createProjectSchema,
    handler: async (data, actor) => {
      const project = await createProject(actor, data);
      return { key: project.key };
    },
  });
}
