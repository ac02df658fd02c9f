/**
 * The scenarios of issue 7's proof, shared by the unit tests (CI size) and the benchmark (full
 * size): five regions, base error rate 1 %, 10,000 exposures per simulated hour, a guardrail
 * "treatment's error rate no more than 10 % worse than control's" at 95 % confidence, checked per
 * cohort every 15 simulated minutes for a day.
 */
import type { SimulationScenario, SimulatedCohort, SimulatedStage } from "./simulate";
import type { GuardrailDefinition } from "./types";

export const REGIONS: { value: string; share: number }[] = [
  { value: "us", share: 0.4 },
  { value: "apac", share: 0.25 },
  { value: "latam", share: 0.15 },
  { value: "eu", share: 0.1 },
  { value: "africa", share: 0.1 },
];

export const ERROR_RATE_GUARDRAIL: GuardrailDefinition = {
  id: "errors-relative",
  metricKey: "errors",
  metricName: "error rate",
  metricKind: "rate",
  goodDirection: "decrease",
  kind: "relative_to_control",
  threshold: 0.1,
  confidence: 0.95,
  minSamplePerArm: 1000,
  perCohort: true,
};

/** Half the traffic on each arm from the start (the classic A/B set-up). */
export const EVEN_SPLIT: SimulatedStage[] = [{ treatmentShare: 0.5, minutes: 24 * 60 }];

/** A staged release: 5 % for 6 h, 25 % for 6 h, then 50 %. */
export const STAGED: SimulatedStage[] = [
  { treatmentShare: 0.05, minutes: 6 * 60 },
  { treatmentShare: 0.25, minutes: 6 * 60 },
  { treatmentShare: 0.5, minutes: 12 * 60 },
];

export interface ScenarioOptions {
  seed: number;
  /** Extra error rate (absolute, 0.02 = +2 pp) on the treatment arm in `effectCohort`. */
  effect?: number;
  effectCohort?: string;
  stages?: SimulatedStage[];
  treatmentExposureLoss?: number;
  horizonMinutes?: number;
  /** Overrides the guardrail's relative tolerance (0 puts an A/A exactly on the null's boundary). */
  threshold?: number;
  /** Check per region as well as overall (default true). */
  perCohort?: boolean;
}

export function regionScenario(options: ScenarioOptions): SimulationScenario {
  const base = 0.01;
  const cohorts: SimulatedCohort[] = REGIONS.map((region) => ({
    ...region,
    controlRate: base,
    treatmentRate: region.value === (options.effectCohort ?? "eu") ? base + (options.effect ?? 0) : base,
  }));
  return {
    seed: options.seed,
    exposuresPerHour: 10_000,
    dimension: "region",
    cohorts,
    stages: options.stages ?? EVEN_SPLIT,
    horizonMinutes: options.horizonMinutes ?? 24 * 60,
    checkEveryMinutes: 15,
    metricKey: "errors",
    guardrails: [
      {
        ...ERROR_RATE_GUARDRAIL,
        threshold: options.threshold ?? ERROR_RATE_GUARDRAIL.threshold,
        perCohort: options.perCohort ?? ERROR_RATE_GUARDRAIL.perCohort,
      },
    ],
    breachAction: "rollback_to_zero",
    cohortScopedAction: false,
    treatmentExposureLoss: options.treatmentExposureLoss,
  };
}
