import { describe, expect, test } from "vitest";
import { sampleRatioMismatch } from "./srm";

describe("sample-ratio mismatch", () => {
  test("exposures matching the weights are not a mismatch", () => {
    const result = sampleRatioMismatch({ control: 50_120, treatment: 49_880, treatmentShare: 0.5, alpha: 0.001 });
    expect(result.applicable).toBe(true);
    expect(result.mismatch).toBe(false);
    expect(result.chiSquare).toBeCloseTo(0.576, 3);
  });

  test("a 49/51 split of 100,000 against 50/50 is a mismatch", () => {
    const result = sampleRatioMismatch({ control: 51_000, treatment: 49_000, treatmentShare: 0.5, alpha: 0.001 / 6 });
    expect(result.mismatch).toBe(true);
    expect(result.chiSquare).toBeCloseTo(40, 6);
    expect(result.chiSquarePValue).toBeLessThan(1e-9);
    expect(result.pValue).toBeLessThan(0.001 / 6);
  });

  test("uneven weights: 5 % treatment expected", () => {
    expect(sampleRatioMismatch({ control: 95_000, treatment: 5_000, treatmentShare: 0.05, alpha: 0.001 }).mismatch).toBe(false);
    expect(sampleRatioMismatch({ control: 95_600, treatment: 4_400, treatmentShare: 0.05, alpha: 0.001 }).mismatch).toBe(true);
  });

  test("the always-valid p-value is more cautious than the fixed-sample one", () => {
    const result = sampleRatioMismatch({ control: 5_150, treatment: 4_850, treatmentShare: 0.5, alpha: 0.001 });
    expect(result.chiSquarePValue).toBeLessThan(0.005);
    expect(result.pValue).toBeGreaterThan(result.chiSquarePValue);
  });

  test.each([
    ["no exposures", 0, 0, 0.5],
    ["too few for the approximation", 3, 1, 0.5],
    ["a weight of 0 %", 100, 0, 0],
    ["a weight of 100 %", 0, 100, 1],
  ])("not applicable with %s", (_label, control, treatment, share) => {
    const result = sampleRatioMismatch({ control, treatment, treatmentShare: share, alpha: 0.001 });
    expect(result.applicable).toBe(false);
    expect(result.mismatch).toBe(false);
    expect(Number.isFinite(result.pValue)).toBe(true);
  });
});
