/**
 * Plain-words explanations of guardrail and SRM verdicts, with the numbers: what was measured,
 * the test, the threshold. These go into the plan's haltDetails, the audit entry and the
 * "why was this rolled back" panel, so they must stand on their own.
 */
import type { Cohort, GuardrailDefinition, GuardrailStatistics } from "./types";

export function cohortLabel(cohort: Cohort): string {
  return cohort.dimension === "" ? "overall" : `${cohort.dimension}=${cohort.value}`;
}

function cohortPhrase(cohort: Cohort): string {
  return cohort.dimension === "" ? "overall" : `in ${cohortLabel(cohort)}`;
}

/** 12,345 — by hand: Intl formatting costs more than the whole statistics of a check. */
export function formatCount(n: number): string {
  const digits = String(Math.abs(Math.round(n)));
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return n < 0 ? `-${grouped}` : grouped;
}

export function formatP(p: number): string {
  if (p >= 0.001) return String(Number(p.toPrecision(2)));
  return p.toExponential(1);
}

export function formatMetricValue(guardrail: GuardrailDefinition, value: number): string {
  if (guardrail.metricKind === "rate") {
    const percent = value * 100;
    return `${percent.toFixed(Math.abs(percent) >= 1 || percent === 0 ? 1 : 2)} %`;
  }
  const unit = guardrail.unit ? ` ${guardrail.unit}` : "";
  return `${Number(value.toPrecision(3))}${unit}`;
}

function limitPhrase(guardrail: GuardrailDefinition): string {
  if (guardrail.kind === "absolute") {
    return `limit ${guardrail.goodDirection === "decrease" ? "≤" : "≥"} ${formatMetricValue(guardrail, guardrail.threshold)}`;
  }
  const percent = `${Number((guardrail.threshold * 100).toPrecision(3))} %`;
  return guardrail.threshold === 0 ? "limit: no worse than control" : `limit: no more than ${percent} worse than control`;
}

function name(guardrail: GuardrailDefinition): string {
  return guardrail.metricName ?? guardrail.metricKey;
}

export function explainNoData(guardrail: GuardrailDefinition, cohort: Cohort): string {
  return `${name(guardrail)} ${cohortPhrase(cohort)}: no data yet`;
}

export function explainBelowMinimum(guardrail: GuardrailDefinition, cohort: Cohort, treatmentN: number, controlN: number | undefined, minSample: number): string {
  const unit = guardrail.metricKind === "rate" ? "exposures" : "events";
  const arms = controlN === undefined ? `treatment ${formatCount(treatmentN)}` : `treatment ${formatCount(treatmentN)}, control ${formatCount(controlN)}`;
  return `${name(guardrail)} ${cohortPhrase(cohort)}: not judged until each arm has ${formatCount(minSample)} ${unit} (${arms} so far)`;
}

export function explainTested(guardrail: GuardrailDefinition, cohort: Cohort, s: GuardrailStatistics, breached: boolean): string {
  const measured =
    s.control === undefined
      ? `is ${formatMetricValue(guardrail, s.treatment.estimate)} for treatment (${limitPhrase(guardrail)})`
      : `is ${formatMetricValue(guardrail, s.treatment.estimate)} for treatment vs ${formatMetricValue(guardrail, s.control.estimate)} for control (${limitPhrase(guardrail)})`;
  const level = `${formatP(s.alpha)}/${s.checks} (${s.checks} cohort × metric check${s.checks === 1 ? "" : "s"})`;
  const test = breached
    ? `the always-valid p-value ${formatP(s.pValue)} is below ${level}`
    : `the always-valid p-value ${formatP(s.pValue)} is not below ${level}, so no evidence of harm beyond the limit`;
  return `${name(guardrail)} ${cohortPhrase(cohort)} ${measured}; ${test}`;
}

export function explainSrm(cohort: Cohort, control: number, treatment: number, expectedTreatmentShare: number, chiSquare: number, pValue: number, alpha: number, checks: number, mismatch: boolean): string {
  const total = control + treatment;
  const observed = total > 0 ? ((treatment / total) * 100).toFixed(2) : "0";
  const expected = (expectedTreatmentShare * 100).toFixed(2);
  const counts = `exposures ${cohortPhrase(cohort)}: treatment ${formatCount(treatment)}, control ${formatCount(control)} (${observed} % treatment, ${expected} % expected)`;
  const level = `${formatP(alpha)}/${checks}`;
  const test = `chi-square ${chiSquare.toFixed(1)}, always-valid p-value ${formatP(pValue)}`;
  return mismatch
    ? `sample-ratio mismatch: ${counts}; ${test} is below ${level}. Assignment or exposure logging is broken, so the guardrail statistics cannot be trusted: halted`
    : `${counts}; ${test} is not below ${level}`;
}
