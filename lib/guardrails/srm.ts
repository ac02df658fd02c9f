/**
 * Sample-ratio mismatch: are the exposures per arm consistent with the plan's weights? A
 * chi-square goodness-of-fit test (one degree of freedom for two arms) at a strict alpha. A
 * mismatch means assignment or logging is broken, so every other statistic is suspect: the plan
 * halts and says so rather than trusting a verdict either way.
 */
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
  pValue: number;
  expectedControl: number;
  expectedTreatment: number;
}

/** Below this expected count in an arm the chi-square approximation is not trusted (Cochran's rule). */
export const SRM_MIN_EXPECTED_PER_ARM = 5;

export function sampleRatioMismatch({ control, treatment, treatmentShare, alpha }: SrmInput): SrmResult {
  const total = control + treatment;
  const expectedTreatment = total * treatmentShare;
  const expectedControl = total - expectedTreatment;
  if (!(treatmentShare > 0 && treatmentShare < 1) || Math.min(expectedControl, expectedTreatment) < SRM_MIN_EXPECTED_PER_ARM) {
    return { applicable: false, mismatch: false, chiSquare: 0, pValue: 1, expectedControl, expectedTreatment };
  }
  const chiSquare =
    (control - expectedControl) ** 2 / expectedControl + (treatment - expectedTreatment) ** 2 / expectedTreatment;
  const pValue = chiSquare1UpperTail(chiSquare);
  return { applicable: true, mismatch: pValue < alpha, chiSquare, pValue, expectedControl, expectedTreatment };
}
