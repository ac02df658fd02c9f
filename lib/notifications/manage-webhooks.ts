import { can } from "@/lib/auth/permissions";
import type { ProjectAccess } from "@/lib/auth/access";
import { actorLabel } from "@/lib/auth/actor";
import { auditActorFields } from "@/lib/audit/audit-actor";
import {
  deleteWebhookRow,
  findWebhook,
  insertManualDelivery,
  insertWebhook,
  listWebhookDeliveries,
  listWebhooks,
  replaceWebhookSecret,
  requeueDelivery,
  updateWebhookRow,
  type WebhookRow,
  type WebhookSettings,
} from "@/lib/data/webhooks";
import { AppError, fieldsInvalid, notFound } from "@/lib/errors";
import { deliverDueWebhooks } from "./deliver-due-webhooks";
import { redactWebhookUrl } from "./redact-webhook-url";
import { blockedHostReason } from "./ssrf-guard";
import { encryptWebhookSecret, generateWebhookSecret } from "./webhook-secret";

/** `fullUrl`: only for people who manage webhooks (webhooks:write); others see the origin. */
export function webhookJson(row: WebhookRow, fullUrl = true) {
  return {
    id: row.id,
    name: row.name,
    url: fullUrl ? row.url : redactWebhookUrl(row.url),
    events: row.events,
    format: row.format,
    enabled: row.enabled,
    timeoutMs: row.timeoutMs,
    maxAttempts: row.maxAttempts,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

async function webhookOrThrow(access: ProjectAccess, webhookId: string) {
  const row = await findWebhook(access.project.id, webhookId);
  if (!row) throw notFound("That webhook");
  return row;
}

async function refuseBlockedHost(url: string) {
  const reason = await blockedHostReason(url);
  if (reason) throw fieldsInvalid({ url: reason });
}

export async function listWebhooksJson(access: ProjectAccess) {
  const fullUrl = can(access.role, "webhooks:write");
  return (await listWebhooks(access.project.id)).map((row) => webhookJson(row, fullUrl));
}

/** Creates a webhook with a fresh signing secret, returned in this answer only. */
export async function createWebhook(access: ProjectAccess, input: WebhookSettings) {
  await refuseBlockedHost(input.url);
  const secret = generateWebhookSecret();
  const row = await insertWebhook(
    { ...input, projectId: access.project.id, encryptedSecret: await encryptWebhookSecret(secret), createdById: access.actor.type === "user" ? access.actor.userId : null },
    auditActorFields(access.actor),
  );
  return { ...webhookJson(row), secret };
}

export async function updateWebhook(access: ProjectAccess, webhookId: string, changes: Partial<WebhookSettings>) {
  const before = await webhookOrThrow(access, webhookId);
  if (changes.url !== undefined && changes.url !== before.url) await refuseBlockedHost(changes.url);
  return webhookJson(await updateWebhookRow(before, changes, auditActorFields(access.actor)));
}

export async function deleteWebhook(access: ProjectAccess, webhookId: string) {
  const before = await webhookOrThrow(access, webhookId);
  await deleteWebhookRow(before, auditActorFields(access.actor));
  return { id: before.id, name: before.name };
}

/** A new secret replaces the old at once (receivers must switch); shown once. */
export async function rotateWebhookSecret(access: ProjectAccess, webhookId: string) {
  const webhook = await webhookOrThrow(access, webhookId);
  const secret = generateWebhookSecret();
  await replaceWebhookSecret(webhook, await encryptWebhookSecret(secret), auditActorFields(access.actor));
  return { id: webhook.id, name: webhook.name, secret };
}

type DeliveryRow = Awaited<ReturnType<typeof listWebhookDeliveries>>[number];

function deliveryJson(row: DeliveryRow) {
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return {
    id: row.id,
    event: row.event,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.status === "pending" ? iso(row.nextAttemptAt) : null,
    lastAttemptAt: iso(row.lastAttemptAt),
    responseStatus: row.responseStatus,
    error: row.error,
    durationMs: row.durationMs,
    createdAt: row.createdAt.toISOString(),
    deliveredAt: iso(row.deliveredAt),
    attemptLog: row.attemptLog.map((a) => ({ ...a, startedAt: a.startedAt.toISOString() })),
  };
}

export async function listDeliveriesJson(access: ProjectAccess, webhookId: string, limit = 50) {
  const webhook = await webhookOrThrow(access, webhookId);
  return (await listWebhookDeliveries(webhook.id, limit)).map(deliveryJson);
}

async function deliverNow(deliveryId: string) {
  const [result] = await deliverDueWebhooks(new Date(), { onlyIds: [deliveryId], singleAttempt: true });
  if (!result) throw new AppError("CONFLICT", "That delivery is being sent by the worker right now; look at the log in a moment.");
  return result;
}

/**
 * Sends a `webhook.test` event to an enabled webhook now and answers what the receiver said: one
 * attempt, no retries, logged like any delivery.
 */
export async function sendTestDelivery(access: ProjectAccess, webhookId: string) {
  const webhook = await webhookOrThrow(access, webhookId);
  if (!webhook.enabled) throw new AppError("CONFLICT", "This webhook is disabled; enable it to send a test.");
  const now = new Date();
  const payload = {
    type: "webhook.test",
    projectId: access.project.id,
    title: `Test from Switchyard for “${webhook.name}” in ${access.project.name}`,
    summary: "If you can read this, the webhook works.",
    link: `/${access.project.key}`,
    actorLabel: actorLabel(access.actor),
    data: { webhookId: webhook.id },
    occurredAt: now.toISOString(),
  };
  const delivery = await insertManualDelivery(webhook.id, "webhook.test", payload, now);
  return deliverNow(delivery.id);
}

/** Sends a finished (usually failed) delivery once more, now, with the same delivery id. */
export async function redeliverWebhookDelivery(access: ProjectAccess, webhookId: string, deliveryId: string) {
  const webhook = await webhookOrThrow(access, webhookId);
  if (!webhook.enabled) throw new AppError("CONFLICT", "This webhook is disabled; enable it to redeliver.");
  if (!(await requeueDelivery(webhook.id, deliveryId, new Date()))) throw notFound("A finished delivery with that id");
  return deliverNow(deliveryId);
}
