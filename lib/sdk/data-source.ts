import { SseParser, type SseEvent } from "./sse-parser";
import { after, Backoff, errorMessage, parseRetryAfter, sleep, timeoutSignal } from "./timing";
import type { SdkLogger } from "./types";

/** What the data source tells the client; the client owns the snapshot and the status. */
export interface DataSourceSink {
  /** A full snapshot arrived. Returns the version now served, or undefined if it was refused. */
  put(json: unknown, origin: "stream" | "poll" | "refetch"): number | undefined;
  /** A patch arrived on the stream. */
  patch(json: unknown): PatchOutcome;
  /** The version currently served from the network (not from a bootstrap), if any. */
  networkVersion(): number | undefined;
  /** The server answered: the data is current. */
  connected(): void;
  /** The server could not be reached or answered with an error. */
  failed(error: Error): void;
  /** The server refused the SDK key: nothing more will be tried. */
  unauthorized(status: number): void;
}

/**
 * - applied: the patch moved the snapshot to its version;
 * - ignored: nothing to do (already at or past that version);
 * - gap: it does not apply to the current version, a full snapshot is needed;
 * - invalid: it could not be parsed.
 */
export type PatchOutcome = "applied" | "ignored" | "gap" | "invalid";

export interface DataSourceOptions {
  baseUrl: string;
  sdkKey: string;
  fetch: typeof fetch;
  logger: SdkLogger;
  stream: boolean;
  pollIntervalMs: number;
  streamRetryDelayMs: number;
  streamMaxRetryDelayMs: number;
  streamIdleTimeoutMs: number;
  requestTimeoutMs: number;
}

class HttpStatusError extends Error {
  /** From `Retry-After` (429/503): the server asks us to wait at least this long. */
  readonly retryAfterMs: number | undefined;
  constructor(
    readonly status: number,
    what: string,
    res?: Response,
  ) {
    super(`${what} answered HTTP ${status}`);
    this.retryAfterMs = res ? parseRetryAfter(res.headers.get("retry-after")) : undefined;
  }
}

/**
 * The snapshot format the SDK asks for: 2, packed (lib/evaluation/packed.ts), several times
 * smaller and faster to load. Patches on the stream are format 1 either way; a `put` or snapshot
 * in format 1 (an older server ignoring `?format`) is still understood.
 */
const SNAPSHOT_FORMAT = 2;

/** Never wait longer than this for a server's Retry-After between attempts. */
const MAX_RETRY_AFTER_MS = 5 * 60_000;

/**
 * Keeps the client's snapshot current: a Server-Sent Events stream (`put` and `patch` events,
 * reconnecting with exponential backoff, jitter and `Last-Event-ID`), with polling of the snapshot
 * endpoint (`If-None-Match`) while the stream is down or when streaming is off.
 */
export class DataSource {
  private readonly stopCtrl = new AbortController();
  private halted = false;
  private pollCtrl: AbortController | null = null;
  /** Retry-After of the last failed snapshot request. */
  private pollRetryAfterMs = 0;
  /** The last poll since polling started succeeded. */
  private pollHealthy = false;
  private streamCtrl: AbortController | null = null;
  private etag: { value: string; version: number } | null = null;
  /** Id of the last stream event we applied; `Last-Event-ID` on reconnect. */
  private resumeId: string | undefined;
  private refetching: Promise<void> | null = null;
  private refetchAgain = false;
  private readonly backoff: Backoff;

  constructor(
    private readonly o: DataSourceOptions,
    private readonly sink: DataSourceSink,
  ) {
    this.backoff = new Backoff(o.streamRetryDelayMs, o.streamMaxRetryDelayMs);
  }

  private get base(): string {
    return this.o.baseUrl.replace(/\/+$/, "");
  }

  start(): void {
    if (this.o.stream) void this.streamLoop();
    else this.startPolling();
  }

  stop(): void {
    this.halted = true;
    this.stopCtrl.abort();
    this.pollCtrl?.abort();
    this.streamCtrl?.abort();
  }

  private authHeaders(accept: string): Record<string, string> {
    return { Authorization: `Bearer ${this.o.sdkKey}`, Accept: accept };
  }

  private halt(status: number): void {
    this.stop();
    this.sink.unauthorized(status);
  }

  // -------------------------------------------------------------------------------------------
  // Streaming

