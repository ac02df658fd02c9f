/**
 * Audit log export at 1,000,000 events (issue 6, "Audit log"): time, rows/s and the server
 * process's peak memory for the streamed CSV, JSON and NDJSON exports and for the chain
 * verification, at 100,000 and at 1,000,000 events, on PostgreSQL and on PGlite.
 *
 *   npm run bench:audit-export [-- --rows 1000000 --small 100000 --db postgres,pglite]
 *
 * Per database: a fresh one (PostgreSQL: `switchyard_bench_<random>` on BENCH_POSTGRES_URL or
 * 127.0.0.1:5432, dropped after; PGlite: a temporary data directory, removed after), migrated,
 * one project, then `--small` events bulk-seeded with a valid hash chain (seed-audit.ts). A
 * server process (export-server.ts: the route handlers' functions behind node:http) streams each
 * format to this process over HTTP; then the seed grows to `--rows` and it is measured again.
 *
 * Memory: the server's VmHWM from /proc/<pid>/status, reset before each request (writing 5 to
 * /proc/<pid>/clear_refs), so each figure is that request's own peak. Streaming is proven by the
 * peak staying flat from `--small` to `--rows` events (10× more data, same memory), and the server
 * runs with a V8 heap limit (`--heap-mb`, 256) far below the size of the exported data.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { closePrisma, getPrisma, resolveDatabaseConfig } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";
import { createProject } from "@/lib/projects/create-project";
import { createBenchPostgres } from "../http/postgres";
import { seedAuditEvents, type SeedTarget } from "./seed-audit";

function arg(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && process.argv[at + 1] ? process.argv[at + 1] : fallback;
}

const ROWS = Number(arg("rows", "1000000"));
const SMALL = Number(arg("small", "100000"));
const DATABASES = arg("db", "postgres,pglite").split(",") as ("postgres" | "pglite")[];
const PROJECT = "bench-audit";
const PORT = Number(arg("port", "3391"));
/** Which requests to measure (default all): `--requests csv,json,ndjson,verify`. */
const REQUESTS = arg("requests", "csv,json,ndjson,verify").split(",");
const FORMATS = (["csv", "json", "ndjson"] as const).filter((format) => REQUESTS.includes(format));
/** The server's V8 heap limit: an export that gathered its rows would die here long before 1,000,000. */
const HEAP_MB = Number(arg("heap-mb", "256"));

interface Measurement {
  db: string;
  events: number;
  what: string;
  seconds: number;
  rows: number;
  megabytes: number;
  baselineMb: number;
  peakMb: number;
}

function procStatus(pid: number, field: "VmRSS" | "VmHWM"): number {
  let status = "";
  try {
    status = readFileSync(`/proc/${pid}/status`, "utf8");
  } catch {
    return Number.NaN; // the server is gone; the request reports it
  }
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

async function startServer(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const child = spawn(process.execPath, [`--max-old-space-size=${HEAP_MB}`, "--import", "tsx", path.join(import.meta.dirname, "export-server.ts")], {
    env: { ...env, PORT: String(PORT), PROJECT },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`export server exited (${code}) before it was ready`)));
    child.stdout!.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("ready")) resolve();
    });
  });
  child.once("exit", (code, signal) => {
    if (!stopping.has(child)) console.error(`export server exited unexpectedly (code ${code}, signal ${signal})`);
  });
  return child;
}

const stopping = new WeakSet<ChildProcess>();

async function stopServer(child: ChildProcess) {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  stopping.add(child);
  child.kill("SIGTERM");
  await exited;
}

/** One request: time, bytes, lines, and the server's peak RSS during it. */
async function measure(pid: number, url: string) {
  writeFileSync(`/proc/${pid}/clear_refs`, "5");
  const baselineMb = procStatus(pid, "VmRSS");
  let sampledPeak = baselineMb;
  const sampler = setInterval(() => (sampledPeak = Math.max(sampledPeak, procStatus(pid, "VmRSS") || 0)), 50);
  const started = performance.now();
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new Error(`${url}: HTTP ${response.status}`);
  let bytes = 0;
  let lines = 0;
  let text = "";
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.length;
    for (let i = 0; i < value.length; i++) if (value[i] === 10) lines += 1;
    if (bytes < 4096) text += Buffer.from(value).toString();
  }
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const peakMb = Math.max(sampledPeak, procStatus(pid, "VmHWM"));
  return { seconds, bytes, lines, text, baselineMb, peakMb };
}

