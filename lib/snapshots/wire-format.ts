/**
 * What travels between the evaluation service and SDKs that evaluate locally. Shared by the
 * server routes and `lib/sdk`, so both sides parse the same shapes. Flags and segments are the
 * engine's types (lib/evaluation/types.ts) and are validated with lib/schemas/flag-config.ts.
 *
 * GET  /api/v1/sdk/snapshot   (server SDK key)  → 200 EnvironmentSnapshot, ETag "<environmentId>:<version>", 304 on If-None-Match
 *        ?format=2 → 200 PackedEnvironmentSnapshot, ETag "<environmentId>:<version>:f2"; ?format=1 is the default;
 *        any other format → 400 VALIDATION_FAILED naming `format`
 * GET  /api/v1/sdk/stream     (server SDK key)  → text/event-stream (?format as above, for `put` only):
 *        event: put     data: EnvironmentSnapshot | PackedEnvironmentSnapshot (on connect, and when a patch cannot be applied)
 *        event: patch   data: SnapshotPatch                            (each later version)
 *        : heartbeat    (comment line every 15 s)
 *        every event has `id: <version>`; reconnecting with `Last-Event-ID: <version>` sends
 *        only the patches after it when still buffered, else a full `put`.
 * POST /api/v1/events          (server or client SDK key) ← EventBatch → 202 EventBatchResult (lib/schemas/events.ts:
 *        {received, accepted, dropped, unknownFlags, unknownMetrics, stripped}); 400/413 are final
 *        (do not retry), 503 + Retry-After and 5xx stored nothing (retry). See docs/events.md.
 */
import type { PackedSnapshot } from "../evaluation/packed";
import type { Flag, Segment } from "../evaluation/types";

export interface EnvironmentSnapshot {
  projectKey: string;
  environmentKey: string;
  /** Monotonic per environment; bumps on every change that affects evaluation. */
  version: number;
  /** ISO time the version was published. */
  publishedAt: string;
  /** The project's experiment opt-out attribute (lib/evaluation opt-out semantics). */
  optOutAttribute?: string;
  flags: Flag[];
  segments: Segment[];
}

/**
 * Snapshot format 2: the envelope of EnvironmentSnapshot with flags and segments packed
 * (`format: 2`, see lib/evaluation/packed.ts). Smaller on the wire and much faster to load.
 */
export type PackedEnvironmentSnapshot = Omit<EnvironmentSnapshot, "flags" | "segments"> & PackedSnapshot;

export interface SnapshotPatch {
  /** The version this patch applies on top of. */
  fromVersion: number;
  version: number;
  publishedAt: string;
  optOutAttribute?: string;
  /** Flags added or changed, in full. */
  upsertFlags: Flag[];
  deletedFlags: string[];
  upsertSegments: Segment[];
  deletedSegments: string[];
}

/** Exposure: a context was served a variation (SDKs send one per context × flag × variation per window). */
export interface ExposureEvent {
  kind: "exposure";
  flagKey: string;
  variationKey: string;
  contextKey: string;
  /** Public attributes for cohort breakdowns; the server strips private and forbidden ones. */
  attributes?: Record<string, unknown>;
  /** ISO time or epoch milliseconds. */
  timestamp: string | number;
  /** The snapshot version that produced it, when known. */
  configVersion?: number;
}

export interface MetricEvent {
  kind: "metric";
  metricKey: string;
  /** Omitted for count/conversion metrics. */
  value?: number;
  contextKey: string;
  attributes?: Record<string, unknown>;
  timestamp: string | number;
}

export interface EventBatch {
  events: (ExposureEvent | MetricEvent)[];
}
