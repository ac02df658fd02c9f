"use server";

import { createApiTokenDefinition, revokeApiTokenDefinition } from "@/lib/api-tokens/api-token-actions";
import { runAction } from "@/lib/actions/run-action";

export async function createApiTokenAction(input: unknown) {
  return runAction(createApiTokenDefinition, input);
}

export async function revokeApiTokenAction(input: unknown) {
  return runAction(revokeApiTokenDefinition, input);
}
