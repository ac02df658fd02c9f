/**
 * Back-pressure for event ingestion. Each batch holds a permit while it is read, validated and
 * written; a few more may wait briefly for one. Beyond that the route answers 503 with
 * Retry-After at once: queueing without bound would only grow memory and latency until requests
 * time out, and a timed-out client cannot tell whether its batch was stored. A refused batch has
 * written nothing, so the SDK's retry is always safe.
 */
export interface IngestGateLimits {
  /** Batches processed at once (most of that time they wait for the group write, event-writer.ts). */
  maxInFlight: number;
  /** Batches allowed to wait for a permit. */
  maxQueued: number;
  /** How long a waiting batch waits before it is refused. */
  maxWaitMs: number;
}

export class IngestGate {
  private inFlight = 0;
  private readonly waiters: (() => void)[] = [];

  constructor(private limits: IngestGateLimits) {}

  configure(limits: Partial<IngestGateLimits>): void {
    this.limits = { ...this.limits, ...limits };
  }

  get state() {
    return { inFlight: this.inFlight, queued: this.waiters.length, ...this.limits };
  }

  /** A release function, or null when overloaded. Call the release exactly once. */
  async acquire(): Promise<(() => void) | null> {
    if (this.inFlight < this.limits.maxInFlight) return this.grant();
    if (this.waiters.length >= this.limits.maxQueued || this.limits.maxWaitMs <= 0) return null;
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        resolve(this.grant());
      };
      const timer = setTimeout(() => {
        const at = this.waiters.indexOf(wake);
        if (at >= 0) this.waiters.splice(at, 1);
        resolve(null);
      }, this.limits.maxWaitMs);
      this.waiters.push(wake);
    });
  }

  private grant(): () => void {
    this.inFlight += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight -= 1;
      // Hand the freed permit to the oldest waiter, if any, and if the limit still allows it.
      if (this.inFlight < this.limits.maxInFlight) this.waiters.shift()?.();
    };
  }
}

const intFromEnv = (name: string, fallback: number) => {
  const value = Number.parseInt(process.env[name] ?? "", 10);
  return Number.isFinite(value) && value >= 0 ? value : fallback;
};

/**
 * The process-wide gate (kept on globalThis so every Next bundle in the process shares it).
 * Defaults: 32 batches in flight (at most 32 MB of bodies in memory; batches mostly wait on the single
 * group writer, not on a database connection of their own), 128 waiting up to 2 s.
 */
const gateKey = Symbol.for("switchyard.eventIngestGate");
const g = globalThis as typeof globalThis & { [gateKey]?: IngestGate };
export const eventIngestGate: IngestGate = (g[gateKey] ??= new IngestGate({
  maxInFlight: Math.max(1, intFromEnv("SWITCHYARD_EVENTS_MAX_IN_FLIGHT", 32)),
  maxQueued: intFromEnv("SWITCHYARD_EVENTS_MAX_QUEUED", 128),
  maxWaitMs: intFromEnv("SWITCHYARD_EVENTS_MAX_WAIT_MS", 2000),
}));
