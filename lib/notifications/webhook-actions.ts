import { defineProjectAction } from "@/lib/actions/define-action";
import { createWebhookSchema, redeliverWebhookSchema, updateWebhookSchema, webhookRefSchema } from "@/lib/schemas/webhook";
import { createWebhook, deleteWebhook, redeliverWebhookDelivery, rotateWebhookSecret, sendTestDelivery, updateWebhook } from "./manage-webhooks";

export const createWebhookDefinition = defineProjectAction({
  name: "createWebhook",
  schema: createWebhookSchema,
  permission: "webhooks:write",
  handler: ({ projectKey: _projectKey, ...settings }, access) => createWebhook(access, settings),
});

export const updateWebhookDefinition = defineProjectAction({
  name: "updateWebhook",
  schema: updateWebhookSchema,
  permission: "webhooks:write",
  handler: (data, access) => updateWebhook(access, data.webhookId, data.changes),
});

export const deleteWebhookDefinition = defineProjectAction({
  name: "deleteWebhook",
  schema: webhookRefSchema,
  permission: "webhooks:write",
  handler: (data, access) => deleteWebhook(access, data.webhookId),
});

export const rotateWebhookSecretDefinition = defineProjectAction({
  name: "rotateWebhookSecret",
  schema: webhookRefSchema,
  permission: "webhooks:write",
  handler: (data, access) => rotateWebhookSecret(access, data.webhookId),
});

export const sendTestWebhookDefinition = defineProjectAction({
  name: "sendTestWebhook",
  schema: webhookRefSchema,
  permission: "webhooks:write",
  handler: (data, access) => sendTestDelivery(access, data.webhookId),
});

export const redeliverWebhookDefinition = defineProjectAction({
  name: "redeliverWebhook",
  schema: redeliverWebhookSchema,
  permission: "webhooks:write",
  handler: (data, access) => redeliverWebhookDelivery(access, data.webhookId, data.deliveryId),
});

export const WEBHOOK_ACTIONS = [
  createWebhookDefinition,
  updateWebhookDefinition,
  deleteWebhookDefinition,
  rotateWebhookSecretDefinition,
  sendTestWebhookDefinition,
  redeliverWebhookDefinition,
];
