import { describe, expect, test } from "vitest";
import { RETRY_BASE_MS, RETRY_CAP_MS, retryDelayMs } from "./retry-policy";

describe("retryDelayMs", () => {
  test.each([
    [1, RETRY_BASE_MS],
    [2, RETRY_BASE_MS * 2],
    [5, RETRY_BASE_MS * 16],
    [8, RETRY_CAP_MS],
    [30, RETRY_CAP_MS],
  ])("attempt %i waits at most %i ms", (attempt, ceiling) => {
    expect(retryDelayMs(attempt, () => 0.999999)).toBe(Math.floor(0.999999 * ceiling));
    expect(retryDelayMs(attempt, () => 0)).toBe(0);
  });

  test("full jitter spreads delays over the whole window", () => {
    const delays = Array.from({ length: 200 }, () => retryDelayMs(4));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...delays)).toBeLessThan(RETRY_BASE_MS * 8);
    expect(new Set(delays).size).toBeGreaterThan(150);
  });
});
