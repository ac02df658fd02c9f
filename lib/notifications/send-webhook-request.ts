import http from "node:http";
import https from "node:https";
import { guardedLookup } from "./ssrf-guard";

/** How much of a response the delivery log keeps. */
export const RESPONSE_EXCERPT_BYTES = 2048;

export interface WebhookResponse {
  status: number | null;
  /** The first bytes of the body, as text. */
  excerpt: string | null;
  error: string | null;
  durationMs: number;
}

/**
 * One POST with a hard deadline for the whole exchange (connect, headers and the excerpt). Never
 * throws: a refused host, a timeout or a reset come back as `error`. Reads only the excerpt and
 * drops the rest, so a receiver answering gigabytes costs nothing. Redirects are not followed
 * (a redirect could lead to a private host; a 3xx counts as a failure).
 */
export function sendWebhookRequest(url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<WebhookResponse> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: Omit<WebhookResponse, "durationMs">) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...result, durationMs: elapsed() });
    };
    const target = new URL(url);
    const client = target.protocol === "https:" ? https : http;
    const request = client.request(
      target,
      {
        method: "POST",
        headers: { "content-type": "application/json", "user-agent": "Switchyard-Webhooks/1", "content-length": String(Buffer.byteLength(body)), ...headers },
        lookup: guardedLookup as unknown as http.RequestOptions["lookup"],
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () => finish({ status: response.statusCode ?? null, excerpt: Buffer.concat(chunks).toString("utf8").slice(0, RESPONSE_EXCERPT_BYTES), error: null });
        response.on("data", (chunk: Buffer) => {
          if (size < RESPONSE_EXCERPT_BYTES) chunks.push(chunk.subarray(0, RESPONSE_EXCERPT_BYTES - size));
          size += chunk.length;
          if (size >= RESPONSE_EXCERPT_BYTES) {
            done();
            response.destroy();
          }
        });
        response.on("end", done);
        response.on("error", done);
      },
    );
    const timer = setTimeout(() => {
      finish({ status: null, excerpt: null, error: `Timed out after ${timeoutMs} ms.` });
      request.destroy();
    }, timeoutMs);
    request.on("error", (error) => finish({ status: null, excerpt: null, error: error.message || String(error) }));
    request.end(body);
  });
}
