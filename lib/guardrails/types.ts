/**
 * Inputs and outputs of `evaluateGuardrails`. The inputs are what the rollups can supply: sums
 * over the rollout so far of ExposureRollup / MetricRollup rows per variation and per
 * (dimension, value) cell; the definitions mirror RolloutGuardrail and MetricDefinition.
 */

/** A cohort: the overall population is dimension "" and value "" (as in the rollup tables). */
export interface Cohort {
  dimension: string;
  value: string;
}

/** Rate metric (conversion, error): contexts with at least one event among the exposed. */
export interface RateMetricStats {
  kind: "rate";
  /** Exposed contexts with at least one event (MetricRollup.uniqueCount summed). */
  conversions: number;
}

/** Value metric (latency, revenue): the events' count, sum and sum of squares. */
export interface ValueMetricStats {
  kind: "value";
  count: number;
  sum: number;
  sumSquares: number;
}

export type MetricStats = RateMetricStats | ValueMetricStats;

export interface ArmStats {
  /** Exposed contexts in this arm (the rate metrics' denominator and the SRM check's count). */
  exposures: number;
  /** By metric key; a metric with no events yet may be absent. */
  metrics: Record<string, MetricStats>;
}

export interface CohortStats extends Cohort {
  control: ArmStats;
  treatment: ArmStats;
}

export type GuardrailKind = "absolute" | "relative_to_control";
export type MetricKind = "rate" | "value";
export type MetricDirection = "increase" | "decrease";
export type BreachAction = "halt" | "rollback_to_zero" | "rollback_to_previous";

export interface GuardrailDefinition {
  id: string;
  metricKey: string;
  /** For explanations ("error rate"); defaults to the key. */
  metricName?: string;
  /** Display unit for value metrics ("ms"); rates are shown in percent. */
  unit?: string;
  metricKind: MetricKind;
  goodDirection: MetricDirection;
  kind: GuardrailKind;
  /** Absolute: in the metric's unit (rates as fractions). Relative: a fraction (0.1 = 10 % worse). */
  threshold: number;
  /** 0.95 → alpha 0.05 for this guardrail's family, before correction. */
  confidence: number;
  minSamplePerArm: number;
  /** Also check every cohort, not only the overall population. */
  perCohort: boolean;
}

export interface EvaluateGuardrailsInput {
  /** The overall population (dimension "") and each dimension value seen. */
  cohorts: CohortStats[];
  guardrails: GuardrailDefinition[];
  /**
   * The plan's weights over the period the stats cover: when stages changed the percentage, the
   * exposure-weighted average of each stage's weights (any positive scale; normalised here).
   */
  weights: { control: number; treatment: number };
  breachAction: BreachAction;
  /** The plan lets a breach confined to cohorts act on those cohorts only. */
  cohortScopedAction?: boolean;
  /** Alpha of the sample-ratio-mismatch check before correction; default 0.001. */
  srmAlpha?: number;
  /** Always-valid p-values from earlier checks, by `checkKey`: the reported p-value is the running minimum. */
  priorPValues?: Record<string, number>;
}

export type GuardrailStatus = "healthy" | "inconclusive" | "breached";

export interface ArmEstimate {
  n: number;
  /** Rate (fraction) or mean. */
  estimate: number;
}

export interface GuardrailStatistics {
  treatment: ArmEstimate;
  /** Absent for absolute thresholds. */
  control?: ArmEstimate;
  /**
   * The harm contrast θ̂, oriented so that larger is worse: absolute → ±(treatment − threshold);
   * relative → ±(treatment − (1 ± δ)·control). Breach means "θ > 0" at the corrected level.
   */
  harm: number;
  /** Its variance V and z = θ̂ / √V. */
  variance: number;
  zScore: number;
  /** τ² of the normal mixture. */
  mixingVariance: number;
  logLikelihoodRatio: number;
  /** Always-valid one-sided p-value (running minimum when prior p-values were given). */
  pValue: number;
  /** 1 − confidence, the alpha before correction. */
  alpha: number;
  /** Number of cohort × metric checks the correction divides by. */
  checks: number;
  correctedAlpha: number;
  /** The confidence sequence for the harm contrast at the corrected level. */
  harmInterval: { low: number; high: number };
  threshold: number;
}

export interface GuardrailVerdict {
  checkKey: string;
  guardrailId: string;
  metricKey: string;
  cohort: Cohort;
  status: GuardrailStatus;
  reason: "invalid_definition" | "no_data" | "below_min_sample" | "within_threshold" | "threshold_exceeded";
  /** Absent when there was nothing to compute (no data). */
  statistics?: GuardrailStatistics;
  explanation: string;
}

export interface SrmVerdict {
  cohort: Cohort;
  status: "ok" | "srm" | "not_applicable";
  control: number;
  treatment: number;
  expectedControl: number;
  expectedTreatment: number;
  chiSquare: number;
  /** Fixed-sample p-value of the chi-square (display only). */
  chiSquarePValue: number;
  /** Always-valid p-value of the deviation: the decision compares this with correctedAlpha. */
  pValue: number;
  alpha: number;
  checks: number;
  correctedAlpha: number;
  explanation: string;
}

export type DecisionScope = { kind: "plan" } | { kind: "cohorts"; cohorts: Cohort[] };

export interface GuardrailDecision {
  /** srm > breached > inconclusive > healthy. */
  status: "healthy" | "inconclusive" | "breached" | "srm";
  /** What the plan should do now: SRM always halts (the data cannot be trusted either way). */
  action: "none" | BreachAction;
  scope: DecisionScope;
  explanation: string;
}

export interface GuardrailEvaluation {
  verdicts: GuardrailVerdict[];
  srm: SrmVerdict[];
  decision: GuardrailDecision;
}
