/**
 * Issue 7's proof at CI size (the full size is `npm run bench:guardrails`). The runs are seeded,
 * so the figures are fixed; the assertions are on what the issue requires, with the sampling
 * uncertainty of 200 runs accounted for where it matters.
 */
import { describe, expect, test } from "vitest";
import { regionScenario, STAGED } from "./scenarios";
import { simulateRollout } from "./simulate";
import { wilsonInterval } from "./stats";

const RUNS = 200;
const TIMEOUT = 60_000;

function run(count: number, firstSeed: number, options: Omit<Parameters<typeof regionScenario>[0], "seed">) {
  return Array.from({ length: count }, (_, i) => simulateRollout(regionScenario({ seed: firstSeed + i, ...options })));
}

describe("guardrail simulation", () => {
  test("is deterministic for a seed", () => {
    const a = simulateRollout(regionScenario({ seed: 42, effect: 0.02 }));
    const b = simulateRollout(regionScenario({ seed: 42, effect: 0.02 }));
    const c = simulateRollout(regionScenario({ seed: 43, effect: 0.02 }));
    expect(a).toEqual(b);
    expect(a.evaluation).not.toEqual(c.evaluation);
  });

  test(
    "A/A: no effect anywhere → false halts ≤ 5 % (upper bound of the 95 % Wilson interval)",
    () => {
      const results = run(RUNS, 1, {});
      const halted = results.filter((r) => r.stoppedAtMinute !== null).length;
      expect(wilsonInterval(halted, RUNS).high).toBeLessThanOrEqual(0.05);
      // Every run saw the whole day: 96 checks of 6 cohorts.
      expect(results.every((r) => r.checks === 96)).toBe(true);
    },
    TIMEOUT,
  );

  test(
    "A/A with the null at its boundary (limit: no worse than control) → false halts ≤ 5 % (Wilson upper bound)",
    () => {
      // The worst case for false halts: the truth sits exactly on H0's edge. The benchmark measures
      // 0.8 % [0.3 %, 2.0 %] over 500 runs, so at 200 runs the upper bound has room to spare.
      const results = run(RUNS, 500_001, { threshold: 0 });
      const halted = results.filter((r) => r.stoppedAtMinute !== null).length;
      expect(wilsonInterval(halted, RUNS).high).toBeLessThanOrEqual(0.05);
    },
    TIMEOUT,
  );

  test(
    "+2 pp error rate in a cohort of 10 % of traffic (base 1 %, 10,000 exposures/h) → rolled back in ≥ 95 % of runs",
    () => {
      const results = run(RUNS, 100_001, { effect: 0.02, effectCohort: "eu" });
      const detected = results.filter((r) => r.evaluation?.decision.status === "breached");
      expect(detected.length / RUNS).toBeGreaterThanOrEqual(0.95);
      for (const result of detected) {
        expect(result.evaluation!.decision.action).toBe("rollback_to_zero");
        // The breach is found in the cohort that regressed (the overall figure may follow later).
        expect(result.evaluation!.verdicts.some((v) => v.status === "breached" && v.cohort.value === "eu")).toBe(true);
        expect(result.evaluation!.verdicts.some((v) => v.status === "breached" && v.cohort.value !== "eu" && v.cohort.dimension !== "")).toBe(false);
      }
      // Not before each arm of the cohort has its 1,000 exposures (2 h at 500/h per arm).
      expect(Math.min(...detected.map((r) => r.stoppedAtMinute!))).toBeGreaterThanOrEqual(120);
    },
    TIMEOUT,
  );

  test(
    "the same regression during a staged release (5 % → 25 % → 50 %) is still caught in ≥ 95 % of runs",
    () => {
      const results = run(100, 200_001, { effect: 0.02, effectCohort: "eu", stages: STAGED });
      const detected = results.filter((r) => r.evaluation?.decision.status === "breached").length;
      expect(detected / 100).toBeGreaterThanOrEqual(0.95);
    },
    TIMEOUT,
  );

  test(
    "sample-ratio mismatch (5 % of treatment exposures lost) → halted as SRM in every run",
    () => {
      const results = run(50, 300_001, { treatmentExposureLoss: 0.05 });
      for (const result of results) {
        expect(result.evaluation!.decision.status).toBe("srm");
        expect(result.evaluation!.decision.action).toBe("halt");
        expect(result.evaluation!.decision.explanation).toMatch(/^sample-ratio mismatch: /);
      }
    },
    TIMEOUT,
  );
});
