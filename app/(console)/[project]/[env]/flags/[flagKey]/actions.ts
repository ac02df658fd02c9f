"use server";

import { runAction } from "@/lib/actions/run-action";
import {
  archiveFlagDefinition,
  createFlagTestCaseDefinition,
  deleteFlagTestCaseDefinition,
  saveFlagConfigDefinition,
  updateFlagSettingsDefinition,
  updateFlagTestCaseDefinition,
  updateFlagVariationsDefinition,
} from "@/lib/flags/flag-actions";

export async function saveFlagConfigAction(input: unknown) {
  return runAction(saveFlagConfigDefinition, input);
}

export async function createFlagTestCaseAction(input: unknown) {
  return runAction(createFlagTestCaseDefinition, input);
}

export async function updateFlagTestCaseAction(input: unknown) {
  return runAction(updateFlagTestCaseDefinition, input);
}

export async function deleteFlagTestCaseAction(input: unknown) {
  return runAction(deleteFlagTestCaseDefinition, input);
}

export async function updateFlagSettingsAction(input: unknown) {
  return runAction(updateFlagSettingsDefinition, input);
}

export async function updateFlagVariationsAction(input: unknown) {
  return runAction(updateFlagVariationsDefinition, input);
}

export async function archiveFlagAction(input: unknown) {
  return runAction(archiveFlagDefinition, input);
}
