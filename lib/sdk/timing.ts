/** Small timing helpers shared by the data source and the event processor. */

/**
 * Exponential backoff with jitter: attempt n waits a random time in [d/2, d] where
 * d = min(max, initial · 2ⁿ), so that many clients reconnecting after an outage spread out.
 */
export class Backoff {
  private attempt = 0;
  constructor(
    private initialMs: number,
    private readonly maxMs: number,
    private readonly random: () => number = Math.random,
  ) {}

  next(): number {
    const d = Math.min(this.maxMs, this.initialMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    return Math.round(d / 2 + (this.random() * d) / 2);
  }

  reset(): void {
    this.attempt = 0;
  }

  /** The server's `retry:` field replaces the initial delay. */
  setInitial(ms: number): void {
    this.initialMs = Math.max(0, Math.min(ms, this.maxMs));
  }

  get attempts(): number {
    return this.attempt;
  }
}

function unref(t: unknown): void {
  (t as { unref?: () => void }).unref?.();
}

/** Resolves after `ms`, or as soon as `signal` aborts (never rejects). The timer does not keep the process alive. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(t);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const t = setTimeout(done, Math.max(0, ms));
    unref(t);
    signal?.addEventListener("abort", done, { once: true });
  });
}

/** A repeating unref'd timer; returns a function that stops it. */
export function every(ms: number, fn: () => void): () => void {
  const t = setInterval(fn, Math.max(1, ms));
  unref(t);
  return () => clearInterval(t);
}

/** A one-shot unref'd timer; returns a function that cancels it. */
export function after(ms: number, fn: () => void): () => void {
  const t = setTimeout(fn, Math.max(0, ms));
  unref(t);
  return () => clearTimeout(t);
}

/**
 * Keeps the process alive while `p` is pending. The SDK's own timers are unref'd so that it never
 * holds an application open, but a caller awaiting initialisation, a flush or close must not see
 * the process exit under it while the SDK waits between retries.
 */
export function keepAlive<T>(p: Promise<T>): Promise<T> {
  const t = setInterval(() => {}, 1 << 30);
  return p.finally(() => clearInterval(t));
}

/** `Retry-After` as milliseconds (delta-seconds or an HTTP date), or undefined. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const t = Date.parse(v);
  if (Number.isNaN(t)) return undefined;
  return Math.max(0, t - now);
}

/** An AbortSignal that fires when `parent` aborts or after `ms`; call `done` to release the timer. */
export function timeoutSignal(ms: number, parent?: AbortSignal): { signal: AbortSignal; done: () => void } {
  const ctrl = new AbortController();
  const onAbort = () => ctrl.abort(parent?.reason);
  if (parent?.aborted) ctrl.abort(parent.reason);
  else parent?.addEventListener("abort", onAbort, { once: true });
  const cancel = after(ms, () => ctrl.abort(new Error(`Timed out after ${ms} ms`)));
  return {
    signal: ctrl.signal,
    done: () => {
      cancel();
      parent?.removeEventListener("abort", onAbort);
    },
  };
}

export function errorMessage(e: unknown): string {
  if (e instanceof Error) {
    const cause = (e as { cause?: unknown }).cause;
    const c = cause instanceof Error ? cause.message : typeof cause === "object" && cause && "code" in cause ? String((cause as { code: unknown }).code) : "";
    return c && !e.message.includes(c) ? `${e.message} (${c})` : e.message;
  }
  return String(e);
}
