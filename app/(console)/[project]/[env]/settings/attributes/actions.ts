"use server";

import { runAction } from "@/lib/actions/run-action";
import { createAttributeDefinition, deleteAttributeDefinition, updateAttributeDefinition } from "@/lib/attributes/attribute-actions";

export async function createAttributeAction(input: unknown) {
  return runAction(createAttributeDefinition, input);
}

export async function updateAttributeAction(input: unknown) {
  return runAction(updateAttributeDefinition, input);
}

export async function deleteAttributeAction(input: unknown) {
  return runAction(deleteAttributeDefinition, input);
}
