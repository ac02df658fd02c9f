import { describe, expect, test } from "vitest";
import { evaluateGuardrails } from "./evaluate";
import type { ArmStats, CohortStats, EvaluateGuardrailsInput, GuardrailDefinition } from "./types";

const errorRate: GuardrailDefinition = {
  id: "g-errors",
  metricKey: "errors",
  metricName: "error rate",
  metricKind: "rate",
  goodDirection: "decrease",
  kind: "relative_to_control",
  threshold: 0,
  confidence: 0.95,
  minSamplePerArm: 1000,
  perCohort: true,
};

const rateArm = (exposures: number, conversions: number): ArmStats => ({ exposures, metrics: { errors: { kind: "rate", conversions } } });
const cohort = (dimension: string, value: string, control: ArmStats, treatment: ArmStats): CohortStats => ({ dimension, value, control, treatment });

function input(cohorts: CohortStats[], overrides: Partial<EvaluateGuardrailsInput> = {}): EvaluateGuardrailsInput {
  return { cohorts, guardrails: [errorRate], weights: { control: 50, treatment: 50 }, breachAction: "rollback_to_zero", ...overrides };
}

/** Every number anywhere in the result is finite: no NaN or Infinity reaches the console or the audit log. */
function expectFinite(value: unknown, path = "result"): void {
  if (typeof value === "number") expect(Number.isFinite(value), path).toBe(true);
  else if (Array.isArray(value)) value.forEach((item, i) => expectFinite(item, `${path}[${i}]`));
  else if (value && typeof value === "object") for (const [key, item] of Object.entries(value)) expectFinite(item, `${path}.${key}`);
}

/** Eleven regions at 1 % errors, one (eu) at 3.1 % for treatment. */
function regionalRegression(): CohortStats[] {
  const regions = ["eu", "us", "apac", "latam", "africa", "me", "ca", "uk", "in", "jp", "br"];
  const cells = regions.map((region) =>
    cohort("region", region, rateArm(10_000, 100), region === "eu" ? rateArm(10_000, 310) : rateArm(10_000, 100)),
  );
  return [cohort("", "", rateArm(110_000, 1_100), rateArm(110_000, 1_310)), ...cells];
}

