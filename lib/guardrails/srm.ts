/**
 * Sample-ratio mismatch: are the exposures per arm consistent with the plan's weights? A
 * mismatch means assignment or logging is broken, so every other statistic is suspect: the plan
 * halts and says so rather than trusting a verdict either way.
 *
 * The statistic is Pearson's chi-square goodness of fit (one degree of freedom for two arms),
 * reported with its fixed-sample p-value. The decision, though, uses the always-valid p-value of
 * the same deviation: the check runs every tick, and a fixed-sample chi-square at α = 0.001 looked
 * at ~100 times a day over six cohorts raised 1–2 % false halts in the A/A simulation on its own.
 * Two arms reduce the chi-square to z² with z = (p̂ − w) / √(w(1 − w)/N) for the observed
 * treatment share p̂ and the expected w, so the mSPRT of msprt.ts applies to p̂ − w directly
 * (two-sided), with the mixing variance tuned to SRM_REFERENCE_EXPOSURES.
 */
import { msprt, optimalMixingRatio } from "./msprt";
import { chiSquare1UpperTail } from "./stats";

export interface SrmInput {
  control: number;
  treatment: number;
  /** Expected share of exposures in the treatment arm (0–1). */
  treatmentShare: number;
  /** Alpha for this one test (already corrected for the number of cohorts checked). */
  alpha: number;
}

export interface SrmResult {
  /** False when the test does not apply (too few exposures, or a weight of 0 or 1). */
  applicable: boolean;
  mismatch: boolean;
  chiSquare: number;
  /** Fixed-sample chi-square p-value (for display; not valid under repeated looks). */
  chiSquarePValue: number;
  /** Always-valid p-value of the same deviation (the decision). */
  pValue: number;
  expectedControl: number;
  expectedTreatment: number;
}

/** Below this expected count in an arm the normal approximation is not trusted (Cochran's rule). */
export const SRM_MIN_EXPECTED_PER_ARM = 5;
/** The test is sharpest around this many exposures in the cohort (a few hours of a small cohort). */
export const SRM_REFERENCE_EXPOSURES = 2000;

export function sampleRatioMismatch({ control, treatment, treatmentShare: w, alpha }: SrmInput): SrmResult {
  const total = control + treatment;
  const expectedTreatment = total * w;
  const expectedControl = total - expectedTreatment;
  if (!(w > 0 && w < 1) || Math.min(expectedControl, expectedTreatment) < SRM_MIN_EXPECTED_PER_ARM) {
    return { applicable: false, mismatch: false, chiSquare: 0, chiSquarePValue: 1, pValue: 1, expectedControl, expectedTreatment };
  }
  const chiSquare =
    (control - expectedControl) ** 2 / expectedControl + (treatment - expectedTreatment) ** 2 / expectedTreatment;
  const test = msprt({
    estimate: Math.abs(treatment / total - w),
    variance: (w * (1 - w)) / total,
    nullValue: 0,
    mixingVariance: (optimalMixingRatio(alpha) * w * (1 - w)) / SRM_REFERENCE_EXPOSURES,
  });
  return {
    applicable: true,
    mismatch: test.pValue < alpha,
    chiSquare,
    chiSquarePValue: chiSquare1UpperTail(chiSquare),
    pValue: test.pValue,
    expectedControl,
    expectedTreatment,
  };
}
