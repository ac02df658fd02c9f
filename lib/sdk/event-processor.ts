import type { EvaluationContext } from "../evaluation/types";
import type { EventBatch, ExposureEvent, MetricEvent } from "../snapshots/wire-format";
import { Backoff, every, errorMessage, parseRetryAfter, sleep, timeoutSignal } from "./timing";
import type { EventStats, SdkLogger } from "./types";

export type SdkEvent = ExposureEvent | MetricEvent;

export interface EventProcessorOptions {
  url: string;
  sdkKey: string;
  fetch: typeof fetch;
  logger: SdkLogger;
  now: () => number;
  flushIntervalMs: number;
  maxQueue: number;
  batchSize: number;
  maxAttempts: number;
  requestTimeoutMs: number;
  dedupWindowMs: number;
  dedupMaxKeys: number;
  privateAttributes: readonly string[];
  /** First retry delay when the server gives no Retry-After. */
  retryDelayMs?: number;
}

/**
 * The events endpoint refuses a whole batch (400) when one event breaks its schema, so events that
 * would are dropped here, one by one: keys of 1–256 characters (context keys up to 1024) without
 * NUL or unpaired surrogates, attribute names up to 256 characters.
 */
const KEY_MAX = 256;
const CONTEXT_KEY_MAX = 1024;
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function validKey(s: string, max: number): boolean {
  return s.length >= 1 && s.length <= max && !UNSTORABLE.test(s);
}

/** Longest Retry-After we wait for within one flush; beyond it the batch waits for the next flush. */
const MAX_RETRY_AFTER_MS = 5 * 60_000;

/**
 * A FIFO bounded at `capacity`: pushing onto a full queue drops the oldest entry. Amortised O(1)
 * (an array plus a head index, compacted now and then).
 */
export class BoundedQueue<T> {
  private items: T[] = [];
  private head = 0;
  dropped = 0;
  constructor(private readonly capacity: number) {}

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
    if (this.length > this.capacity) {
      this.head++;
      this.dropped++;
    }
    this.compact();
  }

  /** Removes and returns up to `n` of the oldest entries. */
  take(n: number): T[] {
    const out = this.items.slice(this.head, this.head + n);
    this.head += out.length;
    this.compact();
    return out;
  }

  /** Puts `batch` back in front (it is older than anything queued since); overflow drops the oldest. */
  unshift(batch: T[]): void {
    this.items = batch.concat(this.items.slice(this.head));
    this.head = 0;
    const over = this.items.length - this.capacity;
    if (over > 0) {
      this.items = this.items.slice(over);
      this.dropped += over;
    }
  }

  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}

/**
 * Remembers which exposures were sent recently: one per context × flag × variation per window.
 * A Map in least-recently-used order, bounded; forgetting a key only means one extra exposure.
 */
export class ExposureDedup {
  private readonly seen = new Map<string, number>();
  constructor(
    private readonly windowMs: number,
    private readonly maxKeys: number,
  ) {}

  /** True if the exposure should be sent now (and remembers it). */
  admit(key: string, now: number): boolean {
    const at = this.seen.get(key);
    if (at !== undefined) {
      this.seen.delete(key);
      if (now - at < this.windowMs && now >= at) {
        this.seen.set(key, at); // most recently used, window unchanged
        return false;
      }
    }
    this.seen.set(key, now);
    if (this.seen.size > this.maxKeys) {
      const oldest = this.seen.keys().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
    return true;
  }

  get size(): number {
    return this.seen.size;
  }
}

/** Queues exposure and metric events and POSTs them in batches to `/api/v1/events`. */
export class EventProcessor {
  private readonly queue: BoundedQueue<SdkEvent>;
  private readonly dedup: ExposureDedup;
  private readonly stopTimer: () => void;
  private readonly closing = new AbortController();
  private flushing: Promise<void> | null = null;
  /** After a failed flush, timer- and size-triggered flushes wait until then. */
  private pausedUntil = 0;
  private readonly failureBackoff: Backoff;
  private again = false;
  private closed = false;
  private warnedNoKey = false;
  private readonly s = {
    sent: 0,
    droppedRejected: 0,
    deduplicated: 0,
    droppedInvalid: 0,
    retries: 0,
    failedFlushes: 0,
    unknownFlags: new Set<string>(),
    unknownMetrics: new Set<string>(),
    lastError: undefined as string | undefined,
  };

  constructor(private readonly o: EventProcessorOptions) {
    this.queue = new BoundedQueue(Math.max(1, o.maxQueue));
    this.failureBackoff = new Backoff(o.flushIntervalMs, Math.max(o.flushIntervalMs, 60_000));
    this.dedup = new ExposureDedup(o.dedupWindowMs, Math.max(1, o.dedupMaxKeys));
    this.stopTimer = every(o.flushIntervalMs, () => {
      if (!this.flushing && Date.now() >= this.pausedUntil) void this.flush();
    });
  }

