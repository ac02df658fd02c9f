import type { EvaluationContext, EvaluationErrorCode, EvaluationReason, JsonValue, OfrepReason } from "../evaluation/types";
import type { EnvironmentSnapshot } from "../snapshots/wire-format";

export type { EvaluationContext, JsonValue, EnvironmentSnapshot };

/** Anything with these methods (console, pino, winston…); missing methods are skipped. */
export interface SdkLogger {
  debug?(message: string, ...args: unknown[]): void;
  info?(message: string, ...args: unknown[]): void;
  warn?(message: string, ...args: unknown[]): void;
  error?(message: string, ...args: unknown[]): void;
}

export interface ClientOptions {
  /** The Switchyard server, e.g. `https://flags.example.com`. */
  baseUrl: string;
  /** A server SDK key (`Authorization: Bearer <sdkKey>`). */
  sdkKey: string;
  /**
   * A snapshot to serve before (or without) the network: an `EnvironmentSnapshot` object, or the
   * path of a JSON file holding one. Invalid bootstrap data is logged and ignored.
   */
  bootstrap?: EnvironmentSnapshot | string;
  /** Receive changes over Server-Sent Events (default true); otherwise poll. */
  stream?: boolean;
  /** Polling interval when `stream` is false or the stream is down. Default 30 000. */
  pollIntervalMs?: number;
  /** How often queued events are sent. Default 2 000. */
  eventsFlushIntervalMs?: number;
  /** Queued events beyond this drop the oldest. Default 10 000. */
  maxEventQueue?: number;
  /** Events per POST. Default 500. */
  eventsBatchSize?: number;
  /** Attempts per batch before it goes back to the queue for the next flush. Default 3. */
  eventsMaxAttempts?: number;
  /** Send exposure and metric events at all. Default true. */
  sendEvents?: boolean;
  /** Context attributes never sent in events (the server strips private ones as well). */
  privateAttributes?: string[];
  /** One exposure per context × flag × variation within this window. Default 300 000 (5 min). */
  exposureDedupWindowMs?: number;
  /** Bound of the deduplication memory (least recently used entries are forgotten). Default 10 000. */
  exposureDedupMaxKeys?: number;
  /** No network at all: serve the bootstrap (or defaults) only. Default false. */
  offline?: boolean;
  /** First stream reconnection delay; doubles per failure up to `streamMaxRetryDelayMs`, with jitter. Default 1 000. */
  streamRetryDelayMs?: number;
  /** Default 30 000. */
  streamMaxRetryDelayMs?: number;
  /** Reconnect when nothing (not even a heartbeat) arrives for this long. Default 60 000 (server heartbeats every 15 s). */
  streamIdleTimeoutMs?: number;
  /** Per-request timeout for snapshot fetches and event posts. Default 10 000. */
  requestTimeoutMs?: number;
  /** `close()` gives up flushing after this long. Default 5 000. */
  closeTimeoutMs?: number;
  /** Defaults to the global `fetch`. */
  fetch?: typeof fetch;
  /** Defaults to `console` for warnings and errors. */
  logger?: SdkLogger;
  /** The clock (ms since the epoch) for date clauses, event timestamps and deduplication. */
  now?: () => number;
}

/**
 * - `initializing`: no snapshot yet, connecting;
 * - `ready`: serving a snapshot and connected (stream or polling);
 * - `stale`: serving the last snapshot (or the bootstrap) while the server is unreachable;
 * - `unauthorized`: the server refused the SDK key (401/403); no more retries;
 * - `closed`: `close()` was called.
 */
export type ClientStatus = "initializing" | "ready" | "stale" | "unauthorized" | "closed";

export interface InitializationResult {
  /** A snapshot is available: evaluations use it. */
  initialized: boolean;
  status: ClientStatus;
  /** The snapshot version being served, if any. */
  version?: number;
  /** Set when `initialized` is false: why (timeout, unauthorized, closed). */
  reason?: string;
}

/** The engine's codes plus the SDK's own. */
export type SdkErrorCode = EvaluationErrorCode | "CLIENT_NOT_READY" | "PARSE_ERROR";

export type FlagType = "boolean" | "string" | "number" | "json";

export interface VariationDetail<T> {
  /** The served value, or the caller's default when `reason` is ERROR. */
  value: T;
  variationKey?: string;
  /** Switchyard's reason (OFF, TARGET_MATCH, RULE_MATCH, FALLTHROUGH, PREREQUISITE_FAILED, ERROR). */
  reason: EvaluationReason;
  /** The same reason in OpenFeature / OFREP terms (STATIC, TARGETING_MATCH, SPLIT, DISABLED, DEFAULT, ERROR). */
  ofrepReason: OfrepReason;
  ruleId?: string;
  ruleIndex?: number;
  inRollout?: boolean;
  bucket?: number;
  optedOut?: boolean;
  prerequisiteKey?: string;
  /**
   * Set with reason ERROR (the default was served). A few codes come with a served value:
   * PREREQUISITE_NOT_FOUND / PREREQUISITE_CYCLE serve the flag's off variation.
   */
  errorCode?: SdkErrorCode;
  errorMessage?: string;
  /** The snapshot version that produced the result. */
  snapshotVersion?: number;
  /** The flag's configuration version in its environment, when the server sends it. */
  flagVersion?: number;
}

export interface EventStats {
  /** Events waiting to be sent. */
  queued: number;
  /** Events the server accepted (2xx). */
  sent: number;
  /** Events dropped because the queue was full (oldest first). */
  droppedQueueFull: number;
  /** Events dropped because the server refused them (4xx other than 429; a 400 naming events drops only those). */
  droppedRejected: number;
  /** Events not queued because they would break the events schema (empty or over-long keys). */
  droppedInvalid: number;
  /** Exposures not queued because the same one was sent within the window. */
  deduplicated: number;
  /** Retried POSTs (429, 5xx, network errors). */
  retries: number;
  /** Batches that exhausted their attempts and went back to the queue. */
  failedFlushes: number;
  /** The server reported these flag keys as unknown. */
  unknownFlags: string[];
  /** The server reported these metric keys as unknown (no metric definition). */
  unknownMetrics: string[];
  lastError?: string;
}

export interface ChangeEvent {
  /** Flags whose results may differ: changed, added, removed, or depending on a changed segment or prerequisite. */
  flagKeys: string[];
  version: number;
  previousVersion?: number;
}

export interface ClientEventMap {
  ready: { version: number };
  change: ChangeEvent;
  error: Error;
  status: ClientStatus;
}
