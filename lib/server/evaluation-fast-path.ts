import type http from "node:http";
import { evaluateAllFlags, evaluateSingleFlag } from "@/lib/ofrep/ofrep-service";
import { MAX_OFREP_BODY_BYTES } from "@/lib/ofrep/parse-ofrep-request";
import { sendWebResponse, toWebRequest } from "./node-web-bridge";

const BULK = "/ofrep/v1/evaluate/flags";

/**
 * OFREP evaluation served straight from `node:http`, beside Next.js. The handlers are the same
 * functions the Next route files call; only Next's per-request pipeline is skipped, which
 * measured ~1 ms of CPU per request against ~0.3 ms for the evaluation itself (bench/RESULTS.md,
 * "HTTP evaluation service"). Returns false for any other request, which Next then serves.
 */
export function serveEvaluation(req: http.IncomingMessage, res: http.ServerResponse): boolean {
  if (req.method !== "POST") return false;
  const path = (req.url ?? "/").split("?")[0];
  if (path !== BULK && !path.startsWith(`${BULK}/`)) return false;
  void (async () => {
    const request = await toWebRequest(req, MAX_OFREP_BODY_BYTES);
    if (!request) {
      res.writeHead(413, { "content-type": "application/json" });
      res.end(JSON.stringify({ errorCode: "PARSE_ERROR", errorDetails: `The request body exceeds ${MAX_OFREP_BODY_BYTES} bytes.` }));
      return;
    }
    let key: string | null = null;
    if (path !== BULK) {
      try {
        key = decodeURIComponent(path.slice(BULK.length + 1));
      } catch {
        key = path.slice(BULK.length + 1);
      }
    }
    const response = key === null ? await evaluateAllFlags(request) : await evaluateSingleFlag(request, key);
    await sendWebResponse(response, res);
  })().catch((error) => {
    console.error("OFREP request failed", error);
    if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
    res.end(JSON.stringify({ errorDetails: "The flag could not be evaluated." }));
  });
  return true;
}
