import { readFileSync } from "node:fs";
import { evaluateFlag } from "../evaluation/evaluate";
import { toOfrepReason } from "../evaluation/ofrep";
import type { EvaluationContext, EvaluationResult, Flag, JsonValue } from "../evaluation/types";
import type { EnvironmentSnapshot } from "../snapshots/wire-format";
import { DataSource, type PatchOutcome } from "./data-source";
import { EventProcessor } from "./event-processor";
import { applyPatch, changedFlagKeys, patchFromJson, snapshotFromJson, type SnapshotState } from "./snapshot-state";
import { after, errorMessage, keepAlive } from "./timing";
import type {
  ClientEventMap,
  ClientOptions,
  ClientStatus,
  EventStats,
  FlagType,
  InitializationResult,
  SdkErrorCode,
  SdkLogger,
  VariationDetail,
} from "./types";

type Listener<K extends keyof ClientEventMap> = (payload: ClientEventMap[K]) => void;

const defaultLogger: SdkLogger = {
  warn: (m, ...a) => console.warn(m, ...a),
  error: (m, ...a) => console.error(m, ...a),
};

function num(v: unknown, fallback: number, min = 0): number {
  return typeof v === "number" && Number.isFinite(v) && v >= min ? v : fallback;
}

/** Create a client; it starts connecting at once. See lib/sdk/README.md. */
export function createClient(options: ClientOptions): SwitchyardClient {
  return new SwitchyardClient(options);
}

/**
 * The local-evaluation client: holds the environment's snapshot (compiled once per version),
 * evaluates flags in process, keeps the snapshot current over SSE or polling, and sends exposure
 * and metric events in batches. Evaluation methods never throw.
 */
export class SwitchyardClient {
  private state: SnapshotState | undefined;
  /** The served snapshot came from the network (not from the bootstrap). */
  private fromNetwork = false;
  private currentStatus: ClientStatus = "initializing";
  private readyEmitted = false;
  private readonly listeners = new Map<keyof ClientEventMap, Set<(p: never) => void>>();
  private readonly logger: SdkLogger;
  private readonly now: () => number;
  private readonly source: DataSource | null;
  private readonly events: EventProcessor | null;
  private readonly options: ClientOptions;
  private closing: Promise<void> | null = null;
  private lastErrorMessage: string | undefined;

  constructor(options: ClientOptions) {
    this.options = { ...options };
    this.logger = options.logger ?? defaultLogger;
    this.now = typeof options.now === "function" ? options.now : Date.now;
    const offline = options.offline === true;
    const fetchFn = options.fetch ?? globalThis.fetch;
    if (!offline && (typeof options.baseUrl !== "string" || options.baseUrl === "" || typeof options.sdkKey !== "string" || options.sdkKey === "")) {
      throw new TypeError("createClient needs a baseUrl and an sdkKey (or offline: true).");
    }
    if (!offline && typeof fetchFn !== "function") throw new TypeError("No fetch implementation: use Node.js 20 or later, or pass options.fetch.");

    if (options.bootstrap !== undefined) this.loadBootstrap(options.bootstrap);

    const baseUrl = typeof options.baseUrl === "string" ? options.baseUrl.replace(/\/+$/, "") : "";
    this.source = offline
      ? null
      : new DataSource(
          {
            baseUrl,
            sdkKey: options.sdkKey,
            fetch: fetchFn,
            logger: this.logger,
            stream: options.stream !== false,
            pollIntervalMs: num(options.pollIntervalMs, 30_000, 10),
            streamRetryDelayMs: num(options.streamRetryDelayMs, 1_000),
            streamMaxRetryDelayMs: num(options.streamMaxRetryDelayMs, 30_000, 1),
            streamIdleTimeoutMs: num(options.streamIdleTimeoutMs, 60_000, 10),
            requestTimeoutMs: num(options.requestTimeoutMs, 10_000, 1),
          },
          {
            put: (json, origin) => this.onPut(json, origin),
            patch: (json) => this.onPatch(json),
            networkVersion: () => (this.fromNetwork ? this.state?.version : undefined),
            connected: () => this.onConnected(),
            failed: (e) => this.onFailed(e),
            unauthorized: (status) => this.onUnauthorized(status),
          },
        );
    this.events =
      offline || options.sendEvents === false
        ? null
        : new EventProcessor({
            url: `${baseUrl}/api/v1/events`,
            sdkKey: options.sdkKey,
            fetch: fetchFn,
            logger: this.logger,
            now: this.now,
            flushIntervalMs: num(options.eventsFlushIntervalMs, 2_000, 1),
            maxQueue: Math.floor(num(options.maxEventQueue, 10_000, 1)),
            batchSize: Math.floor(num(options.eventsBatchSize, 500, 1)),
            maxAttempts: Math.floor(num(options.eventsMaxAttempts, 3, 1)),
            requestTimeoutMs: num(options.requestTimeoutMs, 10_000, 1),
            dedupWindowMs: num(options.exposureDedupWindowMs, 5 * 60_000),
            dedupMaxKeys: Math.floor(num(options.exposureDedupMaxKeys, 10_000, 1)),
            privateAttributes: Array.isArray(options.privateAttributes) ? options.privateAttributes.filter((a) => typeof a === "string") : [],
          });
    this.source?.start();
  }

