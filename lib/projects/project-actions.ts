import { defineInstanceAction } from "@/lib/actions/define-action";
import { createProjectSchema } from "@/lib/schemas/project";
import { createProject } from "./create-project";

export const createProjectDefinition = defineInstanceAction({
  name: "createProject",
  schema: createProjectSchema,
  handler: async (data, actor) => ({ key: (await createProject(actor, data)).key }),
});
