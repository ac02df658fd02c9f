import type { z } from "zod";
import { getSessionActor } from "@/lib/auth/session";
import { executeAction, type ActionResult, type InstanceActionDefinition, type ProjectActionDefinition } from "./define-action";

/** Runs a defined action as the signed-in person (used by the `"use server"` wrappers). */
export async function runAction<T>(
  definition: ProjectActionDefinition<z.ZodType<{ projectKey: string }>, T> | InstanceActionDefinition<z.ZodType, T>,
  input: unknown,
): Promise<ActionResult<T>> {
  return executeAction(definition, input, await getSessionActor());
}
