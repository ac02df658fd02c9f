import pg from "pg";
import { WEBHOOK_OUTBOX_CHANNEL } from "@/lib/data/webhook-outbox";
import { getDatabase } from "@/lib/db";
import { deliverDueWebhooks } from "./deliver-due-webhooks";

export const WEBHOOK_TICK_MS = 2_000;

/**
 * Runs the delivery worker in the server process, beside the scheduler: a pass every
 * `intervalMs`, and one at once when the outbox announces a new row (`LISTEN` on PostgreSQL,
 * PGlite's in-process listener). Every instance runs it; claims keep them from double-sending.
 * Answers a stop function.
 */
export function startWebhookWorker(intervalMs = WEBHOOK_TICK_MS): () => Promise<void> {
  let running = false;
  let again = false;
  let stopped = false;
  const pass = async () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        const results = await deliverDueWebhooks(new Date());
        for (const r of results) if (r.status !== "succeeded") console.warn(`webhooks: delivery ${r.id} attempt ${r.attempt} ${r.status}: ${r.error}`);
        // A full batch means more may be due: go on without waiting for the timer.
        if (results.length >= 20) again = true;
      } while (again && !stopped);
    } catch (error) {
      console.error("webhook delivery pass failed", error);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void pass(), intervalMs);
  timer.unref();
  const stopListening = listenForOutbox(() => void pass());
  return async () => {
    stopped = true;
    clearInterval(timer);
    await stopListening();
  };
}

/** Wakes the worker early; the timer covers any notification lost while reconnecting. */
function listenForOutbox(onWake: () => void): () => Promise<void> {
  const { handle } = getDatabase();
  if (handle.pglite) {
    const unlisten = handle.pglite.listen(WEBHOOK_OUTBOX_CHANNEL, onWake).catch(() => null);
    return async () => void (await (await unlisten)?.());
  }
  let client: pg.Client | null = null;
  let stopped = false;
  const connect = async () => {
    if (stopped) return;
    client = new pg.Client(handle.pgConfig);
    client.on("notification", onWake);
    client.on("error", () => undefined);
    client.on("end", () => {
      if (!stopped) setTimeout(() => void connect(), 5_000).unref();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${WEBHOOK_OUTBOX_CHANNEL}`);
    } catch {
      await client.end().catch(() => undefined);
    }
  };
  void connect();
  return async () => {
    stopped = true;
    await client?.end().catch(() => undefined);
  };
}
