import { z } from "zod";
import { jsonError, parseSearchParams } from "@/lib/api/handle-route";
import { authenticateSdkKey, principalForSdkKeyId, type SdkPrincipal } from "@/lib/auth/sdk-key-auth";
import { isAppError } from "@/lib/errors";
import { ensureChangeFeed } from "./change-feed";
import { getSnapshotStore, type LoadedSnapshot } from "./snapshot-store";
import { sseMessage, sseResponse } from "./sse";

async function serverKeySnapshot(request: Request): Promise<{ principal: SdkPrincipal; loaded: LoadedSnapshot } | Response> {
  const auth = await authenticateSdkKey(request.headers).catch(() => null);
  if (!auth) return new Response(null, { status: 503, headers: { "Retry-After": "5" } });
  if (!auth.ok) return new Response(null, { status: auth.status });
  // Snapshots contain rules and segment members: only server keys may download them.
  if (auth.principal.kind !== "server") return new Response(null, { status: 403 });
  ensureChangeFeed();
  const loaded = await getSnapshotStore()
    .get(auth.principal.environmentId)
    .catch(() => null);
  if (!loaded) return new Response(null, { status: 503, headers: { "Retry-After": "5" } });
  return { principal: auth.principal, loaded };
}

const snapshotQuerySchema = z.object({
  format: z.enum(["1", "2"], { error: "format must be 1 (flags and segments as stored) or 2 (packed, see lib/evaluation/packed.ts)." }).default("1"),
});

type SnapshotFormat = z.infer<typeof snapshotQuerySchema>["format"];

/** `?format=1|2` (default 1), or a 400 naming the parameter. */
function snapshotFormat(request: Request): SnapshotFormat | Response {
  try {
    return parseSearchParams(request, snapshotQuerySchema).format;
  } catch (error) {
    if (isAppError(error)) return jsonError(error);
    throw error;
  }
}

/** The full snapshot in the requested format: format 2 is packed once per version (snapshot-store.ts). */
function snapshotBody(loaded: LoadedSnapshot, format: SnapshotFormat): object {
  return format === "2" ? loaded.packed : loaded.snapshot;
}

/** Format 1 keeps its historical ETag; format 2 has its own, so caches never mix the two. */
function etagFor(loaded: LoadedSnapshot, format: SnapshotFormat): string {
  return format === "2" ? `"${loaded.environmentId}:${loaded.snapshot.version}:f2"` : loaded.etag;
}

/** `GET /api/v1/sdk/snapshot[?format=1|2]` — the environment's full snapshot, with ETag / 304. */
export async function snapshotResponse(request: Request): Promise<Response> {
  const format = snapshotFormat(request);
  if (format instanceof Response) return format;
  const result = await serverKeySnapshot(request);
  if (result instanceof Response) return result;
  const { loaded } = result;
  const etag = etagFor(loaded, format);
  const headers = { ETag: etag, "Cache-Control": "no-cache" };
  if (request.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });
  return Response.json(snapshotBody(loaded, format), { headers });
}

/**
 * `GET /api/v1/sdk/stream[?format=1|2]` — `put` with the full snapshot (in the requested format)
 * on connect, then a `patch` per new version (patches are small and always format 1);
 * `Last-Event-ID` resumes with the buffered patches when possible.
 */
export async function snapshotStreamResponse(request: Request): Promise<Response> {
  const format = snapshotFormat(request);
  if (format instanceof Response) return format;
  const result = await serverKeySnapshot(request);
  if (result instanceof Response) return result;
  const { principal, loaded } = result;
  const store = getSnapshotStore();
  const lastEventId = Number(request.headers.get("last-event-id"));
  return sseResponse(request.signal, (send) => {
    let sentVersion = loaded.snapshot.version;
    const resumed = Number.isFinite(lastEventId) && lastEventId > 0 ? store.patchesSince(principal.environmentId, lastEventId) : null;
    if (resumed) {
      for (const patch of resumed) send(sseMessage({ id: patch.version, event: "patch", data: JSON.stringify(patch) }));
      sentVersion = resumed.at(-1)?.version ?? lastEventId;
    } else send(sseMessage({ id: loaded.snapshot.version, event: "put", data: JSON.stringify(snapshotBody(loaded, format)) }));
    return store.subscribe(principal.environmentId, ({ loaded: next, patch }) => {
      if (patch && patch.fromVersion === sentVersion) send(sseMessage({ id: next.snapshot.version, event: "patch", data: JSON.stringify(patch) }));
      else send(sseMessage({ id: next.snapshot.version, event: "put", data: JSON.stringify(snapshotBody(next, format)) }));
      sentVersion = next.snapshot.version;
    });
  }, async () => (await principalForSdkKeyId(principal.keyId)) !== null);
}
