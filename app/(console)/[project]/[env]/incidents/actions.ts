"use server";

import { runAction } from "@/lib/actions/run-action";
import { acknowledgeOverrideDefinition, pullKillSwitchDefinition, revertOverrideDefinition, reviewOverrideDefinition } from "@/lib/overrides/override-actions";

export async function pullKillSwitchAction(input: unknown) {
  return runAction(pullKillSwitchDefinition, input);
}

export async function acknowledgeOverrideAction(input: unknown) {
  return runAction(acknowledgeOverrideDefinition, input);
}

export async function reviewOverrideAction(input: unknown) {
  return runAction(reviewOverrideDefinition, input);
}

export async function revertOverrideAction(input: unknown) {
  return runAction(revertOverrideDefinition, input);
}
