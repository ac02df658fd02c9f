"use server";

import { runAction } from "@/lib/actions/run-action";
import { promoteFlagDefinition } from "@/lib/change-requests/change-request-actions";

export async function promoteFlagAction(input: unknown) {
  return runAction(promoteFlagDefinition, input);
}
