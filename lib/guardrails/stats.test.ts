import { describe, expect, test } from "vitest";
import { chiSquare1UpperTail, erfc, meanAndVariance, normalQuantileUpper, normalUpperTail, wilsonInterval } from "./stats";

describe("statistics primitives", () => {
  test.each([
    [0, 1],
    [0.5, 0.4795001221869535],
    [1, 0.15729920705028513],
    [2, 0.004677734981047266],
    [-1, 1.8427007929497148],
  ])("erfc(%s) ≈ %s", (x, expected) => {
    expect(erfc(x)).toBeCloseTo(expected, 6);
  });

  test("normal tail and quantile are inverses", () => {
    expect(normalUpperTail(1.959963984540054)).toBeCloseTo(0.025, 7);
    for (const p of [0.4, 0.05, 0.025, 0.001, 1e-6]) {
      expect(normalUpperTail(normalQuantileUpper(p)) / p).toBeCloseTo(1, 4);
    }
  });

  test("chi-square (1 df) tail matches the table", () => {
    expect(chiSquare1UpperTail(3.841458820694124)).toBeCloseTo(0.05, 6);
    expect(chiSquare1UpperTail(10.827566170662733)).toBeCloseTo(0.001, 6);
    expect(chiSquare1UpperTail(0)).toBe(1);
    expect(chiSquare1UpperTail(Number.NaN)).toBe(1);
  });

  test("Wilson interval matches a worked example and stays in [0, 1]", () => {
    // 10 of 100 at 95 %: [0.0552, 0.1744] (Newcombe 1998, method 3).
    const { low, high } = wilsonInterval(10, 100);
    expect(low).toBeCloseTo(0.0552, 4);
    expect(high).toBeCloseTo(0.1744, 4);
    expect(wilsonInterval(0, 500).low).toBe(0);
    expect(wilsonInterval(0, 500).high).toBeCloseTo(0.00762, 4);
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 });
  });

  test("mean and variance from sufficient statistics", () => {
    const values = [120, 80, 100, 140, 60];
    const sum = values.reduce((a, b) => a + b, 0);
    const sumSquares = values.reduce((a, b) => a + b * b, 0);
    expect(meanAndVariance(values.length, sum, sumSquares)).toEqual({ mean: 100, variance: 1000 });
    expect(meanAndVariance(0, 0, 0)).toEqual({ mean: 0, variance: 0 });
    expect(meanAndVariance(1, 5, 25)).toEqual({ mean: 5, variance: 0 });
    // Cancellation for constant values never yields a negative variance.
    expect(meanAndVariance(3, 0.3, 0.03 - 1e-18).variance).toBeGreaterThanOrEqual(0);
  });
});