  private async streamLoop(): Promise<void> {
    while (!this.halted) {
      let receivedData = false;
      let retryAfter = 0;
      let failed = false;
      try {
        // A clean end (proxies time streams out) is not a failure: reconnect; failing to is.
        receivedData = await this.connectOnce();
        this.o.logger.debug?.("[switchyard] The server closed the stream.");
      } catch (e) {
        if (this.halted) return;
        failed = true;
        if (e instanceof HttpStatusError && (e.status === 401 || e.status === 403)) {
          this.halt(e.status);
          return;
        }
        const err = e instanceof HttpStatusError ? e : new Error(`The stream failed: ${errorMessage(e)}.`);
        if (e instanceof HttpStatusError) retryAfter = Math.min(e.retryAfterMs ?? 0, MAX_RETRY_AFTER_MS);
        // While polling keeps the data current, a stream that cannot connect is not an outage.
        if (this.pollCtrl !== null && this.pollHealthy) this.o.logger.debug?.(`[switchyard] ${err.message} (polling meanwhile)`);
        else this.sink.failed(err);
        receivedData = (e as { receivedData?: boolean }).receivedData === true;
      }
      if (this.halted) return;
      if (receivedData) this.backoff.reset();
      if (failed) this.startPolling(); // serve fresh data through the snapshot endpoint while the stream is down
      const delay = Math.max(this.backoff.next(), retryAfter);
      this.o.logger.debug?.(`[switchyard] Reconnecting the stream in ${delay} ms.`);
      await sleep(delay, this.stopCtrl.signal);
    }
  }

