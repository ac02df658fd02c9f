import { createHash } from "node:crypto";
import { authenticateSdkKey, type HeaderReader, type SdkPrincipal } from "@/lib/auth/sdk-key-auth";
import { evaluateFlag } from "@/lib/evaluation";
import type { EvaluationContext } from "@/lib/evaluation/types";
import { getMetrics } from "@/lib/observability/metrics";
import { ensureChangeFeed } from "@/lib/snapshots/change-feed";
import { getSnapshotStore, type LoadedSnapshot } from "@/lib/snapshots/snapshot-store";
import { OfrepRequestError, type OfrepFailure, type OfrepSuccess } from "./ofrep-errors";
import { parseOfrepBody } from "./parse-ofrep-request";
import { RateLimiter } from "./rate-limiter";
import { streamUrlFor } from "./stream-token";
import { toOfrepResult } from "./to-ofrep-result";

const RATE_PER_KEY = Number(process.env.SWITCHYARD_OFREP_RATE_LIMIT ?? 5000);
const limiterKey = Symbol.for("switchyard.ofrepLimiter");
function limiter(): RateLimiter {
  const g = globalThis as { [limiterKey]?: RateLimiter };
  g[limiterKey] ??= new RateLimiter(RATE_PER_KEY);
  return g[limiterKey];
}

/**
 * What the handlers need of a request, whichever server received it: Next's route handlers pass a
 * Web `Request` through ofrepRequestOf, the `node:http` fast path (lib/server/evaluation-fast-path.ts)
 * builds it from the Node request directly, sparing undici's Request/Response and web streams.
 */
export interface OfrepRequest {
  /** Absolute URL (origin and query are used). */
  url: string;
  headers: HeaderReader;
  body: string;
}

/** A reply: status, headers, and a JSON body (null for none). */
export interface OfrepReply {
  status: number;
  headers: Record<string, string>;
  body: string | null;
}

const NO_STORE = { "Cache-Control": "no-store" };

const json = (status: number, body: unknown, headers: Record<string, string> = NO_STORE): OfrepReply => ({
  status,
  headers: { ...headers, "Content-Type": "application/json" },
  body: JSON.stringify(body),
});

function refuse(status: number, headers: Record<string, string> = {}): OfrepReply {
  getMetrics().requestsRejected.inc({ status: String(status) });
  return { status, headers: { ...NO_STORE, ...headers }, body: null };
}

export async function ofrepRequestOf(request: Request): Promise<OfrepRequest> {
  return { url: request.url, headers: request.headers, body: await request.text() };
}

export function toWebResponse(reply: OfrepReply): Response {
  return new Response(reply.body, { status: reply.status, headers: reply.headers });
}

/**
 * The steps every OFREP request shares: SDK key (401/403 without body), per-key rate limit
 * (429 with Retry-After), the environment's in-memory snapshot, and the context.
 */
async function prepare(request: OfrepRequest): Promise<
  { ok: true; principal: SdkPrincipal; loaded: LoadedSnapshot; context: EvaluationContext } | { ok: false; response: OfrepReply }
> {
  const auth = await authenticateSdkKey(request.headers).catch(() => null);
  if (!auth) return { ok: false, response: json(500, { errorDetails: "Keys cannot be checked right now." }, {}) };
  if (!auth.ok) return { ok: false, response: refuse(auth.status) };
  const wait = limiter().take(auth.principal.keyId);
  if (wait > 0) return { ok: false, response: refuse(429, { "Retry-After": String(wait) }) };
  ensureChangeFeed();
  const loaded = await getSnapshotStore()
    .get(auth.principal.environmentId)
    .catch(() => null);
  if (!loaded) return { ok: false, response: json(500, { errorDetails: "The environment's flags are not available." }) };
  try {
    return { ok: true, principal: auth.principal, loaded, context: parseOfrepBody(request.body) };
  } catch (error) {
    if (error instanceof OfrepRequestError) {
      return { ok: false, response: json(400, { errorCode: error.errorCode, errorDetails: error.message }) };
    }
    throw error;
  }
}

function evaluateForPrincipal(key: string, principal: SdkPrincipal, loaded: LoadedSnapshot, context: EvaluationContext): OfrepSuccess | OfrepFailure {
  // Client keys only see flags marked client-visible; the rest do not exist for them.
  const visible = principal.kind === "server" || loaded.clientVisible.has(key);
  const result = visible ? evaluateFlag(loaded.compiled, key, context) : ({ value: null, reason: "ERROR", errorCode: "FLAG_NOT_FOUND" } as const);
  const body = toOfrepResult(key, result, context, { configVersion: loaded.configVersions.get(key), snapshotVersion: loaded.snapshot.version });
  return body;
}

function record(endpoint: string, body: OfrepSuccess | OfrepFailure) {
  const metrics = getMetrics();
  if ("errorCode" in body) metrics.evaluationErrors.inc({ endpoint, code: body.errorCode });
  else metrics.evaluations.inc({ endpoint, reason: body.reason });
}

/** `POST /ofrep/v1/evaluate/flags/{key}` */
export async function evaluateSingleFlag(request: OfrepRequest, key: string): Promise<OfrepReply> {
  const prepared = await prepare(request);
  if (!prepared.ok) return prepared.response;
  const body = evaluateForPrincipal(key, prepared.principal, prepared.loaded, prepared.context);
  record("single", body);
  const status = !("errorCode" in body) ? 200 : body.errorCode === "FLAG_NOT_FOUND" ? 404 : 400;
  return json(status, body);
}

/** `POST /ofrep/v1/evaluate/flags` — every flag the key may see, with an ETag over the results. */
export async function evaluateAllFlags(request: OfrepRequest): Promise<OfrepReply> {
  const url = new URL(request.url);
  const wanted = url.searchParams.get("flagConfigEtag");
  const prepared = await prepare(request);
  if (!prepared.ok) return prepared.response;
  let { loaded } = prepared;
  const { principal, context } = prepared;
  // After a change notification the client asks for at least that version; this instance may not
  // have loaded it yet.
  const wantedVersion = Number(wanted?.replace(/"/g, "").split(":")[1]);
  if (Number.isFinite(wantedVersion) && wantedVersion > loaded.snapshot.version) {
    loaded = (await getSnapshotStore().reload(loaded.environmentId).catch(() => null)) ?? loaded;
  }
  const keys = principal.kind === "server" ? loaded.compiled.flagKeys : loaded.compiled.flagKeys.filter((key) => loaded.clientVisible.has(key));
  const flags = keys.map((key) => evaluateForPrincipal(key, principal, loaded, context));
  const flagsJson = JSON.stringify(flags);
  const etag = `"${createHash("sha1").update(flagsJson).digest("base64url")}"`;
  const headers = { ...NO_STORE, ETag: etag };
  getMetrics().evaluations.inc({ endpoint: "bulk", reason: "ALL" }, flags.length);
  if (request.headers.get("if-none-match") === etag) return { status: 304, headers, body: null };
  const eventStreams = [{ type: "sse", url: await streamUrlFor(url.origin, principal), inactivityDelaySec: 120 }];
  const body = `{"flags":${flagsJson},"metadata":{"snapshotVersion":${loaded.snapshot.version}},"eventStreams":${JSON.stringify(eventStreams)}}`;
  return { status: 200, headers: { ...headers, "Content-Type": "application/json" }, body };
}
