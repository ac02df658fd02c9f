import type http from "node:http";
import { evaluateAllFlags, evaluateSingleFlag, type OfrepReply, type OfrepRequest } from "@/lib/ofrep/ofrep-service";
import { MAX_OFREP_BODY_BYTES } from "@/lib/ofrep/parse-ofrep-request";
import { POST as postEvents } from "@/app/api/v1/events/route";
import { readBody } from "./read-body";
import { sendWebResponse, toWebRequest } from "./web-bridge";

const BULK = "/ofrep/v1/evaluate/flags";
const EVENTS = "/api/v1/events";

/**
 * OFREP evaluation served straight from `node:http`, beside Next.js. The handlers are the same
 * functions the Next route files call; only Next's per-request pipeline is skipped, which
 * measured ~1 ms of CPU per request against ~0.3 ms for the evaluation itself (bench/RESULTS.md,
 * "HTTP evaluation service"). The handlers take and give plain values (OfrepRequest, OfrepReply),
 * so no Web Request/Response is built here either. SDK event batches (`POST /api/v1/events`) take
 * the same shortcut to their route handler, as a Web Request: Next's pipeline cost ~10 µs of CPU
 * per event of a 100-event batch. Returns false for any other request, which Next then serves.
 */
export function serveEvaluation(req: http.IncomingMessage, res: http.ServerResponse): boolean {
  if (req.method !== "POST") return false;
  const path = (req.url ?? "/").split("?")[0];
  if (path === EVENTS) {
    postEvents(toWebRequest(req))
      .then((response) => sendWebResponse(response, res))
      .catch((error: unknown) => {
        console.error("POST /api/v1/events failed", error);
        if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { code: "INTERNAL", message: "Something went wrong on our side; nothing was stored. Retry the batch." } }));
      });
    return true;
  }
  if (path !== BULK && !path.startsWith(`${BULK}/`)) return false;
  void (async () => {
    const body = await readBody(req, MAX_OFREP_BODY_BYTES);
    if (body === null) {
      res.writeHead(413, { "content-type": "application/json" });
      res.end(JSON.stringify({ errorCode: "PARSE_ERROR", errorDetails: `The request body exceeds ${MAX_OFREP_BODY_BYTES} bytes.` }));
      return;
    }
    const request: OfrepRequest = { url: `http://${req.headers.host ?? "localhost"}${req.url ?? "/"}`, headers: nodeHeaders(req), body };
    let key: string | null = null;
    if (path !== BULK) {
      try {
        key = decodeURIComponent(path.slice(BULK.length + 1));
      } catch {
        key = path.slice(BULK.length + 1);
      }
    }
    send(key === null ? await evaluateAllFlags(request) : await evaluateSingleFlag(request, key), res);
  })().catch((error) => {
    console.error("OFREP request failed", error);
    if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
    res.end(JSON.stringify({ errorDetails: "The flag could not be evaluated." }));
  });
  return true;
}

/** Header lookup over Node's parsed headers (lower-case names; repeated ones joined as Headers does). */
function nodeHeaders(req: http.IncomingMessage) {
  return {
    get(name: string): string | null {
      const value = req.headers[name.toLowerCase()];
      return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
    },
  };
}

function send(reply: OfrepReply, res: http.ServerResponse): void {
  const headers: Record<string, string | number> = reply.headers;
  if (reply.status !== 304 && reply.status !== 204) headers["Content-Length"] = reply.body === null ? 0 : Buffer.byteLength(reply.body);
  res.writeHead(reply.status, headers);
  res.end(reply.body ?? undefined);
}