  // -------------------------------------------------------------------------------------------
  // State

  /** See ClientStatus. */
  get status(): ClientStatus {
    return this.currentStatus;
  }

  /** The version of the snapshot being served, if any. */
  get version(): number | undefined {
    return this.state?.version;
  }

  /** Keys of the flags in the served snapshot. */
  flagKeys(): string[] {
    return this.state ? [...this.state.flags.keys(), ...this.state.invalidFlags.keys()] : [];
  }

  /**
   * Resolves once a snapshot is available (a bootstrap counts), the key is refused, the client is
   * closed, or after `timeoutMs` (default 10 000) — whichever comes first. Never rejects: check
   * `initialized`. Evaluations before that serve the caller's defaults.
   */
  waitForInitialization(timeoutMs = 10_000): Promise<InitializationResult> {
    const result = (reason?: string): InitializationResult => ({
      initialized: this.state !== undefined,
      status: this.currentStatus,
      version: this.state?.version,
      ...(this.state === undefined && reason ? { reason } : {}),
    });
    if (this.state !== undefined) return Promise.resolve(result());
    if (this.currentStatus === "unauthorized") return Promise.resolve(result("The server refused the SDK key."));
    if (this.currentStatus === "closed") return Promise.resolve(result("The client is closed."));
    if (this.source === null) return Promise.resolve(result("Offline and without a bootstrap snapshot."));
    const waiting = new Promise<InitializationResult>((resolve) => {
      const cleanup: (() => void)[] = [];
      const finish = (reason?: string) => {
        for (const c of cleanup) c();
        resolve(result(reason));
      };
      cleanup.push(after(num(timeoutMs, 10_000), () => finish(`No snapshot within ${timeoutMs} ms${this.lastErrorMessage ? ` (${this.lastErrorMessage.replace(/\.$/, "")})` : ""}.`)));
      cleanup.push(this.on("ready", () => finish()));
      cleanup.push(
        this.on("status", (s) => {
          if (s === "unauthorized") finish("The server refused the SDK key.");
          else if (s === "closed") finish("The client is closed.");
        }),
      );
    });
    return keepAlive(waiting);
  }

  // -------------------------------------------------------------------------------------------
  // Evaluation

  boolVariation(flagKey: string, context: EvaluationContext, defaultValue: boolean): boolean {
    return this.evaluate("boolean", flagKey, context, defaultValue).value;
  }

  stringVariation(flagKey: string, context: EvaluationContext, defaultValue: string): string {
    return this.evaluate("string", flagKey, context, defaultValue).value;
  }

  numberVariation(flagKey: string, context: EvaluationContext, defaultValue: number): number {
    return this.evaluate("number", flagKey, context, defaultValue).value;
  }

  /** Any JSON value, from a flag whose value type is `json`. */
  jsonVariation<T extends JsonValue = JsonValue>(flagKey: string, context: EvaluationContext, defaultValue: T): T {
    return this.evaluate("json", flagKey, context, defaultValue).value;
  }

  boolVariationDetail(flagKey: string, context: EvaluationContext, defaultValue: boolean): VariationDetail<boolean> {
    return this.evaluate("boolean", flagKey, context, defaultValue);
  }

