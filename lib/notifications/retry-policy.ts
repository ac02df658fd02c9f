/**
 * When to try a failed delivery again: exponential backoff with full jitter (a random delay
 * between 0 and min(cap, base·2^(n-1))), so receivers that failed together do not get retried
 * together. After `maxAttempts` attempts the delivery is marked failed.
 */
export const RETRY_BASE_MS = 30_000;
export const RETRY_CAP_MS = 60 * 60_000;
export const DEFAULT_MAX_ATTEMPTS = 8;

export function retryDelayMs(attempt: number, random: () => number = Math.random, base = RETRY_BASE_MS, cap = RETRY_CAP_MS): number {
  const ceiling = Math.min(cap, base * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}
