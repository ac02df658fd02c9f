import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { addWeight, evenWeights, percentageRollout, percentToUnits, removeWeight, setWeight, sumWeights, TOTAL, unitsToPercent } from "./weights";

const w = (...weights: number[]) => weights.map((weight, i) => ({ variation: `v${i}`, weight }));

describe("percent text ↔ units", () => {
  test.each([
    ["10", 10_000],
    ["12.5", 12_500],
    ["33.333", 33_333],
    ["0", 0],
    ["100", 100_000],
    ["0,5", 500],
    [".5", 500],
  ])("%s %% is %d units", (text, units) => expect(percentToUnits(text)).toBe(units));

  test.each(["", "-1", "100.001", "abc", "1.2345", "1e3", "101"])("%s is refused", (text) => expect(percentToUnits(text)).toBeNull());

  test.each([
    [10_000, "10"],
    [33_333, "33.333"],
    [500, "0.5"],
    [100_000, "100"],
  ])("%d units read %s", (units, text) => expect(unitsToPercent(units)).toBe(text));
});

describe("setWeight with balancing", () => {
  test("two variations: the other one takes the rest", () => {
    expect(setWeight(w(50_000, 50_000), 0, 10_000)).toEqual(w(10_000, 90_000));
    expect(setWeight(w(50_000, 50_000), 1, 25_000)).toEqual(w(75_000, 25_000));
  });

  test("three variations: the last absorbs first, then the ones before it", () => {
    expect(setWeight(w(30_000, 30_000, 40_000), 0, 50_000)).toEqual(w(50_000, 30_000, 20_000));
    expect(setWeight(w(30_000, 30_000, 40_000), 0, 90_000)).toEqual(w(90_000, 10_000, 0));
    expect(setWeight(w(30_000, 30_000, 40_000), 2, 100_000)).toEqual(w(0, 0, 100_000));
  });

  test("lowering one weight gives the difference to the last other weight", () => {
    expect(setWeight(w(30_000, 30_000, 40_000), 1, 0)).toEqual(w(30_000, 0, 70_000));
  });

  test("a single variation is always 100 %", () => {
    expect(setWeight(w(100_000), 0, 20_000)).toEqual(w(100_000));
  });

  test("out-of-range input is clamped", () => {
    expect(setWeight(w(50_000, 50_000), 0, 150_000)).toEqual(w(100_000, 0));
    expect(setWeight(w(50_000, 50_000), 0, -5)).toEqual(w(0, 100_000));
  });

  test("property: any edit of a balanced rollout keeps the total at exactly 100 %", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.nat(), fc.integer({ min: -10_000, max: 200_000 }), (n, pick, units) => {
        const start = evenWeights(Array.from({ length: n }, (_, i) => `v${i}`));
        const next = setWeight(start, pick % n, units);
        expect(sumWeights(next)).toBe(TOTAL);
        expect(next.every((x) => x.weight >= 0 && x.weight <= TOTAL)).toBe(true);
      }),
    );
  });

  test("without balancing only the edited weight changes", () => {
    expect(setWeight(w(50_000, 50_000), 0, 60_000, false)).toEqual(w(60_000, 50_000));
  });
});

describe("other weight edits", () => {
  test("even split gives the remainder to the first ones", () => {
    expect(evenWeights(["a", "b", "c"]).map((x) => x.weight)).toEqual([33_334, 33_333, 33_333]);
    expect(sumWeights(evenWeights(["a", "b", "c", "d", "e", "f", "g"]))).toBe(TOTAL);
  });

  test("adding a variation starts it at 0 %, removing one gives its share to the last", () => {
    expect(addWeight(w(60_000, 40_000), "v2")).toEqual(w(60_000, 40_000, 0));
    expect(removeWeight(w(20_000, 30_000, 50_000), 0)).toEqual([
      { variation: "v1", weight: 30_000 },
      { variation: "v2", weight: 70_000 },
    ]);
  });

  test("a 10 % rollout", () => {
    expect(percentageRollout("on", "off", 10_000)).toEqual([
      { variation: "on", weight: 10_000 },
      { variation: "off", weight: 90_000 },
    ]);
  });
});