  stringVariationDetail(flagKey: string, context: EvaluationContext, defaultValue: string): VariationDetail<string> {
    return this.evaluate("string", flagKey, context, defaultValue);
  }

  numberVariationDetail(flagKey: string, context: EvaluationContext, defaultValue: number): VariationDetail<number> {
    return this.evaluate("number", flagKey, context, defaultValue);
  }

  jsonVariationDetail<T extends JsonValue = JsonValue>(flagKey: string, context: EvaluationContext, defaultValue: T): VariationDetail<T> {
    return this.evaluate("json", flagKey, context, defaultValue);
  }

  /**
   * Evaluate `flagKey` for `context` as `type`. Never throws. Records an exposure when a
   * variation was served without error and the context did not opt out of experiments.
   */
  evaluate<T>(type: FlagType, flagKey: string, context: EvaluationContext, defaultValue: T): VariationDetail<T> {
    try {
      const state = this.state;
      if (state === undefined) {
        return failure(defaultValue, "CLIENT_NOT_READY", "The client has no flag data yet (no snapshot received and no bootstrap); served the default.");
      }
      const version = state.version;
      const invalid = state.invalidFlags.get(flagKey);
      if (invalid !== undefined) return failure(defaultValue, "PARSE_ERROR", invalid, version);
      const ctx = typeof context === "object" && context !== null ? context : {};
      const r = evaluateFlag(state.compiled, flagKey, ctx, { now: this.now() });
      const flag = state.flags.get(flagKey);
      if (r.reason === "ERROR") {
        return failure(defaultValue, r.errorCode ?? "GENERAL", r.errorMessage ?? "The flag could not be evaluated.", version, flag);
      }
      if (r.errorCode === "MISSING_BUCKET_KEY") {
        // Served the first variation without bucketing: report it as an error, as OFREP does.
        const byKey = bucketAttribute(flag, r) === "targetingKey";
        return failure(defaultValue, byKey ? "TARGETING_KEY_MISSING" : "MISSING_BUCKET_KEY", r.errorMessage ?? "The context lacks the rollout's bucketing attribute.", version, flag);
      }
      if (!typeMatches(type, r.value, flag)) {
        return failure(
          defaultValue,
          "TYPE_MISMATCH",
          `Flag ${flagKey} serves ${flag?.valueType === "json" ? "JSON" : `a ${jsonKind(r.value)}`}, but a ${type} was requested.`,
          version,
          flag,
        );
      }
      if (this.events !== null && r.variationKey !== undefined && r.errorCode === undefined && r.optedOut !== true) {
        this.events.exposure(flagKey, r.variationKey, ctx, version);
      }
      return success<T>(r, version, flag);
    } catch (e) {
      return failure(defaultValue, "GENERAL", `Evaluation failed: ${errorMessage(e)}`);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Events

  /** Record a metric event (a conversion without `value`, or a numeric measurement). */
  track(metricKey: string, context: EvaluationContext, value?: number): void {
    try {
      if (typeof metricKey !== "string" || metricKey === "") return;
      this.events?.metric(metricKey, typeof context === "object" && context !== null ? context : {}, value);
    } catch (e) {
      this.logger.error?.(`[switchyard] track failed: ${errorMessage(e)}`);
    }
  }

  /** Send queued events now. Never rejects. */
  async flush(): Promise<void> {
    if (this.events) await keepAlive(this.events.flush());
  }

  eventStats(): EventStats {
    return (
      this.events?.stats() ?? {
        queued: 0,
        sent: 0,
        droppedQueueFull: 0,
        droppedRejected: 0,
        droppedInvalid: 0,
        deduplicated: 0,
        retries: 0,
        failedFlushes: 0,
        unknownFlags: [],
        unknownMetrics: [],
      }
    );
  }

  /** Stop streaming and polling, flush events (up to `closeTimeoutMs`), stop timers. Idempotent. */
  close(): Promise<void> {
    this.closing ??= keepAlive(this.shutdown());
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.source?.stop();
    this.setStatus("closed");
    try {
      await this.events?.close(Date.now() + num(this.options.closeTimeoutMs, 5_000));
    } catch (e) {
      this.logger.error?.(`[switchyard] close: ${errorMessage(e)}`);
    }
    this.listeners.clear();
  }

  // -------------------------------------------------------------------------------------------
  // Subscriptions

  /**
   * `change` (flag keys whose results may differ), `ready` (first snapshot; called at once if
   * already ready), `error`, `status`. Returns a function that unsubscribes.
   */
  on<K extends keyof ClientEventMap>(event: K, listener: Listener<K>): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as (p: never) => void);
    if (event === "ready" && this.readyEmitted && this.state !== undefined) {
      const version = this.state.version;
      queueMicrotask(() => {
        if (set!.has(listener as (p: never) => void)) safeCall(this.logger, () => (listener as Listener<"ready">)({ version }));
      });
    }
    return () => this.off(event, listener);
  }

