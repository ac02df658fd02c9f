/**
 * evaluateGuardrails: the decision part of a rollout's guardrails. Pure: the caller sums the
 * rollups over the rollout so far and passes the plan's guardrails and weights; this returns a
 * verdict per guardrail × cohort, an SRM verdict per cohort, and the plan's decision.
 *
 * Method (docs/decisions/0009-guardrail-statistics.md):
 * - each guardrail × cohort is a one-sided mSPRT (msprt.ts) of its harm contrast (contrast.ts),
 *   valid under continuous monitoring;
 * - the family is every cohort × metric check this evaluation performs; each check runs at
 *   alpha / m (Bonferroni), alpha = 1 − the guardrail's confidence. Bonferroni rather than Holm
 *   so that a check's level does not depend on the other checks' data, which keeps the mixing
 *   variance (tuned to the corrected alpha) fixed for the check;
 * - a check with fewer than minSamplePerArm in an arm is inconclusive, never breached: the normal
 *   approximation is not trusted on a handful of events;
 * - sample-ratio mismatch (srm.ts) per cohort at srmAlpha / number of cohorts halts the plan
 *   whatever the guardrails say.
 */
import { computeContrast, count } from "./contrast";
import { cohortLabel, explainBelowMinimum, explainNoData, explainSrm, explainTested } from "./explain";
import { confidenceSequenceRadius, msprt, optimalMixingRatio } from "./msprt";
import { sampleRatioMismatch } from "./srm";
import type {
  Cohort,
  CohortStats,
  EvaluateGuardrailsInput,
  GuardrailDecision,
  GuardrailDefinition,
  GuardrailEvaluation,
  GuardrailVerdict,
  SrmVerdict,
} from "./types";

export const DEFAULT_SRM_ALPHA = 0.001;

export function checkKey(guardrailId: string, cohort: Cohort): string {
  return `${guardrailId}|${cohortLabel(cohort)}`;
}

const isOverall = (cohort: Cohort) => cohort.dimension === "";

export function evaluateGuardrails(input: EvaluateGuardrailsInput): GuardrailEvaluation {
  const cohorts = withOverall(input.cohorts);
  const checked = input.guardrails.map((guardrail) => ({
    guardrail,
    cohorts: guardrail.perCohort ? cohorts : cohorts.filter(isOverall),
  }));
  const checks = checked.reduce((total, entry) => total + entry.cohorts.length, 0);
  const verdicts = checked.flatMap(({ guardrail, cohorts }) =>
    cohorts.map((cohort) => judge(guardrail, cohort, checks, input.priorPValues?.[checkKey(guardrail.id, cohort)])),
  );
  const srm = checkSampleRatio(cohorts, input);
  return { verdicts, srm, decision: decide(verdicts, srm, input) };
}

/** The overall cohort is always checked; when the caller passed none, it is the sum of nothing (no data). */
function withOverall(cohorts: CohortStats[]): CohortStats[] {
  if (cohorts.some(isOverall)) return [...cohorts].sort((a, b) => Number(isOverall(b)) - Number(isOverall(a)));
  const empty = { exposures: 0, metrics: {} };
  return [{ dimension: "", value: "", control: empty, treatment: empty }, ...cohorts];
}

function alphaOf(guardrail: GuardrailDefinition): number {
  const confidence = Number.isFinite(guardrail.confidence) ? guardrail.confidence : 0.95;
  return Math.min(0.5, Math.max(1e-9, 1 - confidence));
}

