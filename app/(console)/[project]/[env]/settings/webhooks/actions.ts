"use server";

import { runAction } from "@/lib/actions/run-action";
import {
  createWebhookDefinition,
  deleteWebhookDefinition,
  redeliverWebhookDefinition,
  rotateWebhookSecretDefinition,
  sendTestWebhookDefinition,
  updateWebhookDefinition,
} from "@/lib/notifications/webhook-actions";

export async function createWebhookAction(input: unknown) {
  return runAction(createWebhookDefinition, input);
}

export async function updateWebhookAction(input: unknown) {
  return runAction(updateWebhookDefinition, input);
}

export async function deleteWebhookAction(input: unknown) {
  return runAction(deleteWebhookDefinition, input);
}

export async function rotateWebhookSecretAction(input: unknown) {
  return runAction(rotateWebhookSecretDefinition, input);
}

export async function sendTestWebhookAction(input: unknown) {
  return runAction(sendTestWebhookDefinition, input);
}

export async function redeliverWebhookAction(input: unknown) {
  return runAction(redeliverWebhookDefinition, input);
}