  exposure(flagKey: string, variationKey: string, context: EvaluationContext, configVersion: number | undefined): void {
    if (this.closed) return;
    const contextKey = contextKeyOf(context);
    if (contextKey === undefined) return; // anonymous contexts cannot be counted per context
    const now = Math.round(this.o.now());
    if (!this.dedup.admit(`${contextKey}\u0000${flagKey}\u0000${variationKey}`, now)) {
      this.s.deduplicated++;
      return;
    }
    const ev: ExposureEvent = { kind: "exposure", flagKey, variationKey, contextKey, attributes: this.attributes(context), timestamp: now };
    if (configVersion !== undefined) ev.configVersion = configVersion;
    this.enqueue(ev);
  }

  metric(metricKey: string, context: EvaluationContext, value?: number): void {
    if (this.closed) return;
    const contextKey = contextKeyOf(context);
    if (contextKey === undefined) {
      if (!this.warnedNoKey) {
        this.warnedNoKey = true;
        this.o.logger.warn?.(`[switchyard] track("${metricKey}") needs a context with a targetingKey; such events are not sent.`);
      }
      return;
    }
    const ev: MetricEvent = { kind: "metric", metricKey, contextKey, attributes: this.attributes(context), timestamp: Math.round(this.o.now()) };
    if (typeof value === "number" && Number.isFinite(value)) ev.value = value;
    this.enqueue(ev);
  }

  stats(): EventStats {
    return {
      queued: this.queue.length,
      sent: this.s.sent,
      droppedQueueFull: this.queue.dropped,
      droppedRejected: this.s.droppedRejected,
      droppedInvalid: this.s.droppedInvalid,
      deduplicated: this.s.deduplicated,
      retries: this.s.retries,
      failedFlushes: this.s.failedFlushes,
      unknownFlags: [...this.s.unknownFlags],
      unknownMetrics: [...this.s.unknownMetrics],
      lastError: this.s.lastError,
    };
  }

  /**
   * Sends everything queued. One flush runs at a time; a call during a flush is served by
   * another pass right after it, so events queued before the call are included.
   */
  flush(deadline?: number): Promise<void> {
    if (this.flushing) {
      this.again = true;
      return this.flushing;
    }
    this.flushing = (async () => {
      try {
        let ok: boolean;
        do {
          this.again = false;
          ok = await this.drain(deadline);
          // Another pass only for callers that asked during this one, and only if the endpoint works.
        } while (ok && this.again && this.queue.length > 0 && !this.closing.signal.aborted);
      } catch (e) {
        this.o.logger.error?.(`[switchyard] Event flush failed: ${errorMessage(e)}`);
      } finally {
        this.flushing = null;
      }
    })();
    return this.flushing;
  }

  /** Stops the timer and sends what is queued, giving up at `deadline` (epoch ms). */
  async close(deadline: number): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopTimer();
    const giveUp = sleep(Math.max(0, deadline - Date.now())).then(() => this.closing.abort());
    await Promise.race([
      (async () => {
        if (this.flushing) await this.flushing;
        await this.flush(deadline);
      })(),
      giveUp,
    ]);
    this.closing.abort();
    if (this.queue.length > 0) {
      this.o.logger.warn?.(`[switchyard] ${this.queue.length} event(s) were not sent before close.`);
    }
  }

  private enqueue(ev: SdkEvent): void {
    const key = ev.kind === "exposure" ? ev.flagKey : ev.metricKey;
    if (!validKey(key, KEY_MAX) || !validKey(ev.contextKey, CONTEXT_KEY_MAX) || (ev.kind === "exposure" && !validKey(ev.variationKey, KEY_MAX))) {
      this.s.droppedInvalid++;
      if (this.s.droppedInvalid === 1) {
        this.o.logger.warn?.(`[switchyard] Not sending a ${ev.kind} event for "${key.slice(0, 80)}": a key is empty, too long or not storable text.`);
      }
      return;
    }
    const before = this.queue.dropped;
    this.queue.push(ev);
    if (this.queue.dropped !== before && (this.queue.dropped === 1 || this.queue.dropped % 1000 === 0)) {
      this.o.logger.warn?.(`[switchyard] Event queue full (${this.o.maxQueue}); dropped ${this.queue.dropped} oldest event(s) so far.`);
    }
    if (this.queue.length >= this.o.batchSize && !this.flushing && Date.now() >= this.pausedUntil) void this.flush();
  }

  private attributes(context: EvaluationContext): Record<string, unknown> | undefined {
    const out: Record<string, unknown> = {};
    let any = false;
    const priv = this.o.privateAttributes;
    for (const k of Object.keys(context)) {
      if (k === "targetingKey" || k.length > KEY_MAX || priv.includes(k)) continue;
      const v = context[k];
      if (v === undefined || typeof v === "function" || typeof v === "symbol" || typeof v === "bigint") continue;
      out[k] = v;
      any = true;
    }
    return any ? out : undefined;
  }

