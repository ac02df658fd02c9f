/**
 * A token bucket per SDK key: `ratePerSecond` sustained, bursts up to one second's worth.
 * In memory per instance, which is what protects each instance's CPU.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly ratePerSecond: number) {}

  /** Seconds to wait before retrying, or 0 when the request may proceed. */
  take(key: string, now = Date.now()): number {
    const rate = this.ratePerSecond;
    const bucket = this.buckets.get(key) ?? { tokens: rate, at: now };
    bucket.tokens = Math.min(rate, bucket.tokens + ((now - bucket.at) / 1000) * rate);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / rate));
  }
}
