"use server";

import { runAction } from "@/lib/actions/run-action";
import { createSegmentDefinition, deleteSegmentDefinition, saveSegmentConfigDefinition, updateSegmentDefinition } from "@/lib/segments/segment-actions";

export async function createSegmentAction(input: unknown) {
  return runAction(createSegmentDefinition, input);
}

export async function updateSegmentAction(input: unknown) {
  return runAction(updateSegmentDefinition, input);
}

export async function saveSegmentConfigAction(input: unknown) {
  return runAction(saveSegmentConfigDefinition, input);
}

export async function deleteSegmentAction(input: unknown) {
  return runAction(deleteSegmentDefinition, input);
}