  off<K extends keyof ClientEventMap>(event: K, listener: Listener<K>): void {
    this.listeners.get(event)?.delete(listener as (p: never) => void);
  }

  private emit<K extends keyof ClientEventMap>(event: K, payload: ClientEventMap[K]): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const l of [...set]) safeCall(this.logger, () => (l as Listener<K>)(payload));
  }

  // -------------------------------------------------------------------------------------------
  // Snapshot updates (from the data source and the bootstrap)

  private loadBootstrap(bootstrap: EnvironmentSnapshot | string): void {
    let json: unknown = bootstrap;
    if (typeof bootstrap === "string") {
      try {
        json = JSON.parse(readFileSync(bootstrap, "utf8"));
      } catch (e) {
        this.logger.error?.(`[switchyard] Could not read the bootstrap file ${bootstrap}: ${errorMessage(e)}`);
        return;
      }
    }
    const parsed = snapshotFromJson(json);
    if (!parsed.ok) {
      this.logger.error?.(`[switchyard] Ignoring the bootstrap: ${parsed.error}`);
      return;
    }
    for (const w of parsed.warnings) this.logger.warn?.(`[switchyard] Bootstrap: ${w}`);
    this.install(parsed.value, false);
    this.setStatus("ready");
  }

  private onPut(json: unknown, origin: "stream" | "poll" | "refetch"): number | undefined {
    if (this.currentStatus === "closed") return undefined;
    const parsed = snapshotFromJson(json);
    if (!parsed.ok) {
      this.reportError(new Error(parsed.error));
      return undefined;
    }
    const next = parsed.value;
    const cur = this.state;
    if (cur !== undefined && this.fromNetwork) {
      if (next.version === cur.version) return cur.version;
      // A re-fetch racing the stream must not go back; a put or a poll is the server's truth.
      if (origin === "refetch" && next.version < cur.version) return undefined;
      if (next.version < cur.version) this.logger.warn?.(`[switchyard] The server went back from version ${cur.version} to ${next.version}.`);
    }
    for (const w of parsed.warnings) this.logger.warn?.(`[switchyard] ${w}`);
    this.install(next, true);
    return next.version;
  }

  private onPatch(json: unknown): PatchOutcome {
    if (this.currentStatus === "closed") return "ignored";
    const parsed = patchFromJson(json);
    if (!parsed.ok) {
      this.reportError(new Error(parsed.error));
      return "invalid";
    }
    const patch = parsed.value;
    const cur = this.state;
    if (cur === undefined || !this.fromNetwork) return "gap";
    if (patch.version <= cur.version) return "ignored";
    if (patch.fromVersion !== cur.version) {
      this.logger.info?.(`[switchyard] Patch ${patch.fromVersion}→${patch.version} does not apply to version ${cur.version}; fetching the snapshot.`);
      return "gap";
    }
    const next = applyPatch(cur, patch);
    if (!next.ok) {
      this.reportError(new Error(next.error));
      return "invalid";
    }
    for (const w of next.warnings) this.logger.warn?.(`[switchyard] ${w}`);
    this.install(next.value, true);
    return "applied";
  }

  private install(next: SnapshotState, fromNetwork: boolean): void {
    const prev = this.state;
    this.state = next;
    this.fromNetwork = fromNetwork;
    if (!this.readyEmitted) {
      this.readyEmitted = true;
      // Deferred so that listeners attached right after createClient() (bootstrap) hear it.
      queueMicrotask(() => this.emit("ready", { version: next.version }));
    }
    if (prev !== undefined) {
      let keys: string[];
      try {
        keys = changedFlagKeys(prev, next);
      } catch {
        keys = this.flagKeys();
      }
      if (keys.length > 0 || prev.version !== next.version) {
        this.emit("change", { flagKeys: keys, version: next.version, previousVersion: prev.version });
      }
    }
  }

  private onConnected(): void {
    this.lastErrorMessage = undefined;
    if (this.state !== undefined) this.setStatus("ready");
  }

  private onFailed(e: Error): void {
    if (this.currentStatus === "closed" || this.currentStatus === "unauthorized") return;
    const first = this.lastErrorMessage === undefined;
    this.lastErrorMessage = e.message;
    if (first) this.logger.warn?.(`[switchyard] ${e.message}${this.state ? ` Serving snapshot version ${this.state.version} meanwhile.` : ""}`);
    else this.logger.debug?.(`[switchyard] ${e.message}`);
    if (this.state !== undefined) this.setStatus("stale");
    this.emit("error", e);
  }

  private onUnauthorized(status: number): void {
    if (this.currentStatus === "closed") return;
    const e = new Error(`The server refused the SDK key (HTTP ${status}); no more requests will be made. ${this.state ? `Serving snapshot version ${this.state.version}.` : "Serving defaults."}`);
    this.lastErrorMessage = e.message;
    this.logger.error?.(`[switchyard] ${e.message}`);
    this.setStatus("unauthorized");
    this.emit("error", e);
  }

  private reportError(e: Error): void {
    this.logger.error?.(`[switchyard] ${e.message}`);
    this.emit("error", e);
  }

  private setStatus(s: ClientStatus): void {
    if (this.currentStatus === s || this.currentStatus === "closed") return;
    this.currentStatus = s;
    this.emit("status", s);
  }
}

