import { headers } from "next/headers";
import type { z } from "zod";
import { requestMetaFrom } from "@/lib/audit/request-meta";
import { getSessionActor } from "@/lib/auth/session";
import { executeAction, type ActionResult, type InstanceActionDefinition, type ProjectActionDefinition } from "./define-action";

/**
 * Runs a defined action as the signed-in person (used by the `"use server"` wrappers), with the
 * request's address, user agent and id attached for the audit log.
 */
export async function runAction<T>(
  definition: ProjectActionDefinition<z.ZodType<{ projectKey: string }>, T> | InstanceActionDefinition<z.ZodType, T>,
  input: unknown,
): Promise<ActionResult<T>> {
  const actor = await getSessionActor();
  return executeAction(definition, input, actor && { ...actor, request: requestMetaFrom(await headers()) });
}
