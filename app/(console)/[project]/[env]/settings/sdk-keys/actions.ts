"use server";

import { runAction } from "@/lib/actions/run-action";
import { createSdkKeyDefinition, revokeSdkKeyDefinition } from "@/lib/sdk-keys/sdk-key-actions";

export async function createSdkKeyAction(input: unknown) {
  return runAction(createSdkKeyDefinition, input);
}

export async function revokeSdkKeyAction(input: unknown) {
  return runAction(revokeSdkKeyDefinition, input);
}
