import { authenticateSdkKey, principalForSdkKeyId, type SdkPrincipal } from "@/lib/auth/sdk-key-auth";
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

/** `GET /api/v1/sdk/snapshot` — the environment's full snapshot, with ETag / 304. */
export async function snapshotResponse(request: Request): Promise<Response> {
  const result = await serverKeySnapshot(request);
  if (result instanceof Response) return result;
  const { loaded } = result;
  const headers = { ETag: loaded.etag, "Cache-Control": "no-cache" };
  if (request.headers.get("if-none-match") === loaded.etag) return new Response(null, { status: 304, headers });
  return Response.json(loaded.snapshot, { headers });
}

/**
 * `GET /api/v1/sdk/stream` — `put` with the full snapshot on connect, then a `patch` per new
 * version; `Last-Event-ID` resumes with the buffered patches when possible.
 */
export async function snapshotStreamResponse(request: Request): Promise<Response> {
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
    } else send(sseMessage({ id: loaded.snapshot.version, event: "put", data: JSON.stringify(loaded.snapshot) }));
    return store.subscribe(principal.environmentId, ({ loaded: next, patch }) => {
      if (patch && patch.fromVersion === sentVersion) send(sseMessage({ id: next.snapshot.version, event: "patch", data: JSON.stringify(patch) }));
      else send(sseMessage({ id: next.snapshot.version, event: "put", data: JSON.stringify(next.snapshot) }));
      sentVersion = next.snapshot.version;
    });
  }, async () => (await principalForSdkKeyId(principal.keyId)) !== null);
}
