/**
 * The harm contrast of one guardrail in one cohort, from the arms' sufficient statistics:
 * its estimate, its variance now, and its variance when each arm reaches the minimum sample
 * (which sets the mixing variance, see msprt.ts). Oriented so that larger is worse.
 *
 *   absolute:  θ = s · (m_T − c)            H0: θ ≤ 0  ("treatment within the limit c")
 *   relative:  θ = s · (m_T − k · m_C)      H0: θ ≤ 0  ("treatment at most δ worse"), k = 1 + s·δ
 *
 * with s = +1 when lower is better (errors, latency) and −1 when higher is better (conversion).
 * For rates the variance is taken at the null boundary (the binomial variance at c, or at the
 * pooled rate constrained to p_T = k·p_C, smoothed by half an event): unlike the unpooled plug-in,
 * it does not shrink when an arm happens to see few events, which is what keeps sparse cohorts
 * from raising false alarms.
 */
import { meanAndVariance } from "./stats";
import type { ArmEstimate, ArmStats, GuardrailDefinition } from "./types";

export type Contrast =
  | { ready: false; reason: "invalid_definition" | "no_data" | "below_min_sample"; treatment: ArmEstimate; control?: ArmEstimate; minSample: number }
  | {
      ready: true;
      treatment: ArmEstimate;
      control?: ArmEstimate;
      harm: number;
      variance: number;
      varianceAtMinSample: number;
      minSample: number;
    };

/** Keeps a degenerate variance (constant values, a rate of exactly 0 or 1) from dividing by zero. */
const VARIANCE_FLOOR = 1e-12;

export function computeContrast(guardrail: GuardrailDefinition, control: ArmStats | undefined, treatment: ArmStats | undefined): Contrast {
  const relative = guardrail.kind === "relative_to_control";
  if (!Number.isFinite(guardrail.threshold)) {
    return { ready: false, reason: "invalid_definition", treatment: { n: 0, estimate: 0 }, minSample: 0 };
  }
  const sign = guardrail.goodDirection === "decrease" ? 1 : -1;
  const k = Math.max(0, 1 + sign * guardrail.threshold);
  const minSample = Math.max(guardrail.metricKind === "value" ? 2 : 1, Math.floor(guardrail.minSamplePerArm) || 0);
  const arms = guardrail.metricKind === "rate" ? rateArms(guardrail.metricKey, control, treatment) : valueArms(guardrail.metricKey, control, treatment);
  const t = arms.treatment;
  const c = relative ? arms.control : undefined;
  const treatmentEstimate = { n: t.n, estimate: t.mean };
  const controlEstimate = c ? { n: c.n, estimate: c.mean } : undefined;

  const smallest = c ? Math.min(t.n, c.n) : t.n;
  if (smallest === 0) return { ready: false, reason: "no_data", treatment: treatmentEstimate, control: controlEstimate, minSample };
  if (smallest < minSample) return { ready: false, reason: "below_min_sample", treatment: treatmentEstimate, control: controlEstimate, minSample };

  let harm: number;
  let varianceOf: (nT: number, nC: number) => number;
  if (guardrail.metricKind === "rate") {
    const smooth = (x: number, n: number) => Math.min(Math.max(x, 0.5 / (n + 1)), 1 - 0.5 / (n + 1));
    if (c) {
      harm = sign * (t.mean - k * c.mean);
      const pControl = smooth((t.x + c.x + 0.5) / (k * t.n + c.n + 1), t.n + c.n);
      const pTreatment = smooth(k * pControl, t.n);
      varianceOf = (nT, nC) => (pTreatment * (1 - pTreatment)) / nT + (k * k * pControl * (1 - pControl)) / nC;
    } else {
      harm = sign * (t.mean - guardrail.threshold);
      const p0 = smooth(guardrail.threshold, t.n);
      varianceOf = (nT) => (p0 * (1 - p0)) / nT;
    }
  } else {
    if (c) {
      harm = sign * (t.mean - k * c.mean);
      varianceOf = (nT, nC) => t.variance / nT + (k * k * c.variance) / nC;
    } else {
      harm = sign * (t.mean - guardrail.threshold);
      varianceOf = (nT) => t.variance / nT;
    }
  }
  const variance = Math.max(VARIANCE_FLOOR, varianceOf(t.n, c ? c.n : 1));
  const varianceAtMinSample = Math.max(VARIANCE_FLOOR, varianceOf(minSample, minSample));
  return { ready: true, treatment: treatmentEstimate, control: controlEstimate, harm, variance, varianceAtMinSample, minSample };
}

interface Arm {
  n: number;
  /** Events (rates) — the numerator. */
  x: number;
  mean: number;
  variance: number;
}

function rateArms(metricKey: string, control: ArmStats | undefined, treatment: ArmStats | undefined) {
  const arm = (stats: ArmStats | undefined): Arm => {
    const n = count(stats?.exposures);
    const metric = stats?.metrics[metricKey];
    // More converters than exposed contexts can only come from late or lost exposures: cap it.
    const x = Math.min(n, count(metric?.kind === "rate" ? metric.conversions : 0));
    const mean = n > 0 ? x / n : 0;
    return { n, x, mean, variance: mean * (1 - mean) };
  };
  return { control: arm(control), treatment: arm(treatment) };
}

function valueArms(metricKey: string, control: ArmStats | undefined, treatment: ArmStats | undefined) {
  const arm = (stats: ArmStats | undefined): Arm => {
    const metric = stats?.metrics[metricKey];
    const valid = metric?.kind === "value" && count(metric.count) > 0 && Number.isFinite(metric.sum) && Number.isFinite(metric.sumSquares);
    if (!valid) return { n: 0, x: 0, mean: 0, variance: 0 };
    const { mean, variance } = meanAndVariance(metric.count, metric.sum, metric.sumSquares);
    return { n: metric.count, x: metric.sum, mean, variance };
  };
  return { control: arm(control), treatment: arm(treatment) };
}

/** A count from the outside world: negative, fractional-infinite or NaN values read as 0. */
export function count(value: number | undefined): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : 0;
}
