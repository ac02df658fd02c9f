/**
 * Guardrail statistics benchmark (issue 7, "Proving it"): the scenarios of
 * lib/guardrails/scenarios.ts at full size.
 *
 *   npm run bench:guardrails                 # 500 runs per scenario (about a minute on 2 idle cores)
 *   npm run bench:guardrails -- --runs 2000  # more runs, tighter intervals
 *
 * Scenarios: A/A (no effect) → false halt rate with its 95 % Wilson interval; +2 pp error rate in
 * the 10 % "eu" cohort with an even split and with a staged release → detection rate, median and
 * p95 simulated time to detection; 5 % of treatment exposures lost → SRM detection rate and time.
 * Seeds are fixed per scenario, so the same command prints the same figures.
 */
import { regionScenario, STAGED, type ScenarioOptions } from "@/lib/guardrails/scenarios";
import { simulateRollout, type SimulationResult } from "@/lib/guardrails/simulate";
import { wilsonInterval } from "@/lib/guardrails/stats";

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : Number.NaN;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

const RUNS = option("runs", 500);

interface Summary {
  name: string;
  runs: number;
  acted: number;
  /** Runs whose action was the expected kind (breach for regressions, srm for SRM). */
  expected: number;
  medianMinutes: number | null;
  p95Minutes: number | null;
  srmHalts: number;
  seconds: number;
}

function percentile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null;
  // Nearest-rank percentile.
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

function scenario(name: string, firstSeed: number, options: Omit<ScenarioOptions, "seed">, expectedStatus: "breached" | "srm" | null): Summary {
  const started = performance.now();
  const results: SimulationResult[] = [];
  for (let i = 0; i < RUNS; i++) results.push(simulateRollout(regionScenario({ seed: firstSeed + i, ...options })));
  const acted = results.filter((r) => r.stoppedAtMinute !== null);
  const expected = expectedStatus === null ? [] : acted.filter((r) => r.evaluation?.decision.status === expectedStatus);
  const times = expected.map((r) => r.stoppedAtMinute!).sort((a, b) => a - b);
  return {
    name,
    runs: RUNS,
    acted: acted.length,
    expected: expected.length,
    medianMinutes: percentile(times, 0.5),
    p95Minutes: percentile(times, 0.95),
    srmHalts: acted.filter((r) => r.evaluation?.decision.status === "srm").length,
    seconds: (performance.now() - started) / 1000,
  };
}

const percent = (x: number) => `${(x * 100).toFixed(1)} %`;
const interval = (k: number, n: number) => {
  const { low, high } = wilsonInterval(k, n);
  return `${percent(k / n)} [${percent(low)}, ${percent(high)}]`;
};
const hours = (minutes: number | null) => (minutes === null ? "—" : `${(minutes / 60).toFixed(2)} h`);

const aa = scenario("A/A (no effect), limit 10 % worse", 1_000_001, {}, null);
const aaBoundary = scenario("A/A, limit 0 % worse (null at its boundary)", 5_000_001, { threshold: 0 }, null);
const even = scenario("+2 pp in eu (10 % of traffic), 50/50 split", 2_000_001, { effect: 0.02, effectCohort: "eu" }, "breached");
const staged = scenario("+2 pp in eu, staged 5 % 6 h → 25 % 6 h → 50 %", 3_000_001, { effect: 0.02, effectCohort: "eu", stages: STAGED }, "breached");
const overallOnly = scenario("+2 pp in eu, 50/50, overall check only (no per-cohort)", 6_000_001, { effect: 0.02, effectCohort: "eu", perCohort: false }, "breached");
const srm = scenario("SRM: 5 % of treatment exposures lost", 4_000_001, { treatmentExposureLoss: 0.05 }, "srm");

console.log(`guardrail simulation: ${RUNS} runs per scenario, 24 h horizon, checks every 15 min, Node ${process.version}`);
console.log("");
console.log("| scenario | runs | halted / rolled back (95 % Wilson CI) | of which SRM | median time to detection | p95 time to detection |");
console.log("| --- | --- | --- | --- | --- | --- |");
for (const s of [aa, aaBoundary]) console.log(`| ${s.name} | ${s.runs} | false halts ${interval(s.acted, s.runs)} | ${s.srmHalts} | — | — |`);
for (const s of [even, staged, overallOnly, srm]) {
  console.log(`| ${s.name} | ${s.runs} | detected ${interval(s.expected, s.runs)} | ${s.srmHalts} | ${hours(s.medianMinutes)} | ${hours(s.p95Minutes)} |`);
}
console.log("");
console.log(`wall time per scenario (s): ${[aa, aaBoundary, even, staged, overallOnly, srm].map((s) => s.seconds.toFixed(1)).join(", ")}`);
const falseHaltHigh = Math.max(wilsonInterval(aa.acted, aa.runs).high, wilsonInterval(aaBoundary.acted, aaBoundary.runs).high);
console.log(
  `targets: A/A false halts ≤ 5 % → ${falseHaltHigh <= 0.05 ? "met" : "NOT met"} (upper CI ${percent(falseHaltHigh)}); ` +
    `detection ≥ 95 % → ${even.expected / even.runs >= 0.95 ? "met" : "NOT met"} (${percent(even.expected / even.runs)}); ` +
    `SRM detected → ${srm.expected === srm.runs ? "met" : "NOT met"} (${srm.expected}/${srm.runs})`,
);
