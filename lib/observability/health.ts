import { pingDatabase } from "@/lib/data/ping-database";
import { changeFeedListening } from "@/lib/snapshots/change-feed";
import { getSnapshotStore } from "@/lib/snapshots/snapshot-store";

/**
 * Liveness plus what would make answers stale: the database (the control plane), the change
 * feed, and how long ago snapshots were last confirmed fresh. Evaluation keeps serving the last
 * snapshots while the database is away ("degraded", not "down").
 */
export async function healthReport(now = Date.now()) {
  const store = getSnapshotStore();
  const database = (await pingDatabase()) ? "up" : "down";
  const environments = store.loadedEnvironmentIds().map((id) => {
    const loaded = store.peek(id)!;
    return { environmentId: id, version: loaded.snapshot.version, loadedAgoSeconds: Math.round((now - loaded.loadedAt) / 1000) };
  });
  const lastConfirmed = store.lastSuccessfulRefreshAt;
  return {
    status: database === "up" && !store.lastRefreshError ? "ok" : "degraded",
    database,
    snapshots: {
      loaded: environments.length,
      changeFeed: environments.length === 0 ? "idle" : changeFeedListening() ? "listening" : "reconnecting",
      confirmedFreshSecondsAgo: lastConfirmed === null ? null : Math.round((now - lastConfirmed) / 1000),
      lastError: store.lastRefreshError?.message ?? null,
      environments,
    },
    time: new Date(now).toISOString(),
  };
}
