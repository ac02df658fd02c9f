import { redactWebhookUrl } from "@/lib/notifications/redact-webhook-url";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { AuditStamp } from "@/lib/audit/audit-actor";
import { getPrisma, type Prisma } from "@/lib/db";

/** What the console and the API may see of a webhook (never the secret). */
const PUBLIC_FIELDS = {
  id: true,
  projectId: true,
  name: true,
  url: true,
  events: true,
  format: true,
  enabled: true,
  timeoutMs: true,
  maxAttempts: true,
  createdAt: true,
  updatedAt: true,
} as const;

export type WebhookRow = Prisma.WebhookGetPayload<{ select: typeof PUBLIC_FIELDS }>;

export interface WebhookSettings {
  name: string;
  url: string;
  events: string[];
  format: "json" | "slack";
  enabled: boolean;
  timeoutMs: number;
  maxAttempts: number;
}

function auditView(row: WebhookSettings) {
  // Every member reads the audit log: the URL's path may hold the receiver's secret.
  return { name: row.name, url: redactWebhookUrl(row.url), events: row.events, format: row.format, enabled: row.enabled, timeoutMs: row.timeoutMs, maxAttempts: row.maxAttempts };
}

export function listWebhooks(projectId: string): Promise<WebhookRow[]> {
  return getPrisma().webhook.findMany({ where: { projectId }, select: PUBLIC_FIELDS, orderBy: { createdAt: "asc" } });
}

export function findWebhook(projectId: string, id: string): Promise<WebhookRow | null> {
  return getPrisma().webhook.findFirst({ where: { id, projectId }, select: PUBLIC_FIELDS });
}

export function insertWebhook(data: WebhookSettings & { projectId: string; encryptedSecret: string; createdById: string | null }, audit: AuditStamp) {
  const { encryptedSecret, ...fields } = data;
  return getPrisma().$transaction(async (tx) => {
    const row = await tx.webhook.create({ data: { ...fields, secret: encryptedSecret }, select: PUBLIC_FIELDS });
    await appendAuditEvent(tx, { ...audit, projectId: data.projectId, action: "webhook.created", entityType: "webhook", entityKey: row.id, after: auditView(row) });
    return row;
  });
}

export function updateWebhookRow(before: WebhookRow, changes: Partial<WebhookSettings>, audit: AuditStamp) {
  return getPrisma().$transaction(async (tx) => {
    const row = await tx.webhook.update({ where: { id: before.id }, data: changes, select: PUBLIC_FIELDS });
    await appendAuditEvent(tx, {
      ...audit,
      projectId: before.projectId,
      action: "webhook.updated",
      entityType: "webhook",
      entityKey: row.id,
      before: auditView(before),
      after: auditView(row),
    });
    return row;
  });
}

export function deleteWebhookRow(before: WebhookRow, audit: AuditStamp) {
  return getPrisma().$transaction(async (tx) => {
    await tx.webhook.delete({ where: { id: before.id } });
    await appendAuditEvent(tx, { ...audit, projectId: before.projectId, action: "webhook.deleted", entityType: "webhook", entityKey: before.id, before: auditView(before) });
  });
}

/** The new secret is never written to the audit log, only the fact that it changed. */
export function replaceWebhookSecret(webhook: WebhookRow, encryptedSecret: string, audit: AuditStamp) {
  return getPrisma().$transaction(async (tx) => {
    await tx.webhook.update({ where: { id: webhook.id }, data: { secret: encryptedSecret } });
    await appendAuditEvent(tx, { ...audit, projectId: webhook.projectId, action: "webhook.secret_rotated", entityType: "webhook", entityKey: webhook.id, after: { name: webhook.name } });
  });
}

/** A delivery outside the event flow (the console's "Send test"), due now. */
export function insertManualDelivery(webhookId: string, event: string, payload: Prisma.InputJsonValue, now: Date) {
  return getPrisma().webhookDelivery.create({ data: { webhookId, event, payload, nextAttemptAt: now, createdAt: now }, select: { id: true } });
}

/** Puts a finished delivery back in the queue, due now; false when it is not the webhook's or still pending. */
export async function requeueDelivery(webhookId: string, deliveryId: string, now: Date): Promise<boolean> {
  const { count } = await getPrisma().webhookDelivery.updateMany({
    where: { id: deliveryId, webhookId, status: { not: "pending" } },
    data: { status: "pending", nextAttemptAt: now },
  });
  return count > 0;
}

