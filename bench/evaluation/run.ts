/**
 * Evaluation benchmark driver (issue 3, "Performance"): `npm run bench:evaluation [-- options]`.
 *
 * In one process, for each workload (W1 simple, W2 heavy, see workloads.ts):
 *  1. loads the workload into every available engine and checks that each agrees with the
 *     reference semantics on 300 contexts (rule decisions exactly, split shares within 2 points);
 *  2. times rounds of "every flag for a slice of contexts", engines in rotating order with a forced
 *     GC before each engine's round, after a warm-up that also sizes the slice (~1 s per round);
 *     contexts come from a pool of 10,000 distinct keys and successive rounds take successive
 *     slices, so no engine sees the same context twice in a row;
 *  3. reports the median evaluations/second of the rounds.
 * Then, for each engine in its own child process (load-child.ts), times loading 10,000 W2 flags
 * and measures the heap retained. It ends with the line
 *   evaluation ratio vs fastest peer: W1 <ratio> W2 <ratio>
 *
 * Options: --quick (short smoke run), --rounds N, --seconds S (per round), --contexts N (pool),
 * --engines a,b, --workloads W1,W2, --no-load, --load-flags N, --load-repeats N,
 * --flagd-load-flags N (flagd is measured at N and 2N flags and extrapolated when N is below
 * --load-flags; 0 measures it directly; default 0), --switchyard-from-source (run Switchyard's
 * TypeScript source as tsx loads it instead of the transpiled engine; see compiled-engine.ts).
 */
import { spawnSync, execFileSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { EngineAdapter, EngineId, LoadedEngine } from "./adapter";
import { packageVersion } from "./adapter";
import { buildCompiledEngine, importCompiledEngine } from "./compiled-engine";
import { ADAPTERS, ENGINE_IDS } from "./engines";
import { createSwitchyardAdapter } from "./switchyard";
import type { Workload } from "./workloads";
import { agreementContexts, buildWorkload, checkAgreement, generateContexts } from "./workloads";

// GrowthBook logs on every evaluation unless NODE_ENV is production; servers run in production.
(process.env as Record<string, string | undefined>).NODE_ENV ??= "production";

declare const gc: (() => void) | undefined;
const collect = () => (typeof gc === "function" ? gc() : undefined);

// ---------------------------------------------------------------------------------------------
// Options

interface Options {
  quick: boolean;
  rounds: number;
  seconds: number;
  contexts: number;
  engines: EngineId[];
  workloads: ("W1" | "W2")[];
  load: boolean;
  loadFlags: number;
  loadRepeats: number;
  flagdLoadFlags: number;
  switchyardFromSource: boolean;
}

function parseOptions(argv: string[]): Options {
  const quick = argv.includes("--quick");
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const num = (name: string, fallback: number) => (value(name) !== undefined ? Number(value(name)) : fallback);
  const engines = (value("--engines")?.split(",") ?? ENGINE_IDS) as EngineId[];
  for (const e of engines) if (!ADAPTERS[e]) throw new Error(`unknown engine ${e}; known: ${ENGINE_IDS.join(", ")}`);
  return {
    quick,
    rounds: Math.max(5, num("--rounds", quick ? 5 : 7)),
    seconds: num("--seconds", quick ? 0.15 : 1),
    contexts: num("--contexts", quick ? 2_000 : 10_000),
    engines,
    workloads: (value("--workloads")?.split(",") ?? ["W1", "W2"]) as ("W1" | "W2")[],
    load: !argv.includes("--no-load"),
    loadFlags: num("--load-flags", quick ? 1_000 : 10_000),
    loadRepeats: num("--load-repeats", quick ? 1 : 3),
    flagdLoadFlags: num("--flagd-load-flags", 0),
    switchyardFromSource: argv.includes("--switchyard-from-source"),
  };
}

// ---------------------------------------------------------------------------------------------
// Formatting

const fmtInt = (n: number) => Math.round(n).toLocaleString("en-US");
const fmtRate = (n: number | undefined) => (n === undefined ? "—" : fmtInt(n));
const fmtRatio = (n: number | undefined) => (n === undefined || !Number.isFinite(n) ? "n/a" : n.toFixed(2));
const fmtMs = (n: number | undefined) => (n === undefined ? "—" : n >= 100 ? fmtInt(n) : n.toFixed(1));
const fmtMB = (bytes: number | undefined) => (bytes === undefined ? "—" : (bytes / 1048576).toFixed(1));

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ")).join("\n");
}