  /** Sends batches until the queue is empty (true) or one fails and goes back to the queue (false). */
  private async drain(deadline: number | undefined): Promise<boolean> {
    while (this.queue.length > 0 && !this.closing.signal.aborted) {
      const batch = this.queue.take(this.o.batchSize);
      const unsent = await this.send(batch, deadline);
      if (unsent.length > 0) {
        this.s.failedFlushes++;
        // Automatic flushes back off while the endpoint fails (an explicit flush() still tries).
        this.pausedUntil = Date.now() + this.failureBackoff.next();
        this.queue.unshift(unsent);
        return false;
      }
    }
    return true;
  }

  /** POSTs `batch` with retries; returns the events that should go back to the queue. */
  private async send(batch: SdkEvent[], deadline: number | undefined): Promise<SdkEvent[]> {
    const backoff = new Backoff(this.o.retryDelayMs ?? 500, 30_000);
    for (let attempt = 1; ; attempt++) {
      let retryAfter: number | undefined;
      const { signal, done } = timeoutSignal(this.o.requestTimeoutMs, this.closing.signal);
      try {
        const body: EventBatch = { events: batch };
        const res = await this.o.fetch(this.o.url, {
          method: "POST",
          headers: { Authorization: `Bearer ${this.o.sdkKey}`, "Content-Type": "application/json" },
          body: JSON.stringify(body),
          signal,
        });
        if (res.ok) {
          this.s.sent += batch.length;
          this.failureBackoff.reset();
          this.pausedUntil = 0;
          await this.readAcceptance(res);
          return [];
        }
        if (res.status !== 400) await res.body?.cancel().catch(() => {});
        this.s.lastError = `HTTP ${res.status} from the events endpoint`;
        if (res.status === 413 && batch.length > 1) {
          // Too large for the server: send it in halves.
          const half = Math.ceil(batch.length / 2);
          const first = await this.send(batch.slice(0, half), deadline);
          if (first.length > 0) return first.concat(batch.slice(half));
          return this.send(batch.slice(half), deadline);
        }
        if (res.status === 400) {
          // The server names the events it refuses (details.issues[].index): drop those, resend the rest.
          const bad = await badIndices(res, batch.length);
          if (bad.size > 0 && bad.size < batch.length) {
            this.s.droppedRejected += bad.size;
            this.o.logger.error?.(`[switchyard] The events endpoint refused ${bad.size} event(s) (${this.s.lastError}); resending the other ${batch.length - bad.size}.`);
            return this.send(batch.filter((_, i) => !bad.has(i)), deadline);
          }
        }
        if (res.status !== 429 && res.status !== 408 && res.status < 500) {
          this.s.droppedRejected += batch.length;
          this.o.logger.error?.(`[switchyard] The events endpoint refused a batch of ${batch.length} event(s) with HTTP ${res.status}; dropped.`);
          return [];
        }
        retryAfter = parseRetryAfter(res.headers.get("retry-after"));
      } catch (e) {
        if (this.closing.signal.aborted) return batch;
        this.s.lastError = `Events endpoint unreachable: ${errorMessage(e)}`;
      } finally {
        done();
      }
      if (attempt >= this.o.maxAttempts) {
        this.o.logger.warn?.(`[switchyard] Could not send ${batch.length} event(s) (${this.s.lastError}); will retry on the next flush.`);
        return batch;
      }
      const delay = Math.min(retryAfter ?? backoff.next(), MAX_RETRY_AFTER_MS);
      if (deadline !== undefined && Date.now() + delay > deadline) return batch;
      this.s.retries++;
      this.o.logger.debug?.(`[switchyard] Retrying ${batch.length} event(s) in ${delay} ms (${this.s.lastError}).`);
      await sleep(delay, this.closing.signal);
      if (this.closing.signal.aborted) return batch;
    }
  }

  private async readAcceptance(res: Response): Promise<void> {
    try {
      const body = (await res.json()) as { unknownFlags?: unknown; unknownMetrics?: unknown };
      remember(this.s.unknownFlags, body?.unknownFlags);
      remember(this.s.unknownMetrics, body?.unknownMetrics);
    } catch {
      // A 2xx without a JSON body is fine.
    }
  }
}

function contextKeyOf(context: EvaluationContext | undefined): string | undefined {
  const k = context?.targetingKey;
  if (typeof k === "string" && k !== "") return k;
  if (typeof k === "number" && Number.isFinite(k)) return String(k);
  return undefined;
}

function remember(set: Set<string>, list: unknown): void {
  if (!Array.isArray(list)) return;
  for (const k of list) if (typeof k === "string" && set.size < 1000) set.add(k);
}

/** Indices of refused events from a 400 `{error: {details: {index, issues: [{index}]}}}`, if any. */
async function badIndices(res: Response, n: number): Promise<Set<number>> {
  const out = new Set<number>();
  try {
    const body = (await res.json()) as { error?: { details?: { index?: unknown; issues?: { index?: unknown }[] } } };
    const d = body?.error?.details;
    const add = (i: unknown) => {
      if (typeof i === "number" && Number.isInteger(i) && i >= 0 && i < n) out.add(i);
    };
    add(d?.index);
    if (Array.isArray(d?.issues)) for (const x of d.issues) add(x?.index);
  } catch {
    // Not the documented body: the batch is dropped as a whole.
  }
  return out;
}