  /**
   * One stream connection. Resolves when the server ends the stream (true if it delivered a put
   * or patch that we applied); throws on HTTP errors, network errors and idle timeouts.
   */
  private async connectOnce(): Promise<boolean> {
    const ctrl = new AbortController();
    this.streamCtrl = ctrl;
    const onStop = () => ctrl.abort();
    this.stopCtrl.signal.addEventListener("abort", onStop, { once: true });
    let idleCancel = () => {};
    let idleFired = false;
    const touch = (ms = this.o.streamIdleTimeoutMs) => {
      idleCancel();
      idleCancel = after(ms, () => {
        idleFired = true;
        ctrl.abort();
      });
    };
    let receivedData = false;
    let connected = false;
    try {
      touch(Math.min(this.o.requestTimeoutMs, this.o.streamIdleTimeoutMs)); // until the response headers arrive
      const headers = this.authHeaders("text/event-stream");
      headers["Cache-Control"] = "no-cache";
      const resume = this.resumeId ?? (this.sink.networkVersion() !== undefined ? String(this.sink.networkVersion()) : undefined);
      if (resume !== undefined) headers["Last-Event-ID"] = resume;
      const res = await this.o.fetch(`${this.base}/api/v1/sdk/stream?format=${SNAPSHOT_FORMAT}`, { headers, signal: ctrl.signal });
      if (!res.ok || !res.body) {
        await res.body?.cancel().catch(() => {});
        throw new HttpStatusError(res.status, "The stream endpoint", res);
      }
      const type = res.headers.get("content-type") ?? "";
      if (!type.toLowerCase().includes("text/event-stream")) {
        await res.body.cancel().catch(() => {});
        throw new Error(`The stream endpoint answered with content type "${type}", not text/event-stream.`);
      }
      touch();
      connected = true;
      this.stopPolling();
      if (this.sink.networkVersion() !== undefined) this.sink.connected();
      this.o.logger.debug?.(`[switchyard] Stream connected${resume !== undefined ? ` (Last-Event-ID ${resume})` : ""}.`);

      const parser = new SseParser({
        onEvent: (ev) => {
          if (this.onStreamEvent(ev)) receivedData = true;
        },
        onRetry: (ms) => this.backoff.setInitial(ms),
      });
      const reader = res.body.getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          touch();
          parser.push(value);
          if (this.halted) break;
        }
      } finally {
        parser.end();
        reader.releaseLock();
      }
      return receivedData;
    } catch (e) {
      if (idleFired && !this.halted) {
        throw Object.assign(new Error(connected ? `it was silent for ${this.o.streamIdleTimeoutMs} ms (no heartbeat)` : "no response in time"), { receivedData });
      }
      if (e instanceof Error) throw Object.assign(e, { receivedData });
      throw e;
    } finally {
      idleCancel();
      this.stopCtrl.signal.removeEventListener("abort", onStop);
      ctrl.abort();
      if (this.streamCtrl === ctrl) this.streamCtrl = null;
    }
  }

  /** Returns true if the event moved the snapshot forward. */
  private onStreamEvent(ev: SseEvent): boolean {
    if (this.halted) return false;
    if (ev.type !== "put" && ev.type !== "patch") {
      this.o.logger.debug?.(`[switchyard] Ignoring stream event "${ev.type}".`);
      return false;
    }
    let json: unknown;
    try {
      json = JSON.parse(ev.data);
    } catch (e) {
      this.o.logger.error?.(`[switchyard] A "${ev.type}" event is not valid JSON (${errorMessage(e)}); fetching the full snapshot.`);
      void this.refetch();
      return false;
    }
    if (ev.type === "put") {
      const version = this.sink.put(json, "stream");
      if (version === undefined) return false;
      this.resumeId = ev.lastEventId !== "" ? ev.lastEventId : String(version);
      this.sink.connected();
      return true;
    }
    const outcome = this.sink.patch(json);
    if (outcome === "applied") {
      const v = this.sink.networkVersion();
      this.resumeId = ev.lastEventId !== "" ? ev.lastEventId : v !== undefined ? String(v) : undefined;
      this.sink.connected();
      return true;
    }
    if (outcome === "gap" || outcome === "invalid") void this.refetch();
    return false;
  }

  /** Fetch the full snapshot after a patch that does not apply (one request at a time). */
  refetch(): Promise<void> {
    if (this.refetching) {
      this.refetchAgain = true;
      return this.refetching;
    }
    this.refetching = (async () => {
      try {
        do {
          this.refetchAgain = false;
          await this.fetchSnapshot("refetch");
        } while (this.refetchAgain && !this.halted);
      } finally {
        this.refetching = null;
      }
    })();
    return this.refetching;
  }

  // -------------------------------------------------------------------------------------------
  // Polling

  private startPolling(): void {
    if (this.pollCtrl || this.halted) return;
    const ctrl = new AbortController();
    this.pollCtrl = ctrl;
    this.pollHealthy = false;
    void this.pollLoop(ctrl);
  }

  private stopPolling(): void {
    this.pollCtrl?.abort();
    this.pollCtrl = null;
  }

  private async pollLoop(ctrl: AbortController): Promise<void> {
    // Faster retries until the first success, then the configured interval.
    const backoff = new Backoff(Math.min(1000, this.o.pollIntervalMs), this.o.pollIntervalMs);
    while (!ctrl.signal.aborted && !this.halted) {
      const ok = await this.fetchSnapshot("poll", ctrl.signal);
      if (ctrl.signal.aborted) return;
      this.pollHealthy = ok;
      if (ok) backoff.reset();
      if (ctrl.signal.aborted || this.halted) return;
      const wait = ok ? this.o.pollIntervalMs : Math.max(backoff.next(), this.pollRetryAfterMs);
      this.pollRetryAfterMs = 0;
      await sleep(wait, ctrl.signal);
    }
  }

  /** GET the snapshot (with `If-None-Match` when we hold the version its ETag names). Returns true if the server answered. */
  private async fetchSnapshot(origin: "poll" | "refetch", cancel?: AbortSignal): Promise<boolean> {
    const parent = cancel ?? this.stopCtrl.signal;
    const { signal, done } = timeoutSignal(this.o.requestTimeoutMs, parent);
    const stopListener = () => done();
    this.stopCtrl.signal.addEventListener("abort", stopListener, { once: true });
    try {
      const headers = this.authHeaders("application/json");
      const current = this.sink.networkVersion();
      if (this.etag && current !== undefined && this.etag.version === current) headers["If-None-Match"] = this.etag.value;
      const res = await this.o.fetch(`${this.base}/api/v1/sdk/snapshot?format=${SNAPSHOT_FORMAT}`, { headers, signal });
      if (res.status === 401 || res.status === 403) {
        await res.body?.cancel().catch(() => {});
        this.halt(res.status);
        return false;
      }
      if (res.status === 304) {
        await res.body?.cancel().catch(() => {});
        this.sink.connected();
        return true;
      }
      if (!res.ok) {
        await res.body?.cancel().catch(() => {});
        throw new HttpStatusError(res.status, "The snapshot endpoint", res);
      }
      const json: unknown = await res.json();
      if (this.halted) return false;
      const version = this.sink.put(json, origin);
      const tag = res.headers.get("etag");
      if (version !== undefined && tag) this.etag = { value: tag, version };
      if (version !== undefined) this.resumeId = String(version);
      this.sink.connected();
      return true;
    } catch (e) {
      if (this.halted || parent.aborted) return false;
      if (e instanceof HttpStatusError) this.pollRetryAfterMs = Math.min(e.retryAfterMs ?? 0, MAX_RETRY_AFTER_MS);
      this.sink.failed(new Error(`Could not fetch the snapshot: ${errorMessage(e)}`));
      return false;
    } finally {
      done();
      this.stopCtrl.signal.removeEventListener("abort", stopListener);
    }
  }
}
