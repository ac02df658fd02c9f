"use server";

import { runAction } from "@/lib/actions/run-action";
import { updateEnvironmentPolicyDefinition } from "@/lib/projects/environment-actions";

export async function updateEnvironmentPolicyAction(input: unknown) {
  return runAction(updateEnvironmentPolicyDefinition, input);
}
