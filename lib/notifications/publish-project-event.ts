import type { Prisma } from "@/lib/db";
import { enqueueWebhookDeliveries } from "@/lib/data/webhook-outbox";
import type { ProjectEvent } from "./project-events";

/**
 * Announces an event of the project. Call it with the transaction client of the change that
 * caused it: the announcement commits (or rolls back) with the change, and sending happens
 * afterwards in the delivery worker, so a slow or failing receiver never blocks the action.
 */
export async function publishProjectEvent(tx: Prisma.TransactionClient, event: ProjectEvent, occurredAt = new Date()): Promise<void> {
  await enqueueWebhookDeliveries(tx, event, occurredAt);
}
