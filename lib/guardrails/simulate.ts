/**
 * A rollout simulator for the guardrail statistics: a simulated clock, synthetic traffic across
 * the cohorts of one dimension, exposures split by the stage's weights, metric events at a base
 * rate per cohort and arm (an effect is injected by giving a cohort's treatment another rate),
 * and a check every N simulated minutes that calls `evaluateGuardrails` with the statistics
 * accumulated since the start — exactly what the rollout tick will pass from the rollups. Stops
 * at the first check whose decision acts (a breach or a sample-ratio mismatch). Deterministic
 * for a given seed.
 */
import { evaluateGuardrails } from "./evaluate";
import { createRandom, sampleBinomial, type Random } from "./random";
import type { BreachAction, CohortStats, GuardrailDefinition, GuardrailEvaluation } from "./types";

export interface SimulatedCohort {
  value: string;
  /** Share of all traffic (the shares are normalised). */
  share: number;
  /** Probability that an exposed context has an event of the metric, per arm. */
  controlRate: number;
  treatmentRate: number;
}

export interface SimulatedStage {
  /** Share of traffic on the released variation, 0–1. */
  treatmentShare: number;
  /** Length of the stage; the last stage runs to the horizon. */
  minutes: number;
}

export interface SimulationScenario {
  seed: number;
  exposuresPerHour: number;
  /** The dimension the cohorts split (e.g. "region"). */
  dimension: string;
  cohorts: SimulatedCohort[];
  stages: SimulatedStage[];
  horizonMinutes: number;
  checkEveryMinutes: number;
  /** Rate guardrails on `metricKey`. */
  metricKey: string;
  guardrails: GuardrailDefinition[];
  breachAction: BreachAction;
  cohortScopedAction?: boolean;
  /**
   * Injected sample-ratio mismatch: this fraction of treatment exposures (and their events) is
   * lost before it reaches the rollups, as when one variation's SDK drops events.
   */
  treatmentExposureLoss?: number;
}

export interface SimulationResult {
  /** Simulated minute of the check that acted; null when the horizon passed without action. */
  stoppedAtMinute: number | null;
  checks: number;
  /** The last evaluation (the one that acted, or the one at the horizon). */
  evaluation: GuardrailEvaluation | null;
}

interface Cell {
  exposures: number;
  conversions: number;
}

export function simulateRollout(scenario: SimulationScenario): SimulationResult {
  const random = createRandom(scenario.seed);
  const totalShare = scenario.cohorts.reduce((sum, cohort) => sum + cohort.share, 0);
  const cells = scenario.cohorts.map(() => ({ control: emptyCell(), treatment: emptyCell() }));
  const weights = { control: 0, treatment: 0 };
  let carried = 0;
  let checks = 0;
  let evaluation: GuardrailEvaluation | null = null;

  // The clock advances to the next check or stage boundary, whichever comes first: traffic is
  // drawn for the whole step at once (the weights are constant within it).
  let minute = 0;
  while (minute < scenario.horizonMinutes) {
    const share = stageShareAt(scenario.stages, minute);
    const nextCheck = (Math.floor(minute / scenario.checkEveryMinutes) + 1) * scenario.checkEveryMinutes;
    const step = Math.min(nextCheck, nextStageBoundary(scenario.stages, minute), scenario.horizonMinutes) - minute;
    minute += step;
    carried += (scenario.exposuresPerHour * step) / 60;
    const arriving = Math.floor(carried);
    carried -= arriving;
    let remaining = arriving;
    let remainingShare = totalShare;
    let logged = 0;
    scenario.cohorts.forEach((cohort, index) => {
      // Multinomial split of the step's traffic into cohorts, by sequential binomials.
      const n = index === scenario.cohorts.length - 1 ? remaining : sampleBinomial(random, remaining, cohort.share / remainingShare);
      remaining -= n;
      remainingShare -= cohort.share;
      let treated = sampleBinomial(random, n, share);
      const control = n - treated;
      if (scenario.treatmentExposureLoss) treated -= sampleBinomial(random, treated, scenario.treatmentExposureLoss);
      addArm(random, cells[index].control, control, cohort.controlRate);
      addArm(random, cells[index].treatment, treated, cohort.treatmentRate);
      logged += control + treated;
    });
    // What the tick can compute from the rollups: observed traffic × the weights then in force.
    weights.treatment += logged * share;
    weights.control += logged * (1 - share);

    if (minute % scenario.checkEveryMinutes === 0) {
      checks++;
      evaluation = evaluateGuardrails({
        cohorts: cohortStats(scenario, cells),
        guardrails: scenario.guardrails,
        weights,
        breachAction: scenario.breachAction,
        cohortScopedAction: scenario.cohortScopedAction,
      });
      if (evaluation.decision.action !== "none") return { stoppedAtMinute: minute, checks, evaluation };
    }
  }
  return { stoppedAtMinute: null, checks, evaluation };
}

function emptyCell(): Cell {
  return { exposures: 0, conversions: 0 };
}

function addArm(random: Random, cell: Cell, exposures: number, rate: number): void {
  cell.exposures += exposures;
  cell.conversions += sampleBinomial(random, exposures, rate);
}

function stageShareAt(stages: SimulatedStage[], minute: number): number {
  let start = 0;
  for (const stage of stages) {
    if (minute < start + stage.minutes) return stage.treatmentShare;
    start += stage.minutes;
  }
  return stages.length > 0 ? stages[stages.length - 1].treatmentShare : 0;
}

function nextStageBoundary(stages: SimulatedStage[], minute: number): number {
  let end = 0;
  for (const stage of stages.slice(0, -1)) {
    end += stage.minutes;
    if (minute < end) return end;
  }
  return Number.POSITIVE_INFINITY;
}

function cohortStats(scenario: SimulationScenario, cells: { control: Cell; treatment: Cell }[]): CohortStats[] {
  const arm = (cell: Cell) => ({ exposures: cell.exposures, metrics: { [scenario.metricKey]: { kind: "rate" as const, conversions: cell.conversions } } });
  const sum = (pick: (c: { control: Cell; treatment: Cell }) => Cell): Cell =>
    cells.reduce((total, c) => ({ exposures: total.exposures + pick(c).exposures, conversions: total.conversions + pick(c).conversions }), emptyCell());
  return [
    { dimension: "", value: "", control: arm(sum((c) => c.control)), treatment: arm(sum((c) => c.treatment)) },
    ...scenario.cohorts.map((cohort, index) => ({
      dimension: scenario.dimension,
      value: cohort.value,
      control: arm(cells[index].control),
      treatment: arm(cells[index].treatment),
    })),
  ];
}
