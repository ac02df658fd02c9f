import { renderCounters } from "@/lib/observability/metrics";
import { getSnapshotStore } from "@/lib/snapshots/snapshot-store";

export const dynamic = "force-dynamic";

/** Prometheus text exposition: counters plus snapshot and stream gauges. */
export async function GET() {
  const store = getSnapshotStore();
  const now = Date.now();
  const gauges = [
    "# HELP switchyard_snapshot_version Loaded snapshot version per environment.",
    "# TYPE switchyard_snapshot_version gauge",
    ...store.loadedEnvironmentIds().map((id) => `switchyard_snapshot_version{environment="${id}"} ${store.peek(id)!.snapshot.version}`),
    "# HELP switchyard_snapshot_age_seconds Seconds since the snapshot was loaded.",
    "# TYPE switchyard_snapshot_age_seconds gauge",
    ...store.loadedEnvironmentIds().map((id) => `switchyard_snapshot_age_seconds{environment="${id}"} ${((now - store.peek(id)!.loadedAt) / 1000).toFixed(1)}`),
    "# HELP switchyard_stream_clients Connected SSE clients (SDK streams and OFREP notifications).",
    "# TYPE switchyard_stream_clients gauge",
    `switchyard_stream_clients ${store.subscriberCount()}`,
  ];
  return new Response(`${renderCounters()}\n${gauges.join("\n")}\n`, {
    headers: { "Content-Type": "text/plain; version=0.0.4; charset=utf-8", "Cache-Control": "no-store" },
  });
}
