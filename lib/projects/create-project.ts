import type { Actor } from "@/lib/auth/actor";
import { requireProjectCreation } from "@/lib/auth/access";
import { findProjectByKey, insertProject } from "@/lib/data/projects";
import { conflict } from "@/lib/errors";
import type { CreateProjectInput } from "@/lib/schemas/project";
import { DEFAULT_ENVIRONMENTS } from "./default-environments";

export async function createProject(actor: Actor, input: CreateProjectInput) {
  await requireProjectCreation(actor);
  if (await findProjectByKey(input.key)) throw conflict(`A project with the key “${input.key}” already exists.`);
  const adminUserId = actor.type === "user" ? actor.userId : actor.type === "api_token" ? actor.userId : null;
  return insertProject({ ...input, environments: [...DEFAULT_ENVIRONMENTS], adminUserId }, actor);
}
