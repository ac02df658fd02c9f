"use server";

import { runAction } from "@/lib/actions/run-action";
import { createProjectDefinition } from "@/lib/projects/project-actions";

export async function createProjectAction(input: unknown) {
  return runAction(createProjectDefinition, input);
}
