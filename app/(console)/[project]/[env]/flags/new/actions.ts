"use server";

import { runAction } from "@/lib/actions/run-action";
import { createFlagDefinition } from "@/lib/flags/flag-actions";

export async function createFlagAction(input: unknown) {
  return runAction(createFlagDefinition, input);
}
