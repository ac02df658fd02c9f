/**
 * Quick self-check of the Switchyard engine alone on the workloads (W1, W2) and the time
 * to compile 10,000 W2 flags. The full comparison with the peers lives in bench/evaluation/run.ts.
 * Run with: npx tsx bench/evaluation/engine-smoke.ts [--rounds 5]
 */
import { compileSnapshot, evaluateFlag, type EvaluationContext, type Flag, type Segment } from "../../lib/evaluation";
import { w1Contexts, w1Flags, w2Contexts, w2DistinctContexts, w2DistinctFlags, w2Flags, w2Segment } from "./engine-smoke-data";

const ROUNDS = Number(process.argv[process.argv.indexOf("--rounds") + 1]) || 5;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function measure(name: string, flags: Flag[], segments: Segment[], contexts: EvaluationContext[]): number {
  const snapshot = compileSnapshot({ flags, segments });
  const keys = flags.map((f) => f.key);
  let sink = 0;
  const rates: number[] = [];
  // Warm up
  for (const ctx of contexts.slice(0, 2000)) for (const k of keys) if (evaluateFlag(snapshot, k, ctx).value) sink++;
  for (let round = 0; round < ROUNDS; round++) {
    const t0 = performance.now();
    let n = 0;
    for (const ctx of contexts) {
      for (let j = 0; j < keys.length; j++) {
        if (evaluateFlag(snapshot, keys[j], ctx).value) sink++;
        n++;
      }
    }
    rates.push(n / ((performance.now() - t0) / 1000));
  }
  const m = median(rates);
  console.log(`${name}: ${(m / 1e6).toFixed(3)} M evals/s (median of ${ROUNDS}; rounds ${rates.map((r) => (r / 1e6).toFixed(2)).join(", ")})${sink < 0 ? "" : ""}`);
  return m;
}

/**
 * Load = JSON.parse of the snapshot payload + compileSnapshot, as a server does; reported as the
 * total and the compile part alone. Heap = retained after load (input dropped), with --expose-gc.
 */
function loadTime(name: string, flags: Flag[]): void {
  const payload = JSON.stringify({ flags, segments: [w2Segment()] });
  const gc = (globalThis as { gc?: () => void }).gc;
  const totals: number[] = [];
  const compiles: number[] = [];
  const heaps: number[] = [];
  let keep: unknown = null;
  for (let i = 0; i < 7; i++) {
    keep = null;
    gc?.();
    const h0 = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    const parsed = JSON.parse(payload) as { flags: Flag[]; segments: Segment[] };
    const t1 = performance.now();
    keep = compileSnapshot(parsed);
    const t2 = performance.now();
    totals.push(t2 - t0);
    compiles.push(t2 - t1);
    gc?.();
    heaps.push(process.memoryUsage().heapUsed - h0);
  }
  console.log(
    `load 10,000 ${name} flags: ${median(totals).toFixed(1)} ms with JSON.parse, compile alone ${median(compiles).toFixed(1)} ms (medians of 7)` +
      (gc ? `, retained heap ${(median(heaps) / 1e6).toFixed(1)} MB` : " (run with --expose-gc for the retained heap)"),
  );
  void keep;
}

const w1 = measure("W1 simple", w1Flags(), [], w1Contexts());
const w2 = measure("W2 heavy ", w2Flags(), [w2Segment()], w2Contexts());
measure("W2 distinct operands", w2DistinctFlags(), [w2Segment()], w2DistinctContexts());
loadTime("W2 (shared operands)", w2Flags(10_000));
loadTime("W2 (distinct operands)", w2DistinctFlags(10_000));
console.log(`targets: W1 ≥ 2.6 M/s (${w1 >= 2.6e6 ? "ok" : "below"}), W2 ≥ 0.366 M/s (${w2 >= 366e3 ? "ok" : "below"})`);