// ---------------------------------------------------------------------------------------------

function safeCall(logger: SdkLogger, fn: () => void): void {
  try {
    fn();
  } catch (e) {
    logger.error?.(`[switchyard] A listener threw: ${errorMessage(e)}`);
  }
}

function jsonKind(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v;
}

function typeMatches(type: FlagType, value: unknown, flag: Flag | undefined): boolean {
  switch (type) {
    case "boolean":
      return typeof value === "boolean";
    case "string":
      return typeof value === "string";
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "json":
      return flag?.valueType === "json" && value !== undefined;
  }
}

/** The attribute the rollout that produced `r` buckets by. */
function bucketAttribute(flag: Flag | undefined, r: EvaluationResult): string {
  if (!flag) return "targetingKey";
  const serve = r.ruleId !== undefined ? flag.config.rules.find((x) => x.id === r.ruleId)?.serve : flag.config.fallthrough;
  if (serve && "rollout" in serve) return serve.rollout.bucketBy || "targetingKey";
  return "targetingKey";
}

function success<T>(r: EvaluationResult, version: number, flag: Flag | undefined): VariationDetail<T> {
  const d: VariationDetail<T> = { value: r.value as T, reason: r.reason, ofrepReason: toOfrepReason(r), snapshotVersion: version };
  if (r.variationKey !== undefined) d.variationKey = r.variationKey;
  if (r.ruleId !== undefined) d.ruleId = r.ruleId;
  if (r.ruleIndex !== undefined) d.ruleIndex = r.ruleIndex;
  if (r.inRollout !== undefined) d.inRollout = r.inRollout;
  if (r.bucket !== undefined) d.bucket = r.bucket;
  if (r.optedOut !== undefined) d.optedOut = r.optedOut;
  if (r.prerequisiteKey !== undefined) d.prerequisiteKey = r.prerequisiteKey;
  if (r.errorCode !== undefined) d.errorCode = r.errorCode;
  if (r.errorMessage !== undefined) d.errorMessage = r.errorMessage;
  if (flag?.config.version !== undefined) d.flagVersion = flag.config.version;
  return d;
}

function failure<T>(defaultValue: T, code: SdkErrorCode, message: string, version?: number, flag?: Flag): VariationDetail<T> {
  const d: VariationDetail<T> = { value: defaultValue, reason: "ERROR", ofrepReason: "ERROR", errorCode: code, errorMessage: message };
  if (version !== undefined) d.snapshotVersion = version;
  if (flag?.config.version !== undefined) d.flagVersion = flag.config.version;
  return d;
}