describe("evaluateGuardrails", () => {
  test("a regression confined to one cohort breaches there, explained with the numbers", () => {
    const result = evaluateGuardrails(input(regionalRegression()));
    const eu = result.verdicts.find((v) => v.cohort.value === "eu")!;
    expect(eu.status).toBe("breached");
    expect(eu.statistics!.checks).toBe(12);
    expect(eu.statistics!.correctedAlpha).toBeCloseTo(0.05 / 12, 12);
    expect(eu.statistics!.pValue).toBeLessThan(0.05 / 12);
    expect(eu.statistics!.harmInterval.low).toBeGreaterThan(0);
    expect(eu.explanation).toMatch(
      /^error rate in region=eu is 3\.1 % for treatment vs 1\.0 % for control \(limit: no worse than control\); the always-valid p-value .+ is below 0\.05\/12 \(12 cohort × metric checks\)$/,
    );
    expect(result.verdicts.filter((v) => v.status === "breached").map((v) => v.cohort.value)).toContain("eu");
    expect(result.verdicts.find((v) => v.cohort.value === "us")!.status).toBe("healthy");
    expect(result.decision).toMatchObject({ status: "breached", action: "rollback_to_zero", scope: { kind: "plan" } });
    expectFinite(result);
  });

  test("a cohort-scoped plan acts on the cohort only when the overall figure is fine", () => {
    const cohorts = regionalRegression();
    // Make the overall figure look fine: control's overall errors match treatment's.
    cohorts[0] = cohort("", "", rateArm(110_000, 1_310), rateArm(110_000, 1_310));
    const result = evaluateGuardrails(input(cohorts, { cohortScopedAction: true }));
    expect(result.verdicts.find((v) => v.cohort.dimension === "")!.status).toBe("healthy");
    expect(result.decision.scope).toEqual({ kind: "cohorts", cohorts: [{ dimension: "region", value: "eu" }] });
  });

  test("no data: every check inconclusive, nothing acts, nothing is NaN", () => {
    const result = evaluateGuardrails(input([]));
    expect(result.verdicts).toHaveLength(1);
    expect(result.verdicts[0]).toMatchObject({ status: "inconclusive", reason: "no_data", explanation: "error rate overall: no data yet" });
    expect(result.srm[0].status).toBe("not_applicable");
    expect(result.decision).toMatchObject({ status: "inconclusive", action: "none" });
    expectFinite(result);
  });

  test("one arm empty is no data, not a breach", () => {
    const result = evaluateGuardrails(input([cohort("", "", rateArm(0, 0), rateArm(5_000, 400))], { weights: { control: 0, treatment: 1 } }));
    expect(result.verdicts[0]).toMatchObject({ status: "inconclusive", reason: "no_data" });
    expect(result.decision.action).toBe("none");
    expectFinite(result);
  });

  test("below the minimum sample: inconclusive even with an alarming rate", () => {
    const result = evaluateGuardrails(input([cohort("", "", rateArm(999, 0), rateArm(999, 200))]));
    expect(result.verdicts[0]).toMatchObject({ status: "inconclusive", reason: "below_min_sample" });
    expect(result.verdicts[0].explanation).toBe(
      "error rate overall: not judged until each arm has 1,000 exposures (treatment 999, control 999 so far)",
    );
    expect(result.decision.action).toBe("none");
  });

  test("zero conversions in both arms is healthy with p = 1", () => {
    const result = evaluateGuardrails(input([cohort("", "", rateArm(5_000, 0), rateArm(5_000, 0))]));
    expect(result.verdicts[0].status).toBe("healthy");
    expect(result.verdicts[0].statistics!.pValue).toBe(1);
    expect(result.decision.status).toBe("healthy");
    expectFinite(result);
  });

  test("zero conversions in control and a few in treatment is judged without dividing by zero", () => {
    const result = evaluateGuardrails(input([cohort("", "", rateArm(5_000, 0), rateArm(5_000, 40))]));
    expect(result.verdicts[0].status).toBe("breached");
    expectFinite(result);
  });

  test("more conversions than exposures (late exposures) is capped, not NaN", () => {
    const result = evaluateGuardrails(input([cohort("", "", rateArm(2_000, 20), rateArm(2_000, 2_500))]));
    expect(result.verdicts[0].statistics!.treatment.estimate).toBe(1);
    expectFinite(result);
  });

  test("garbage in (NaN, Infinity, negative counts, a NaN threshold) never yields NaN out", () => {
    const garbage: CohortStats[] = [
      cohort("", "", rateArm(Number.NaN, 5), rateArm(Number.POSITIVE_INFINITY, -3)),
      cohort("region", "eu", rateArm(-10, Number.NaN), rateArm(2_000, 30)),
      cohort("region", "us", { exposures: 3_000, metrics: { errors: { kind: "value", count: 3_000, sum: Number.NaN, sumSquares: 1 } } }, rateArm(3_000, 0)),
    ];
    const result = evaluateGuardrails(
      input(garbage, { guardrails: [errorRate, { ...errorRate, id: "broken", threshold: Number.NaN }], weights: { control: Number.NaN, treatment: 1 } }),
    );
    expectFinite(result);
    expect(result.verdicts.find((v) => v.guardrailId === "broken")!.reason).toBe("invalid_definition");
    expect(result.verdicts.find((v) => v.guardrailId === "g-errors" && v.cohort.value === "eu")!.reason).toBe("no_data");
    expect(result.decision.action).toBe("none");
  });

  test("absolute threshold: treatment against the limit, control not needed", () => {
    const absolute: GuardrailDefinition = { ...errorRate, id: "abs", kind: "absolute", threshold: 0.02 };
    const breach = evaluateGuardrails(input([cohort("", "", rateArm(0, 0), rateArm(20_000, 600))], { guardrails: [absolute], weights: { control: 0, treatment: 1 } }));
    expect(breach.verdicts[0].status).toBe("breached");
    expect(breach.verdicts[0].statistics!.control).toBeUndefined();
    expect(breach.verdicts[0].explanation).toMatch(/^error rate overall is 3\.0 % for treatment \(limit ≤ 2\.0 %\); the always-valid p-value/);
    const fine = evaluateGuardrails(input([cohort("", "", rateArm(0, 0), rateArm(20_000, 410))], { guardrails: [absolute], weights: { control: 0, treatment: 1 } }));
    expect(fine.verdicts[0].status).toBe("healthy");
  });

  test("relative threshold with a tolerance: 5 % worse passes a 10 % limit, 30 % worse does not", () => {
    const tolerant = { ...errorRate, threshold: 0.1 };
    const ok = evaluateGuardrails(input([cohort("", "", rateArm(200_000, 2_000), rateArm(200_000, 2_100))], { guardrails: [tolerant] }));
    expect(ok.verdicts[0].status).toBe("healthy");
    const bad = evaluateGuardrails(input([cohort("", "", rateArm(200_000, 2_000), rateArm(200_000, 2_600))], { guardrails: [tolerant] }));
    expect(bad.verdicts[0].status).toBe("breached");
    expect(bad.verdicts[0].statistics!.harm).toBeCloseTo(0.013 - 1.1 * 0.01, 10);
  });

  test("higher-is-better metric: a conversion drop breaches, a rise never does", () => {
    const conversion: GuardrailDefinition = { ...errorRate, id: "conv", metricKey: "errors", metricName: "checkout conversion", goodDirection: "increase" };
    const drop = evaluateGuardrails(input([cohort("", "", rateArm(50_000, 5_000), rateArm(50_000, 4_400))], { guardrails: [conversion] }));
    expect(drop.verdicts[0].status).toBe("breached");
    const rise = evaluateGuardrails(input([cohort("", "", rateArm(50_000, 5_000), rateArm(50_000, 6_000))], { guardrails: [conversion] }));
    expect(rise.verdicts[0].status).toBe("healthy");
    expect(rise.verdicts[0].statistics!.pValue).toBe(1);
  });

  test("value metric (latency, lower is better) from count, sum and sum of squares", () => {
    const latency: GuardrailDefinition = {
      ...errorRate,
      id: "lat",
      metricKey: "latency",
      metricName: "p50 latency",
      unit: "ms",
      metricKind: "value",
      threshold: 0.05,
      minSamplePerArm: 500,
    };
    // Means 100 ms and 120 ms, standard deviation 30 ms, 2,000 events each.
    const arm = (mean: number): ArmStats => {
      const n = 2_000;
      const variance = 900;
      return { exposures: n, metrics: { latency: { kind: "value", count: n, sum: mean * n, sumSquares: (n - 1) * variance + n * mean * mean } } };
    };
    const result = evaluateGuardrails(input([cohort("", "", arm(100), arm(120))], { guardrails: [latency] }));
    expect(result.verdicts[0].status).toBe("breached");
    expect(result.verdicts[0].statistics!.variance).toBeCloseTo(900 / 2000 + 1.05 ** 2 * (900 / 2000), 6);
    expect(result.verdicts[0].explanation).toContain("is 120 ms for treatment vs 100 ms for control (limit: no more than 5 % worse than control)");
    const same = evaluateGuardrails(input([cohort("", "", arm(100), arm(101))], { guardrails: [latency] }));
    expect(same.verdicts[0].status).toBe("healthy");
    const constant = evaluateGuardrails(input([cohort("", "", arm(100), { exposures: 0, metrics: { latency: { kind: "value", count: 600, sum: 60_000, sumSquares: 6_000_000 } } })], { guardrails: [latency] }));
    expectFinite(constant);
  });

  test("perCohort false checks the overall population only, and the correction counts only what is checked", () => {
    const result = evaluateGuardrails(input(regionalRegression(), { guardrails: [{ ...errorRate, perCohort: false }, { ...errorRate, id: "second" }] }));
    expect(result.verdicts.filter((v) => v.guardrailId === "g-errors")).toHaveLength(1);
    expect(result.verdicts.filter((v) => v.guardrailId === "second")).toHaveLength(12);
    expect(result.verdicts.find((v) => v.statistics)!.statistics!.checks).toBe(13);
  });

  test("the reported p-value is the running minimum over earlier checks", () => {
    const cohorts = [cohort("", "", rateArm(5_000, 50), rateArm(5_000, 60))];
    const fresh = evaluateGuardrails(input(cohorts));
    const remembered = evaluateGuardrails(input(cohorts, { priorPValues: { "g-errors|overall": 0.2 } }));
    expect(fresh.verdicts[0].statistics!.pValue).toBeGreaterThan(0.2);
    expect(remembered.verdicts[0].statistics!.pValue).toBe(0.2);
  });

  test("a sample-ratio mismatch halts and says so, whatever the guardrails say", () => {
    const cohorts = [cohort("", "", rateArm(60_000, 600), rateArm(40_000, 400))];
    const result = evaluateGuardrails(input(cohorts));
    expect(result.srm[0].status).toBe("srm");
    expect(result.decision).toMatchObject({ status: "srm", action: "halt" });
    expect(result.decision.explanation).toMatch(/^sample-ratio mismatch: exposures overall: treatment 40,000, control 60,000 \(40\.00 % treatment, 50\.00 % expected\)/);
    // The same counts against 40/60 weights are consistent.
    expect(evaluateGuardrails(input(cohorts, { weights: { control: 60, treatment: 40 } })).decision.status).not.toBe("srm");
  });
});