function judge(guardrail: GuardrailDefinition, cohort: CohortStats, checks: number, priorPValue: number | undefined): GuardrailVerdict {
  const key = checkKey(guardrail.id, cohort);
  const base = { checkKey: key, guardrailId: guardrail.id, metricKey: guardrail.metricKey, cohort: { dimension: cohort.dimension, value: cohort.value } };
  const contrast = computeContrast(guardrail, cohort.control, cohort.treatment);
  if (!contrast.ready) {
    if (contrast.reason === "invalid_definition") {
      return { ...base, status: "inconclusive", reason: "invalid_definition", explanation: `${guardrail.metricName ?? guardrail.metricKey}: the guardrail's threshold is not a number; fix the plan` };
    }
    return contrast.reason === "no_data"
      ? { ...base, status: "inconclusive", reason: "no_data", explanation: explainNoData(guardrail, cohort) }
      : {
          ...base,
          status: "inconclusive",
          reason: "below_min_sample",
          explanation: explainBelowMinimum(guardrail, cohort, contrast.treatment.n, contrast.control?.n, contrast.minSample),
        };
  }
  const alpha = alphaOf(guardrail);
  const correctedAlpha = alpha / checks;
  const mixingVariance = optimalMixingRatio(correctedAlpha) * contrast.varianceAtMinSample;
  const test = msprt({ estimate: contrast.harm, variance: contrast.variance, nullValue: 0, mixingVariance });
  const pValue = priorPValue !== undefined && priorPValue >= 0 ? Math.min(priorPValue, test.pValue) : test.pValue;
  const radius = confidenceSequenceRadius(contrast.variance, mixingVariance, correctedAlpha);
  const statistics = {
    treatment: contrast.treatment,
    control: contrast.control,
    harm: contrast.harm,
    variance: contrast.variance,
    zScore: contrast.harm / Math.sqrt(contrast.variance),
    mixingVariance,
    logLikelihoodRatio: test.logLikelihoodRatio,
    pValue,
    alpha,
    checks,
    correctedAlpha,
    harmInterval: { low: contrast.harm - radius, high: contrast.harm + radius },
    threshold: guardrail.threshold,
  };
  const breached = pValue < correctedAlpha;
  return {
    ...base,
    status: breached ? "breached" : "healthy",
    reason: breached ? "threshold_exceeded" : "within_threshold",
    statistics,
    explanation: explainTested(guardrail, cohort, statistics, breached),
  };
}

function checkSampleRatio(cohorts: CohortStats[], input: EvaluateGuardrailsInput): SrmVerdict[] {
  const total = count(input.weights.control) + count(input.weights.treatment);
  const share = total > 0 ? count(input.weights.treatment) / total : 0;
  const alpha = input.srmAlpha ?? DEFAULT_SRM_ALPHA;
  const correctedAlpha = alpha / cohorts.length;
  return cohorts.map((cohort) => {
    const control = count(cohort.control.exposures);
    const treatment = count(cohort.treatment.exposures);
    const result = sampleRatioMismatch({ control, treatment, treatmentShare: share, alpha: correctedAlpha });
    const status = !result.applicable ? "not_applicable" : result.mismatch ? "srm" : "ok";
    const explanation = result.applicable
      ? explainSrm(cohort, control, treatment, share, result.chiSquare, result.pValue, alpha, cohorts.length, result.mismatch)
      : `exposures ${cohortLabel(cohort)}: too few (or a weight of 0 %/100 %) for the sample-ratio check`;
    return {
      cohort: { dimension: cohort.dimension, value: cohort.value },
      status,
      control,
      treatment,
      expectedControl: result.expectedControl,
      expectedTreatment: result.expectedTreatment,
      chiSquare: result.chiSquare,
      chiSquarePValue: result.chiSquarePValue,
      pValue: result.pValue,
      alpha,
      checks: cohorts.length,
      correctedAlpha,
      explanation,
    };
  });
}

function decide(verdicts: GuardrailVerdict[], srm: SrmVerdict[], input: EvaluateGuardrailsInput): GuardrailDecision {
  const mismatched = srm.filter((verdict) => verdict.status === "srm");
  if (mismatched.length > 0) {
    return { status: "srm", action: "halt", scope: { kind: "plan" }, explanation: mismatched.map((v) => v.explanation).join("; ") };
  }
  const breached = verdicts.filter((verdict) => verdict.status === "breached");
  if (breached.length > 0) {
    const confined = input.cohortScopedAction === true && breached.every((verdict) => !isOverall(verdict.cohort));
    const cohorts = [...new Map(breached.map((verdict) => [cohortLabel(verdict.cohort), verdict.cohort])).values()];
    return {
      status: "breached",
      action: input.breachAction,
      scope: confined ? { kind: "cohorts", cohorts } : { kind: "plan" },
      explanation: breached.map((verdict) => verdict.explanation).join("; "),
    };
  }
  const waiting = verdicts.filter((verdict) => verdict.status === "inconclusive");
  if (waiting.length > 0) {
    return { status: "inconclusive", action: "none", scope: { kind: "plan" }, explanation: `${waiting.length} of ${verdicts.length} checks not judged yet: ${waiting.map((v) => v.explanation).join("; ")}` };
  }
  return {
    status: "healthy",
    action: "none",
    scope: { kind: "plan" },
    explanation: verdicts.length === 0 ? "no guardrails" : `all ${verdicts.length} checks within their limits`,
  };
}
