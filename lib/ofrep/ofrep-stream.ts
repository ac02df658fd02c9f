import { principalForSdkKeyId } from "@/lib/auth/sdk-key-auth";
import { ensureChangeFeed } from "@/lib/snapshots/change-feed";
import { getSnapshotStore, type LoadedSnapshot } from "@/lib/snapshots/snapshot-store";
import { sseMessage, sseResponse } from "@/lib/snapshots/sse";
import { keyIdFromStreamToken } from "./stream-token";

function refetchEvent(loaded: LoadedSnapshot): string {
  const data = { type: "refetchEvaluation", etag: loaded.etag, lastModified: Math.floor(Date.parse(loaded.snapshot.publishedAt) / 1000) };
  return sseMessage({ id: loaded.snapshot.version, data: JSON.stringify(data) });
}

/**
 * OFREP change notifications (ADR-0008): `refetchEvaluation` whenever the environment's
 * configuration changes; a client resuming with an older `Last-Event-ID` is told to refetch at
 * once.
 */
export async function ofrepEventStream(request: Request): Promise<Response> {
  const keyId = await keyIdFromStreamToken(new URL(request.url).searchParams.get("token"));
  const principal = keyId ? await principalForSdkKeyId(keyId).catch(() => null) : null;
  if (!principal) return new Response(null, { status: 401 });
  ensureChangeFeed();
  const store = getSnapshotStore();
  const current = await store.get(principal.environmentId).catch(() => null);
  if (!current) return new Response(null, { status: 503, headers: { "Retry-After": "5" } });
  const lastEventId = Number(request.headers.get("last-event-id"));
  return sseResponse(request.signal, (send) => {
    if (Number.isFinite(lastEventId) && lastEventId > 0 && lastEventId < current.snapshot.version) send(refetchEvent(current));
    return store.subscribe(principal.environmentId, ({ loaded }) => send(refetchEvent(loaded)));
  }, async () => (await principalForSdkKeyId(principal.keyId)) !== null);
}
