import { claimDueDeliveries, recordDeliveryAttempt, type AttemptOutcome, type ClaimedDelivery } from "@/lib/data/webhooks";
import { retryDelayMs } from "./retry-policy";
import { sendWebhookRequest } from "./send-webhook-request";
import { blockedHostReason } from "./ssrf-guard";
import { renderWebhookBody, type StoredEvent } from "./webhook-payload";
import { decryptWebhookSecret } from "./webhook-secret";
import { signWebhookBody } from "./webhook-signature";

export interface DeliverOptions {
  /** Most deliveries taken in one pass (sent concurrently). */
  limit?: number;
  /** Only these deliveries (the console's "Send test" and "Redeliver" send theirs at once). */
  onlyIds?: string[];
  /** No retry after this attempt: the console shows its result, and the person retries. */
  singleAttempt?: boolean;
  /** For tests: the jitter source. */
  random?: () => number;
}

export interface DeliveryResult {
  id: string;
  attempt: number;
  status: AttemptOutcome["status"];
  responseStatus: number | null;
  error: string | null;
}

/**
 * One pass of the delivery worker at `now`: claims due deliveries, signs and POSTs each, and
 * records the attempt — success on any 2xx, otherwise a retry after a jittered exponential delay
 * until the webhook's `maxAttempts`, then `failed`. Safe to run in several processes at once.
 */
export async function deliverDueWebhooks(now: Date, options: DeliverOptions = {}): Promise<DeliveryResult[]> {
  const claimed = await claimDueDeliveries(now, options.limit ?? 20, options.onlyIds);
  return Promise.all(claimed.map((delivery) => deliverOne(delivery, now, options)));
}

async function deliverOne(delivery: ClaimedDelivery, now: Date, options: DeliverOptions): Promise<DeliveryResult> {
  const startedAt = new Date();
  const response = await attempt(delivery);
  const ok = response.status !== null && response.status >= 200 && response.status < 300;
  const final = ok || options.singleAttempt || delivery.attempt >= delivery.maxAttempts;
  const status = ok ? "succeeded" : final ? "failed" : "pending";
  const outcome: AttemptOutcome = {
    startedAt,
    durationMs: response.durationMs,
    responseStatus: response.status,
    responseBody: response.excerpt,
    error: response.error ?? (ok ? null : `The receiver answered ${response.status}.`),
    status,
    nextAttemptAt: status === "pending" ? new Date(now.getTime() + retryDelayMs(delivery.attempt, options.random)) : null,
  };
  await recordDeliveryAttempt(delivery, outcome);
  return { id: delivery.id, attempt: delivery.attempt, status, responseStatus: outcome.responseStatus, error: outcome.error };
}

async function attempt(delivery: ClaimedDelivery) {
  const blocked = await blockedHostReason(delivery.url);
  if (blocked) return { status: null, excerpt: null, error: blocked, durationMs: 0 };
  let secret: string;
  try {
    secret = await decryptWebhookSecret(delivery.secret);
  } catch (error) {
    return { status: null, excerpt: null, error: error instanceof Error ? error.message : String(error), durationMs: 0 };
  }
  const body = renderWebhookBody(delivery.format, delivery.id, delivery.payload as StoredEvent);
  // The real send time (not the tick's `now`): receivers compare it with their clock to refuse replays.
  const timestamp = String(Math.floor(Date.now() / 1000));
  const headers = {
    "x-switchyard-event": delivery.event,
    "x-switchyard-delivery": delivery.id,
    "x-switchyard-timestamp": timestamp,
    "x-switchyard-signature": signWebhookBody(secret, timestamp, body),
  };
  return sendWebhookRequest(delivery.url, headers, body, delivery.timeoutMs);
}
