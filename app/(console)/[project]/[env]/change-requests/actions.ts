"use server";

import { runAction } from "@/lib/actions/run-action";
import {
  applyChangeRequestDefinition,
  cancelChangeRequestDefinition,
  commentChangeRequestDefinition,
  rebaseChangeRequestDefinition,
  reviewChangeRequestDefinition,
  reviseChangeRequestDefinition,
  scheduleChangeRequestDefinition,
  submitChangeRequestDefinition,
  unscheduleChangeRequestDefinition,
  createChangeRequestDefinition,
} from "@/lib/change-requests/change-request-actions";

export async function createChangeRequestAction(input: unknown) {
  return runAction(createChangeRequestDefinition, input);
}

export async function reviseChangeRequestAction(input: unknown) {
  return runAction(reviseChangeRequestDefinition, input);
}

export async function submitChangeRequestAction(input: unknown) {
  return runAction(submitChangeRequestDefinition, input);
}

export async function reviewChangeRequestAction(input: unknown) {
  return runAction(reviewChangeRequestDefinition, input);
}

export async function commentChangeRequestAction(input: unknown) {
  return runAction(commentChangeRequestDefinition, input);
}

export async function applyChangeRequestAction(input: unknown) {
  return runAction(applyChangeRequestDefinition, input);
}

export async function scheduleChangeRequestAction(input: unknown) {
  return runAction(scheduleChangeRequestDefinition, input);
}

export async function unscheduleChangeRequestAction(input: unknown) {
  return runAction(unscheduleChangeRequestDefinition, input);
}

export async function cancelChangeRequestAction(input: unknown) {
  return runAction(cancelChangeRequestDefinition, input);
}

export async function rebaseChangeRequestAction(input: unknown) {
  return runAction(rebaseChangeRequestDefinition, input);
}
