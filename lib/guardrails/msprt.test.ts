import { describe, expect, test } from "vitest";
import { confidenceSequenceRadius, msprt, optimalMixingRatio } from "./msprt";
import { createRandom, sampleNormal } from "./random";

describe("mSPRT", () => {
  test("the likelihood ratio has the normal-mixture closed form", () => {
    const v = 0.5;
    const t2 = 2;
    const d = 3;
    const expected = Math.sqrt(v / (v + t2)) * Math.exp((t2 * d * d) / (2 * v * (v + t2)));
    const result = msprt({ estimate: 4, variance: v, nullValue: 1, mixingVariance: t2 });
    expect(Math.exp(result.logLikelihoodRatio)).toBeCloseTo(expected, 6);
    expect(result.pValue).toBeCloseTo(1 / expected, 10);
  });

  test("one-sided: an estimate on the safe side never rejects", () => {
    expect(msprt({ estimate: -10, variance: 0.01, nullValue: 0, mixingVariance: 1 }).pValue).toBe(1);
    expect(msprt({ estimate: 0, variance: 0.01, nullValue: 0, mixingVariance: 1 }).pValue).toBe(1);
  });

  test("the confidence sequence's edge is exactly where the test starts to reject", () => {
    const v = 0.02;
    const t2 = 0.3;
    const alpha = 0.01;
    const r = confidenceSequenceRadius(v, t2, alpha);
    expect(msprt({ estimate: r, variance: v, nullValue: 0, mixingVariance: t2 }).pValue).toBeCloseTo(alpha, 10);
  });

  test("the mixing ratio minimises the detectable effect at the reference sample", () => {
    for (const alpha of [0.05, 0.05 / 6, 0.001]) {
      const c = 2 * Math.log(1 / alpha);
      const cost = (r: number) => (1 + 1 / r) * (c + Math.log1p(r));
      const best = optimalMixingRatio(alpha);
      expect(best).toBeGreaterThan(3);
      expect(best).toBeLessThan(50);
      expect(cost(best)).toBeLessThanOrEqual(cost(best * 1.2));
      expect(cost(best)).toBeLessThanOrEqual(cost(best / 1.2));
    }
  });

  test("continuous monitoring keeps the error rate below alpha (normal data, 400 looks)", () => {
    // Under H0 the running sum of N(0, 1) increments; the test looks after every observation.
    const random = createRandom(7);
    const alpha = 0.05;
    const paths = 2000;
    let rejected = 0;
    let naiveRejected = 0;
    for (let path = 0; path < paths; path++) {
      let sum = 0;
      let msprtDone = false;
      let naiveDone = false;
      for (let n = 1; n <= 400; n++) {
        sum += sampleNormal(random);
        if (!msprtDone && msprt({ estimate: sum / n, variance: 1 / n, nullValue: 0, mixingVariance: optimalMixingRatio(alpha) / 100 }).pValue < alpha) {
          rejected++;
          msprtDone = true;
        }
        // The fixed-sample one-sided z-test at the same alpha, peeked at after every observation.
        if (!naiveDone && sum / Math.sqrt(n) > 1.6448536269514722) {
          naiveRejected++;
          naiveDone = true;
        }
      }
    }
    expect(rejected / paths).toBeLessThan(alpha);
    // The set-up is sensitive: peeking inflates the naive test's error several times over.
    expect(naiveRejected / paths).toBeGreaterThan(3 * alpha);
  });
});