// ---------------------------------------------------------------------------------------------
// Environment

function git(args: string[]): string {
  try {
    return execFileSync("git", args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "?";
  }
}

function describeMachine() {
  const cpus = os.cpus();
  return {
    date: new Date().toISOString().slice(0, 10),
    cores: os.availableParallelism?.() ?? cpus.length,
    cpu: cpus[0]?.model.trim() ?? "?",
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    kernel: os.release(),
    nodeEnv: process.env.NODE_ENV,
    loadAverage: loadAverage(),
  };
}

/** The machine's 1-minute load average: other processes on shared cores show up here. */
function loadAverage(): string {
  return os.loadavg()[0].toFixed(2);
}

function engineVersion(adapter: EngineAdapter): string {
  if (adapter.id === "switchyard") return `${git(["rev-parse", "--abbrev-ref", "HEAD"])}@${git(["rev-parse", "--short", "HEAD"])}`;
  return packageVersion(adapter.packageName);
}

// ---------------------------------------------------------------------------------------------
// Evaluation benchmark

interface WorkloadResult {
  rates: Partial<Record<EngineId, number[]>>;
  median: Partial<Record<EngineId, number>>;
  perRound: Partial<Record<EngineId, number>>;
  disagreeing: EngineId[];
}

async function agreement(id: EngineId, engine: LoadedEngine, workload: Workload): Promise<boolean> {
  const sample = agreementContexts(workload);
  const ctxs = engine.contexts(sample);
  const served: unknown[][] = workload.flags.map(() => new Array(ctxs.length));
  for (let f = 0; f < workload.flags.length; f++) {
    for (let c = 0; c < ctxs.length; c++) served[f][c] = await engine.evaluate(workload.flags[f].key, ctxs[c]);
  }
  const report = checkAgreement(id, workload, sample, (f, c) => served[f][c] as boolean | string);
  const ok = report.ruleMismatches === 0 && report.fallthroughMismatches === 0 && report.maxSplitDeviation <= 2;
  const shares = Object.entries(report.splitShares).map(([k, v]) => `${k} ${v.toFixed(1)}%`).join(" / ");
  console.log(
    `  ${ok ? "agrees  " : "DISAGREES"} ${id.padEnd(12)} ${report.evaluations} evals, rule mismatches ${report.ruleMismatches}, ` +
      `fall-through mismatches ${report.fallthroughMismatches}, split ${shares} (max deviation ${report.maxSplitDeviation.toFixed(2)} pt)` +
      (report.firstMismatch ? `\n    first mismatch: ${report.firstMismatch}` : ""),
  );
  return ok;
}

async function timeRun(engine: LoadedEngine, flagKeys: string[], ctxs: unknown[], from: number, to: number) {
  const t0 = process.hrtime.bigint();
  const checksum = await engine.run(flagKeys, ctxs, from, to);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { seconds, checksum };
}

async function benchWorkload(name: "W1" | "W2", engines: EngineId[], opts: Options): Promise<WorkloadResult> {
  const workload = buildWorkload(name);
  const flagKeys = workload.flags.map((f) => f.key);
  console.log(`\n== ${name}: ${workload.flags.length} flags, pool of ${fmtInt(opts.contexts)} contexts`);

  const loaded = new Map<EngineId, LoadedEngine>();
  const disagreeing: EngineId[] = [];
  for (const id of engines) {
    const adapter = ADAPTERS[id];
    const payload = adapter.serialize(workload);
    const engine = await adapter.load(adapter.stage ? adapter.stage(payload) : payload, workload);
    if (!(await agreement(id, engine, workload))) disagreeing.push(id);
    loaded.set(id, engine);
  }

  const pool = generateContexts(opts.contexts, 42);
  const ctxs = new Map<EngineId, unknown[]>();
  for (const [id, engine] of loaded) ctxs.set(id, engine.contexts(pool));

  // Warm-up, which also sizes each engine's slice so that a round takes about opts.seconds.
  const chunk = new Map<EngineId, number>();
  const cursor = new Map<EngineId, number>();
  for (const [id, engine] of loaded) {
    const c = ctxs.get(id)!;
    const step = Math.min(50, c.length);
    let evals = 0;
    let seconds = 0;
    let at = 0;
    while (seconds < Math.max(0.05, opts.seconds / 2)) {
      if (at + step > c.length) at = 0;
      collect();
      const r = await timeRun(engine, flagKeys, c, at, at + step);
      seconds += r.seconds;
      evals += step * flagKeys.length;
      at += step;
    }
    const rate = evals / seconds;
    chunk.set(id, Math.max(10, Math.min(c.length, Math.round((rate * opts.seconds) / flagKeys.length))));
    cursor.set(id, at % c.length);
  }

  const rates: Partial<Record<EngineId, number[]>> = {};
  const order = [...loaded.keys()];
  for (let round = 0; round < opts.rounds; round++) {
    for (let k = 0; k < order.length; k++) {
      const id = order[(round + k) % order.length];
      const c = ctxs.get(id)!;
      const n = chunk.get(id)!;
      let from = cursor.get(id)!;
      if (from + n > c.length) from = 0;
      collect();
      const r = await timeRun(loaded.get(id)!, flagKeys, c, from, from + n);
      cursor.set(id, from + n);
      (rates[id] ??= []).push((n * flagKeys.length) / r.seconds);
    }
  }

  const result: WorkloadResult = { rates, median: {}, perRound: {}, disagreeing };
  for (const id of order) {
    const rs = rates[id]!;
    result.median[id] = median(rs);
    result.perRound[id] = chunk.get(id)! * flagKeys.length;
    console.log(
      `  ${id.padEnd(12)} ${fmtRate(result.median[id]).padStart(11)} evals/s  median of ${rs.length} ` +
        `(min ${fmtInt(Math.min(...rs))}, max ${fmtInt(Math.max(...rs))}; ${fmtInt(chunk.get(id)!)} contexts × ${flagKeys.length} flags per round)`,
    );
  }
  for (const engine of loaded.values()) await engine.close();
  return result;
}

// ---------------------------------------------------------------------------------------------
// Load benchmark (child processes)

interface LoadSample {
  engine: string;
  flagCount: number;
  loadMs: number;
  retainedBytes: number;
  payloadBytes: number;
  unavailable?: string;
  error?: string;
}

interface LoadResult {
  loadMs: number;
  retainedBytes: number;
  payloadBytes: number;
  note?: string;
}

let switchyardBuild: "compiled" | "source" = "compiled";
const childPath = path.join(path.dirname(fileURLToPath(import.meta.url)), "load-child.ts");

function loadOnce(id: EngineId, flagCount: number): LoadSample {
  const out = spawnSync(process.execPath, ["--expose-gc", "--import", "tsx", childPath, id, String(flagCount)], {
    encoding: "utf8",
    maxBuffer: 16 * 1024 * 1024,
    env: { ...process.env, NODE_ENV: process.env.NODE_ENV, SWITCHYARD_ENGINE: switchyardBuild },
  });
  const line = out.stdout.trim().split("\n").pop() ?? "";
  try {
    return JSON.parse(line) as LoadSample;
  } catch {
    return { engine: id, flagCount, loadMs: NaN, retainedBytes: NaN, payloadBytes: NaN, error: (out.stderr || out.stdout).slice(-2000) };
  }
}

function loadMedian(id: EngineId, flagCount: number, repeats: number): LoadResult | string {
  const samples: LoadSample[] = [];
  for (let i = 0; i < repeats; i++) {
    const s = loadOnce(id, flagCount);
    if (s.unavailable) return `unavailable: ${s.unavailable}`;
    if (s.error) return `failed: ${s.error}`;
    samples.push(s);
  }
  return {
    loadMs: median(samples.map((s) => s.loadMs)),
    retainedBytes: median(samples.map((s) => s.retainedBytes)),
    payloadBytes: samples[0].payloadBytes,
  };
}

function benchLoad(id: EngineId, opts: Options): LoadResult | string {
  const n = opts.loadFlags;
  const cap = id === "flagd" ? opts.flagdLoadFlags : 0;
  if (cap > 0 && cap < n) {
    // Linear fit through two measured sizes: flagd's load cost grows with the pasted segment copies.
    const a = loadMedian(id, cap, opts.loadRepeats);
    const b = loadMedian(id, 2 * cap, opts.loadRepeats);
    if (typeof a === "string") return a;
    if (typeof b === "string") return b;
    const extrapolate = (ya: number, yb: number) => ya + ((yb - ya) / cap) * (n - cap);
    return {
      loadMs: extrapolate(a.loadMs, b.loadMs),
      retainedBytes: extrapolate(a.retainedBytes, b.retainedBytes),
      payloadBytes: extrapolate(a.payloadBytes, b.payloadBytes),
      note:
        `extrapolated linearly from ${fmtInt(cap)} flags (${fmtMs(a.loadMs)} ms, ${fmtMB(a.retainedBytes)} MB) ` +
        `and ${fmtInt(2 * cap)} flags (${fmtMs(b.loadMs)} ms, ${fmtMB(b.retainedBytes)} MB)`,
    };
  }
  return loadMedian(id, n, opts.loadRepeats);
}

// ---------------------------------------------------------------------------------------------
// Main

async function main() {
  const opts = parseOptions(process.argv.slice(2));
  if (!opts.switchyardFromSource && opts.engines.includes("switchyard")) {
    await buildCompiledEngine();
    ADAPTERS.switchyard = createSwitchyardAdapter(await importCompiledEngine());
  } else switchyardBuild = "source";
  const machine = describeMachine();
  console.log(`Switchyard evaluation benchmark${opts.quick ? " (--quick: smoke run, not for RESULTS.md)" : ""}`);
  console.log(
    `${machine.date} · ${machine.cores} cores (${machine.cpu}) · ${machine.memoryGiB} GiB · Node ${machine.node} · ` +
      `kernel ${machine.kernel} · NODE_ENV=${machine.nodeEnv} · load average ${machine.loadAverage} · ` +
      `gc between rounds: ${typeof gc === "function" ? "yes" : "no (run with --expose-gc)"}`,
  );
  console.log(
    `Switchyard engine: ${switchyardBuild === "compiled" ? "lib/evaluation transpiled by tsc to bench/evaluation/out/engine" : "TypeScript source via tsx (esbuild keepNames)"}`,
  );

  const available: EngineId[] = [];
  const unavailable = new Map<EngineId, string>();
  const versions = new Map<EngineId, string>();
  for (const id of opts.engines) {
    const adapter = ADAPTERS[id];
    versions.set(id, engineVersion(adapter));
    let reason = await adapter.unavailableReason();
    if (!reason) {
      // Probe: a tiny load and one evaluation, so an engine that cannot run here says why.
      try {
        const w = buildWorkload("W1", 1);
        const p = adapter.serialize(w);
        const e = await adapter.load(adapter.stage ? adapter.stage(p) : p, w);
        const [ctx] = e.contexts(generateContexts(1));
        await e.evaluate(w.flags[0].key, ctx);
        await e.close();
      } catch (error) {
        reason = `probe failed: ${(error as Error).message}`;
      }
    }
    if (reason) unavailable.set(id, reason);
    else available.push(id);
    console.log(`  ${id.padEnd(12)} ${versions.get(id)!.padEnd(16)} ${reason ? `UNAVAILABLE — ${reason}` : "ok"}`);
  }

  const results = new Map<"W1" | "W2", WorkloadResult>();
  for (const name of opts.workloads) results.set(name, await benchWorkload(name, available, opts));
  const loadAverageAfterEvaluation = loadAverage();

  const loads = new Map<EngineId, LoadResult | string>();
  let loadAverageAfterLoad = "—";
  if (opts.load) {
    console.log(`\n== Load: ${fmtInt(opts.loadFlags)} W2 flags + one 1,000-key segment, each engine in a fresh process (median of ${opts.loadRepeats})`);
    for (const id of opts.engines) {
      const r = unavailable.has(id) ? `unavailable: ${unavailable.get(id)}` : benchLoad(id, opts);
      loads.set(id, r);
      if (typeof r === "string") console.log(`  ${id.padEnd(12)} ${r}`);
      else
        console.log(
          `  ${id.padEnd(12)} ${fmtMs(r.loadMs).padStart(9)} ms  ${fmtMB(r.retainedBytes).padStart(7)} MB retained  ` +
            `(payload ${fmtMB(r.payloadBytes)} MB)${r.note ? `  [${r.note}]` : ""}`,
        );
    }
    loadAverageAfterLoad = loadAverage();
  }
  const loadAverages = `load average ${machine.loadAverage} at start, ${loadAverageAfterEvaluation} after the evaluation rounds, ${loadAverageAfterLoad} after the load measurements`;
  console.log(`\n${loadAverages} (${machine.cores} cores; the benchmark itself accounts for about 1 while it runs)`);

  // Summary
  const ratioTo = (name: "W1" | "W2", peer: EngineId) => {
    const r = results.get(name);
    const sy = r?.median.switchyard;
    const p = r?.median[peer];
    return sy !== undefined && p !== undefined ? sy / p : undefined;
  };
  const fastestPeer = (name: "W1" | "W2"): EngineId | undefined => {
    const r = results.get(name);
    if (!r) return undefined;
    const peers = (Object.keys(r.median) as EngineId[]).filter((id) => id !== "switchyard" && !r.disagreeing.includes(id));
    return peers.sort((a, b) => r.median[b]! - r.median[a]!)[0];
  };

  const header = ["engine", "version", "W1 evals/s", "W2 evals/s", "Switchyard ÷ engine W1", "W2", `load ${fmtInt(opts.loadFlags)} W2 flags (ms)`, "heap retained (MB)"];
  const rows: string[][] = [header];
  for (const id of opts.engines) {
    const load = loads.get(id);
    rows.push([
      id + (unavailable.has(id) ? " (unavailable)" : ""),
      versions.get(id)!,
      fmtRate(results.get("W1")?.median[id]),
      fmtRate(results.get("W2")?.median[id]),
      id === "switchyard" ? "" : fmtRatio(ratioTo("W1", id)),
      id === "switchyard" ? "" : fmtRatio(ratioTo("W2", id)),
      load && typeof load !== "string" ? fmtMs(load.loadMs) + (load.note ? "*" : "") : "—",
      load && typeof load !== "string" ? fmtMB(load.retainedBytes) + (load.note ? "*" : "") : "—",
    ]);
  }
  console.log("\n== Summary (medians)\n" + table(rows));
  const notes: string[] = [];
  for (const [id, load] of loads) if (typeof load !== "string" && load.note) notes.push(`* ${id}: ${load.note}`);
  for (const [id, reason] of unavailable) notes.push(`${id} unavailable: ${reason}`);
  for (const [name, r] of results) for (const id of r.disagreeing) notes.push(`${name}: ${id} DISAGREES with the reference semantics (excluded from ratios)`);
  if (notes.length) console.log(notes.join("\n"));

  // Markdown for bench/RESULTS.md
  const md: string[] = [];
  md.push(`Run: ${machine.date}, ${machine.cores} cores (${machine.cpu}), ${machine.memoryGiB} GiB, Node ${machine.node}, kernel \`${machine.kernel}\`, NODE_ENV=${machine.nodeEnv}; ` +
    `${opts.rounds} rounds of ~${opts.seconds} s per engine and workload, pool of ${fmtInt(opts.contexts)} contexts; ${loadAverages}.`);
  md.push("");
  md.push(`| ${header.slice(0, 4).join(" | ")} | Switchyard ÷ engine (W1 / W2) | ${header[6]} | ${header[7]} |`);
  md.push(`|${" --- |".repeat(7)}`);
  for (const r of rows.slice(1)) {
    const ratio = r[4] ? `${r[4]} / ${r[5]}` : "—";
    md.push(`| ${r[0]} | ${r[1]} | ${r[2]} | ${r[3]} | ${ratio} | ${r[6]} | ${r[7]} |`);
  }
  if (notes.length) {
    md.push("");
    for (const n of notes) md.push(n.startsWith("*") ? `\\${n}` : n);
  }
  console.log("\n== Markdown for bench/RESULTS.md\n" + md.join("\n"));

  const w1 = fastestPeer("W1");
  const w2 = fastestPeer("W2");
  console.log(`\nfastest peer: W1 ${w1 ?? "n/a"}, W2 ${w2 ?? "n/a"}`);
  const anyDisagreement = [...results.values()].some((r) => r.disagreeing.length > 0);
  if (anyDisagreement) process.exitCode = 1;
  console.log(
    `evaluation ratio vs fastest peer: W1 ${fmtRatio(w1 ? ratioTo("W1", w1) : undefined)} W2 ${fmtRatio(w2 ? ratioTo("W2", w2) : undefined)}`,
  );
}

main().then(
  () => process.exit(process.exitCode ?? 0), // engines may leave timers behind
  (error) => {
    console.error(error);
    console.log("evaluation ratio vs fastest peer: W1 n/a W2 n/a");
    process.exit(1);
  },
);