async function measureServer(db: string, events: number, chainLength: number, env: NodeJS.ProcessEnv): Promise<Measurement[]> {
  const child = await startServer(env);
  const base = `http://127.0.0.1:${PORT}`;
  const results: Measurement[] = [];
  try {
    // Warm-up: loads every module on the path and opens the pool, outside the measurements.
    await measure(child.pid!, `${base}/export?format=ndjson&action=project.created`);
    for (const format of FORMATS) {
      const run = await measure(child.pid!, `${base}/export?format=${format}`);
      // csv: a header line; json: "[" and "]" lines; ndjson: one line per event.
      const rows = run.lines - (format === "csv" ? 1 : format === "json" ? 2 : 0);
      if (rows !== events) throw new Error(`${db} ${format}: exported ${rows} rows, expected ${events}`);
      results.push({ db, events, what: `export ${format}`, seconds: run.seconds, rows, megabytes: run.bytes / 2 ** 20, baselineMb: run.baselineMb, peakMb: run.peakMb });
      console.log(line(results[results.length - 1]));
    }
    if (!REQUESTS.includes("verify")) return results;
    const verify = await measure(child.pid!, `${base}/verify`);
    const answer = JSON.parse(verify.text) as { ok: boolean; checked: number };
    if (!answer.ok || answer.checked !== chainLength) throw new Error(`${db} verify: ${verify.text}`);
    results.push({ db, events, what: "verify chain", seconds: verify.seconds, rows: answer.checked, megabytes: verify.bytes / 2 ** 20, baselineMb: verify.baselineMb, peakMb: verify.peakMb });
    console.log(line(results[results.length - 1]));
  } finally {
    await stopServer(child);
  }
  return results;
}

const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

function line(m: Measurement): string {
  return `| ${m.db} | ${fmt(m.events)} | ${m.what} | ${fmt(m.seconds, 1)} | ${fmt(m.rows / m.seconds)} | ${fmt(m.megabytes, 1)} | ${fmt(m.baselineMb)} | ${fmt(m.peakMb)} |`;
}

async function benchDatabase(db: "postgres" | "pglite"): Promise<Measurement[]> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  let cleanup: () => Promise<void>;
  if (db === "postgres") {
    const database = await createBenchPostgres();
    env.DATABASE_URL = database.url;
    cleanup = () => database.drop();
  } else {
    const dir = mkdtempSync(path.join(os.tmpdir(), "switchyard-bench-audit-"));
    delete env.DATABASE_URL;
    env.SWITCHYARD_DATA_DIR = dir;
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  }
  // This process seeds through the same configuration, then lets go of it (PGlite: one process at a time).
  const open = () => {
    process.env.DATABASE_URL = env.DATABASE_URL ?? "";
    if (!env.DATABASE_URL) delete process.env.DATABASE_URL;
    process.env.SWITCHYARD_DATA_DIR = env.SWITCHYARD_DATA_DIR ?? "";
    return getPrisma();
  };
  const results: Measurement[] = [];
  try {
    await migrateDatabase(resolveDatabaseConfig(env));
    open();
    const project = await createProject({ type: "system", name: "bench" }, { key: PROJECT, name: "Audit bench", description: "" });
    const target: SeedTarget = { projectId: project.id, environmentIds: project.environments.map((e) => e.id) };
    const start = Date.now() - 400 * 86_400_000;
    let seeded = 0;
    for (const size of SMALL > 0 ? [SMALL, ROWS] : [ROWS]) {
      open();
      const seconds = await seedAuditEvents(target, seeded, size, start);
      seeded = size;
      const events = await getPrisma().auditEvent.count({ where: { projectId: project.id } });
      const chainLength = await getPrisma().auditEvent.count();
      console.log(`${db}: seeded to ${fmt(size)} events in ${fmt(seconds, 1)} s (${fmt(events)} in the project, ${fmt(chainLength)} in the chain)`);
      await closePrisma();
      results.push(...(await measureServer(db, events, chainLength, env)));
    }
  } finally {
    await closePrisma();
    await cleanup();
  }
  return results;
}

async function main() {
  const load = os.loadavg();
  console.log("| database | events | request | seconds | rows/s | MB sent | server RSS before (MB) | server peak RSS (MB) |");
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- |");
  const all: Measurement[] = [];
  for (const db of DATABASES) all.push(...(await benchDatabase(db)));
  const after = os.loadavg();
  console.log("\nall results:");
  for (const m of all) console.log(line(m));
  console.log(`\nmachine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "?"}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
  console.log(`load average (1 min) ${load[0].toFixed(2)} → ${after[0].toFixed(2)}; ${new Date().toISOString()}`);
  for (const db of DATABASES) {
    const peak = (events: number) => Math.max(...all.filter((m) => m.db === db && m.events === events && m.what.startsWith("export")).map((m) => m.peakMb));
    const small = all.find((m) => m.db === db)?.events ?? 0;
    const large = all.filter((m) => m.db === db).at(-1)?.events ?? 0;
    console.log(`${db}: export peak RSS ${fmt(peak(small))} MB at ${fmt(small)} events, ${fmt(peak(large))} MB at ${fmt(large)} events`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
