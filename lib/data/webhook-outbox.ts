import type { Prisma } from "@/lib/db";
import type { ProjectEvent } from "@/lib/notifications/project-events";

/** Notified (on commit) when the outbox gets rows, to wake the delivery worker early. */
export const WEBHOOK_OUTBOX_CHANNEL = "switchyard_webhook_outbox";

/**
 * Queues one delivery per enabled webhook of the project that subscribed to the event, in the
 * caller's transaction (the outbox): the delivery worker sends them after commit, with retries.
 */
export async function enqueueWebhookDeliveries(tx: Prisma.TransactionClient, event: ProjectEvent, occurredAt: Date): Promise<number> {
  const hooks = await tx.webhook.findMany({
    where: { projectId: event.projectId, enabled: true, events: { has: event.type } },
    select: { id: true },
  });
  if (hooks.length === 0) return 0;
  const payload = { ...event, occurredAt: occurredAt.toISOString() } as unknown as Prisma.InputJsonValue;
  await tx.webhookDelivery.createMany({
    data: hooks.map((hook) => ({ webhookId: hook.id, event: event.type, payload, nextAttemptAt: occurredAt })),
  });
  await tx.$executeRawUnsafe(`SELECT pg_notify('${WEBHOOK_OUTBOX_CHANNEL}', '')`);
  return hooks.length;
}
