/**
 * Load generation with autocannon (programmatic, in this process): a fresh random context on every
 * request, a warm-up that is thrown away, then a measured run of fixed duration. While the
 * measured run lasts, the CPU time of the target's process group is sampled from /proc, so the
 * report can say whether the target saturated a core.
 */
import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import autocannon from "autocannon";
import { COUNTRIES, PLANS } from "../evaluation/workloads";

// A type literal rather than an interface, so it is assignable to EvaluationContext's index signature.
export type BenchContextInput = {
  targetingKey: string;
  plan: string;
  country: string;
};

/** Keys from a space of a million, so caches keyed by context (none exist) could not help. */
export function randomContext(): BenchContextInput {
  return {
    targetingKey: `user-${Math.floor(Math.random() * 1_000_000)}`,
    plan: PLANS[Math.floor(Math.random() * PLANS.length)],
    country: COUNTRIES[Math.floor(Math.random() * COUNTRIES.length)],
  };
}

export interface RequestShape {
  method: "GET" | "POST";
  /** Called for every request. */
  next(): { path: string; body?: string };
  headers: Record<string, string>;
  /** Called with every response's status and body (slows autocannon down; use sparingly). */
  onResponse?: (status: number, body: string) => void;
}

export interface LoadResult {
  label: string;
  connections: number;
  durationS: number;
  requests: number;
  rpsMean: number;
  rpsStddev: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodes: Record<string, number>;
  /** CPU used by the target's process group during the measured run, in % of one core. */
  targetCpuPercent: number | null;
  /**
   * The target's CPU time per response, ms: what a request costs the server, which contention
   * from other processes inflates far less than latency or throughput.
   */
  targetCpuMsPerRequest: number | null;
  /** CPU used by this process (autocannon) during the run, in % of one core. */
  loadGenCpuPercent: number;
  /** How busy the whole machine was (all cores, every process) during the measured run, %. */
  machineBusyPercent: number | null;
  loadAverage: [number, number, number];
}

const CLOCK_TICKS = 100; // USER_HZ on Linux

/** Busy and total CPU time of the whole machine (all cores) from /proc/stat, in seconds. */
export function machineCpuSeconds(): { busy: number; total: number } | null {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n")[0];
    const ticks = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = ticks[3] + (ticks[4] ?? 0); // idle + iowait
    const total = ticks.slice(0, 8).reduce((a, b) => a + b, 0); // without guest time, counted in user
    return { busy: (total - idle) / CLOCK_TICKS, total: total / CLOCK_TICKS };
  } catch {
    return null;
  }
}

/** Share of the machine's CPU (all cores) that was busy between two readings, in %. */
export function machineBusyPercent(before: ReturnType<typeof machineCpuSeconds>, after: ReturnType<typeof machineCpuSeconds>): number | null {
  if (!before || !after || after.total <= before.total) return null;
  return (100 * (after.busy - before.busy)) / (after.total - before.total);
}

/** utime + stime of one process, in seconds (null when it is gone). */
export function processCpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

/** utime + stime of every process whose process group is `pgid`, in seconds. */
export function groupCpuSeconds(pgid: number): number | null {
  let ticks = 0;
  let found = false;
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return null;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue;
    }
    // Fields after the command name, which is in parentheses and may contain spaces.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(fields[2]) !== pgid) continue; // field 5: pgrp
    found = true;
    ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
  }
  return found ? ticks / CLOCK_TICKS : null;
}

/** One autocannon run (no warm-up, no CPU sampling). */
export function runLoad(url: string, shape: RequestShape, connections: number, durationS: number) {
  const { method, headers, onResponse } = shape;
  return autocannon({
    url,
    connections,
    duration: durationS,
    pipelining: 1,
    timeout: 10,
    requests: [
      {
        method,
        headers,
        setupRequest: (request) => {
          const { path, body } = shape.next();
          return { ...request, path, ...(body !== undefined ? { body } : {}) };
        },
        ...(onResponse ? { onResponse: (status: number, body: string) => onResponse(status, body) } : {}),
      },
    ],
  });
}

export async function measure(
  label: string,
  origin: string,
  shape: RequestShape,
  options: { connections: number; durationS: number; warmupS: number; targetPgid?: number },
): Promise<LoadResult> {
  if (options.warmupS > 0) await runLoad(origin, { ...shape, onResponse: undefined }, options.connections, options.warmupS);
  const cpuBefore = options.targetPgid ? groupCpuSeconds(options.targetPgid) : null;
  const selfBefore = process.cpuUsage();
  const machineBefore = machineCpuSeconds();
  const started = process.hrtime.bigint();
  const result = await runLoad(origin, shape, options.connections, options.durationS);
  const elapsedS = Number(process.hrtime.bigint() - started) / 1e9;
  const cpuAfter = options.targetPgid ? groupCpuSeconds(options.targetPgid) : null;
  const self = process.cpuUsage(selfBefore);
  const machineAfter = machineCpuSeconds();
  const statusCodes: Record<string, number> = {};
  for (const [code, stats] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = stats.count;
  return {
    label,
    connections: options.connections,
    durationS: options.durationS,
    requests: result.requests.total,
    rpsMean: result.requests.mean,
    rpsStddev: result.requests.stddev,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statusCodes,
    targetCpuPercent: cpuBefore !== null && cpuAfter !== null ? (100 * (cpuAfter - cpuBefore)) / elapsedS : null,
    targetCpuMsPerRequest: cpuBefore !== null && cpuAfter !== null && result.requests.total > 0 ? (1000 * (cpuAfter - cpuBefore)) / result.requests.total : null,
    loadGenCpuPercent: (100 * (self.user + self.system)) / 1e6 / elapsedS,
    machineBusyPercent: machineBusyPercent(machineBefore, machineAfter),
    loadAverage: os.loadavg() as [number, number, number],
  };
}