export function listWebhookDeliveries(webhookId: string, limit: number) {
  return getPrisma().webhookDelivery.findMany({
    where: { webhookId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
    select: {
      id: true,
      event: true,
      status: true,
      attempts: true,
      nextAttemptAt: true,
      lastAttemptAt: true,
      responseStatus: true,
      responseBody: true,
      error: true,
      durationMs: true,
      createdAt: true,
      deliveredAt: true,
      attemptLog: { orderBy: { attempt: "asc" }, select: { attempt: true, startedAt: true, durationMs: true, responseStatus: true, responseBody: true, error: true } },
    },
  });
}

/** A delivery taken by one worker, with what sending it needs. */
export interface ClaimedDelivery {
  id: string;
  event: string;
  payload: unknown;
  attempt: number;
  webhookId: string;
  url: string;
  secret: string;
  format: "json" | "slack";
  timeoutMs: number;
  maxAttempts: number;
}

/** How long a claim lasts beyond the request's own timeout before another worker may retake it. */
export const CLAIM_MARGIN_MS = 30_000;

/**
 * Takes up to `limit` due deliveries of enabled webhooks for this worker. Rows locked by another
 * worker's claim are skipped (`FOR UPDATE SKIP LOCKED`), and a claimed row's next attempt moves
 * past the request's deadline, so no two workers send the same attempt; a worker that dies
 * mid-send leaves the row to be retaken once that lease runs out. One statement, so it also
 * works on the embedded database's single connection.
 */
export async function claimDueDeliveries(now: Date, limit: number, onlyIds?: string[]): Promise<ClaimedDelivery[]> {
  const idFilter = onlyIds ? `AND d.id = ANY($3::text[])` : "";
  const rows = await getPrisma().$queryRawUnsafe<ClaimedDelivery[]>(
    `
    WITH due AS (
      SELECT d.id FROM webhook_deliveries d
      JOIN webhooks w ON w.id = d."webhookId"
      WHERE d.status = 'pending' AND d."nextAttemptAt" <= $1 AND w.enabled ${idFilter}
      ORDER BY d."nextAttemptAt"
      LIMIT $2
      FOR UPDATE OF d SKIP LOCKED
    )
    UPDATE webhook_deliveries d
    SET attempts = d.attempts + 1, "lastAttemptAt" = $1,
        "nextAttemptAt" = $1 + make_interval(secs => (w."timeoutMs" + ${CLAIM_MARGIN_MS}) / 1000.0)
    FROM due, webhooks w
    WHERE d.id = due.id AND w.id = d."webhookId"
    RETURNING d.id, d.event, d.payload, d.attempts AS attempt, w.id AS "webhookId", w.url, w.secret, w.format::text AS format,
              w."timeoutMs" AS "timeoutMs", w."maxAttempts" AS "maxAttempts"`,
    now,
    limit,
    ...(onlyIds ? [onlyIds] : []),
  );
  return rows;
}

export interface AttemptOutcome {
  startedAt: Date;
  durationMs: number;
  responseStatus: number | null;
  responseBody: string | null;
  error: string | null;
  /** succeeded, failed for good, or pending again at `nextAttemptAt`. */
  status: "succeeded" | "failed" | "pending";
  nextAttemptAt: Date | null;
}

/**
 * Logs one attempt and moves the delivery on. Guarded by the attempt number: a worker whose lease
 * ran out (and whose row another worker retook) cannot overwrite the newer attempt's result.
 */
export async function recordDeliveryAttempt(delivery: { id: string; attempt: number }, outcome: AttemptOutcome): Promise<boolean> {
  return getPrisma().$transaction(async (tx) => {
    const { count } = await tx.webhookDelivery.updateMany({
      where: { id: delivery.id, attempts: delivery.attempt, status: "pending" },
      data: {
        status: outcome.status,
        nextAttemptAt: outcome.nextAttemptAt,
        responseStatus: outcome.responseStatus,
        responseBody: outcome.responseBody,
        error: outcome.error,
        durationMs: outcome.durationMs,
        ...(outcome.status === "succeeded" ? { deliveredAt: new Date(outcome.startedAt.getTime() + outcome.durationMs) } : {}),
      },
    });
    if (count === 0) return false;
    await tx.webhookDeliveryAttempt.create({
      data: {
        deliveryId: delivery.id,
        attempt: delivery.attempt,
        startedAt: outcome.startedAt,
        durationMs: outcome.durationMs,
        responseStatus: outcome.responseStatus,
        responseBody: outcome.responseBody,
        error: outcome.error,
      },
    });
    return true;
  });
}
