import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * `X-Switchyard-Signature: sha256=<hex>` — HMAC-SHA256 with the webhook's secret over
 * `<timestamp>.<body>`, so a receiver can reject both forged bodies and replayed old ones.
 */
export function signWebhookBody(secret: string, timestamp: string, body: string): string {
  return "sha256=" + createHmac("sha256", secret).update(`${timestamp}.${body}`, "utf8").digest("hex");
}

/** What a receiver does (docs/webhooks.md shows the same in a few lines). */
export function verifyWebhookSignature(secret: string, timestamp: string, body: string, header: string): boolean {
  const expected = Buffer.from(signWebhookBody(secret, timestamp, body));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
