/**
 * `npm run bench:http` — the evaluation service over HTTP (issue 4, "Performance"), against
 * `@unleash/proxy` in the same run. Starts and stops everything it needs:
 *
 * 1. Embedded database: a fresh data directory (SWITCHYARD_DEMO=0) prepared in-process with the
 *    W1 workload (setup-database.ts), the production server (`next start`; built first when there
 *    is no build or a source file is newer), an SDK key made through REST with an init admin token.
 * 2. The Unleash proxy with the same 100 flags, bootstrapped, in its own process, with nothing
 *    fetched or sent (unleash-proxy-child.ts); an HTTP listener stands in for its upstream and
 *    must receive no request.
 * 3. autocannon with a new random context per request: OFREP bulk and the proxy's frontend
 *    endpoint at 10 and 50 connections (plus the proxy's /proxy/all, which like OFREP bulk returns
 *    every flag), OFREP single-flag at 50. Answers are checked before anything is timed.
 * 4. Propagation: 100 REST changes, each timed until lib/sdk (over SSE) serves the new value.
 * 5. PostgreSQL (fresh database, dropped at the end): two `next start` instances, change through
 *    A, observed on B's stream; event ingestion when `POST /api/v1/events` exists.
 * 6. A report, a markdown table for bench/RESULTS.md, and the summary line.
 *
 * Options: --quick (3 s per measurement, 1 s warm-up, one round), --duration S, --warmup S,
 * --rounds N (of the headline pair, OFREP bulk and the proxy at 50 connections; default 3),
 * --changes N,
 * --rebuild (the production build is otherwise rebuilt only when missing or older than a source),
 * --no-postgres, --events-connections N, --cpu-prof (V8 CPU profiles of the embedded-database
 * server and of the node:http diagnostics, written to the run's log directory), --only <steps> (comma-separated: bulk10, proxy10,
 * bulk50, proxy50, proxyall50, single50, propagation, plain, custom, postgres).
 *
 * `plain` and `custom` are diagnostics: the same OFREP handlers behind a node:http listener
 * (plain-http-child.ts) on the same database, measured like the others, to show what Next's
 * request pipeline costs per request; `custom` also runs Next as a custom server in that process.
 */
import { execSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { createSwitchyardAdapter } from "../evaluation/switchyard";
import { unleashAdapter } from "../evaluation/unleash";
import { packageVersion } from "../evaluation/adapter";
import { buildW1 } from "../evaluation/workloads";
import * as engine from "@/lib/evaluation";
import { EVENTS_PER_BATCH, eventsEndpointAvailable, measureEvents, type EventsResult } from "./events";
import { type LoadResult, measure, randomContext, type RequestShape } from "./load";
import { buildIfNeeded, startServer } from "./next-server";
import { createBenchPostgres, benchPostgresUrl, type BenchPostgres } from "./postgres";
import { freePort, installCleanup, killAllChildren, startChild, stopChild, waitForHttp } from "./processes";
import { measurePropagation, type PropagationResult } from "./propagation";
import { RestClient } from "./rest";
import { BENCH_ENVIRONMENT, BENCH_PROJECT, setupBenchDatabase } from "./setup-database";
import { proxyQuery, verifyOfrep, verifyProxy } from "./verify";

// ---------------------------------------------------------------------------------------------
// Options

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? undefined : process.argv[i + 1];
}
const flag = (name: string) => process.argv.includes(`--${name}`);
const quick = flag("quick");
const DURATION_S = Number(option("duration") ?? (quick ? 3 : 10));
const WARMUP_S = Number(option("warmup") ?? (quick ? 1 : 3));
const CHANGES = Number(option("changes") ?? 100);
/** Rounds of the headline pair (OFREP bulk and the proxy at 50 connections). */
const ROUNDS = Math.max(1, Number(option("rounds") ?? (quick ? 1 : 3)));
const WITH_POSTGRES = !flag("no-postgres");
const EVENTS_CONNECTIONS = Number(option("events-connections") ?? 16);
const CPU_PROF = flag("cpu-prof");
/** `--only bulk50,single50`: run only these steps (profiling); ids below and in the header. */
const ONLY = option("only")?.split(",").map((id) => id.trim());
const STEPS = ["bulk10", "proxy10", "bulk50", "proxy50", "proxyall50", "single50", "propagation", "plain", "custom", "postgres"];
if (ONLY?.some((id) => !STEPS.includes(id))) throw new Error(`--only takes ${STEPS.join(", ")}`);
const selected = (id: string) => !ONLY || ONLY.includes(id);
/** High enough that the per-key limit never answers 429 during the benchmark. */
const OFREP_RATE_LIMIT = "1000000000";

const log = (line: string) => console.log(`bench:http: ${line}`);

// ---------------------------------------------------------------------------------------------
// State the cleanup needs

let postgres: BenchPostgres | null = null;
let workDir = "";
let dataDir = "";

async function cleanup(): Promise<void> {
  killAllChildren();
  if (postgres) {
    const db = postgres;
    postgres = null;
    await db.drop().catch((error) => console.error(`bench:http: could not drop ${db.name}: ${(error as Error).message}`));
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------
// Request shapes

function ofrepBulk(sdkKey: string): RequestShape {
  return {
    method: "POST",
    headers: { Authorization: `Bearer ${sdkKey}`, "Content-Type": "application/json" },
    next: () => ({ path: "/ofrep/v1/evaluate/flags", body: JSON.stringify({ context: randomContext() }) }),
  };
}

function ofrepSingle(sdkKey: string, flagKeys: string[]): RequestShape {
  return {
    method: "POST",
    headers: { Authorization: `Bearer ${sdkKey}`, "Content-Type": "application/json" },
    next: () => ({
      path: `/ofrep/v1/evaluate/flags/${flagKeys[Math.floor(Math.random() * flagKeys.length)]}`,
      body: JSON.stringify({ context: randomContext() }),
    }),
  };
}

function proxyFrontend(clientKey: string, endpoint: "/proxy" | "/proxy/all"): RequestShape {
  return {
    method: "GET",
    headers: { Authorization: clientKey },
    next: () => ({ path: `${endpoint}?${proxyQuery(randomContext())}` }),
  };
}

// ---------------------------------------------------------------------------------------------
// Reporting

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits }) : "—");

function loadRow(r: LoadResult): string {
  const bad = r.errors + r.timeouts + r.non2xx;
  const codes = Object.entries(r.statusCodes).map(([c, n]) => `${c}×${n}`).join(" ");
  return `| ${r.label} | ${r.connections} | ${fmt(r.rpsMean)} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${fmt(r.max)} | ${bad} (${codes}) | ${r.targetCpuPercent === null ? "—" : fmt(r.targetCpuPercent)} % | ${r.targetCpuMsPerRequest === null ? "—" : fmt(r.targetCpuMsPerRequest, 2)} | ${fmt(r.loadGenCpuPercent)} % | ${r.machineBusyPercent === null ? "—" : fmt(r.machineBusyPercent)} % | ${r.loadAverage.map((l) => l.toFixed(2)).join(" ")} |`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** One round as it is; several as a row of per-figure medians, added to the table after them. */
function medianResult(rounds: LoadResult[], label: string, table: LoadResult[]): LoadResult | undefined {
  if (rounds.length <= 1) return rounds[0];
  const m = (pick: (r: LoadResult) => number | null) => {
    const values = rounds.map(pick).filter((v): v is number => v !== null);
    return values.length ? median(values) : null;
  };
  const statusCodes: Record<string, number> = {};
  for (const r of rounds) for (const [code, n] of Object.entries(r.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + n;
  const result: LoadResult = {
    ...rounds[0],
    label: `**${label}, median of ${rounds.length} rounds**`,
    requests: rounds.reduce((sum, r) => sum + r.requests, 0),
    rpsMean: m((r) => r.rpsMean)!,
    rpsStddev: m((r) => r.rpsStddev)!,
    p50: m((r) => r.p50)!,
    p90: m((r) => r.p90)!,
    p99: m((r) => r.p99)!,
    max: Math.max(...rounds.map((r) => r.max)),
    errors: rounds.reduce((sum, r) => sum + r.errors, 0),
    timeouts: rounds.reduce((sum, r) => sum + r.timeouts, 0),
    non2xx: rounds.reduce((sum, r) => sum + r.non2xx, 0),
    statusCodes,
    targetCpuPercent: m((r) => r.targetCpuPercent),
    targetCpuMsPerRequest: m((r) => r.targetCpuMsPerRequest),
    loadGenCpuPercent: m((r) => r.loadGenCpuPercent)!,
    machineBusyPercent: m((r) => r.machineBusyPercent),
    loadAverage: rounds[rounds.length - 1].loadAverage,
  };
  table.push(result);
  return result;
}

function gitDescribe(): string {
  try {
    const commit = execSync("git rev-parse --short HEAD", { encoding: "utf8" }).trim();
    const dirty = execSync("git status --porcelain", { encoding: "utf8" }).trim() ? " (with uncommitted changes)" : "";
    return `${commit}${dirty}`;
  } catch {
    return "unknown";
  }
}

function summarizeProfiles(dir: string): string[] {
  const files = readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"));
  return files.map((f) => path.join(dir, f));
}

// ---------------------------------------------------------------------------------------------

async function main() {
  installCleanup(cleanup);
  const startedAt = new Date();
  const loadStart = os.loadavg();
  workDir = mkdtempSync(path.join(os.tmpdir(), "switchyard-bench-http-"));
  log(`logs and scratch in ${workDir}`);

  const build = buildIfNeeded(log, flag("rebuild"));
  const workload = buildW1();
  const flagKeys = workload.flags.map((f) => f.key);
  const adminToken = `sy_bench_admin_${randomBytes(24).toString("hex")}`;
  const nextauthSecret = randomBytes(32).toString("base64");
  const serverEnv = { SWITCHYARD_DEMO: "0", NEXTAUTH_SECRET: nextauthSecret, SWITCHYARD_OFREP_RATE_LIMIT: OFREP_RATE_LIMIT };

  // The peer's "upstream": counts any request the proxy makes (there must be none).
  let upstreamRequests = 0;
  const upstream = http.createServer((request, response) => {
    upstreamRequests++;
    log(`the Unleash proxy contacted its upstream: ${request.method} ${request.url}`);
    response.statusCode = 503;
    response.end();
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  const upstreamUrl = `http://127.0.0.1:${(upstream.address() as { port: number }).port}`;

  // 1. Embedded database and server.
  dataDir = path.join(workDir, "data");
  const setupStarted = performance.now();
  const setup = await setupBenchDatabase({ kind: "pglite", dataDir }, workload, adminToken);
  log(`embedded database ready: ${setup.migrations} migrations, project ${setup.projectKey}, ${setup.flags} flags in ${setup.environmentKey} (${fmt((performance.now() - setupStarted) / 1000, 1)} s)`);
  const profileDir = path.join(workDir, "cpu-profiles");
  const server = await startServer({
    name: "switchyard",
    logFile: path.join(workDir, "switchyard.log"),
    env: { ...serverEnv, SWITCHYARD_DATA_DIR: dataDir },
    cpuProfileDir: CPU_PROF ? profileDir : undefined,
  });
  log(`switchyard (next start) at ${server.origin}`);
  const rest = new RestClient(server.origin, adminToken, BENCH_PROJECT, BENCH_ENVIRONMENT);
  const sdkKey = await rest.createSdkKey("server", "bench-http");

  // 2. The peer.
  const proxyPort = await freePort();
  const proxyKey = `bench-proxy-${randomBytes(12).toString("hex")}`;
  const proxy = startChild("unleash-proxy", process.execPath, ["--import", "tsx", path.join("bench", "http", "unleash-proxy-child.ts")], {
    logFile: path.join(workDir, "unleash-proxy.log"),
    env: { ...process.env, NODE_ENV: "production", PORT: String(proxyPort), CLIENT_KEY: proxyKey, UPSTREAM_URL: upstreamUrl },
  });
  const proxyOrigin = `http://127.0.0.1:${proxyPort}`;
  await waitForHttp(`${proxyOrigin}/proxy/health`, proxy, 60_000);
  log(`@unleash/proxy at ${proxyOrigin} (upstream stand-in ${upstreamUrl})`);

  // Answers first.
  const switchyardLocal = createSwitchyardAdapter(engine);
  const w1Switchyard = await switchyardLocal.load(switchyardLocal.serialize(workload), workload);
  const w1Unleash = await unleashAdapter.load(unleashAdapter.serialize(workload), workload);
  log(await verifyOfrep(server.origin, sdkKey, flagKeys, w1Switchyard));
  log(await verifyProxy(proxyOrigin, proxyKey, flagKeys, w1Unleash));

  // 3. Throughput and latency.
  const serverPgid = server.child.process.pid!;
  const proxyPgid = proxy.process.pid!;
  const timing = { durationS: DURATION_S, warmupS: WARMUP_S };
  const results: LoadResult[] = [];
  const run = async (label: string, origin: string, shape: RequestShape, connections: number, pgid: number) => {
    log(`${label} at ${connections} connections: ${WARMUP_S} s warm-up, ${DURATION_S} s measured…`);
    const result = await measure(label, origin, shape, { ...timing, connections, targetPgid: pgid });
    log(`  ${fmt(result.rpsMean)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, errors/non-2xx ${result.errors + result.timeouts + result.non2xx}, target CPU ${result.targetCpuPercent === null ? "?" : fmt(result.targetCpuPercent)} % (${result.targetCpuMsPerRequest === null ? "?" : fmt(result.targetCpuMsPerRequest, 2)} ms per request)`);
    results.push(result);
    return result;
  };
  const bulkShape = ofrepBulk(sdkKey);
  const proxyShape = proxyFrontend(proxyKey, "/proxy");
  const step = (id: string, label: string, origin: string, shape: RequestShape, connections: number, pgid: number) =>
    selected(id) ? run(label, origin, shape, connections, pgid) : Promise.resolve(undefined);
  await step("bulk10", "OFREP bulk (100 flags)", server.origin, bulkShape, 10, serverPgid);
  await step("proxy10", "unleash-proxy /proxy", proxyOrigin, proxyShape, 10, proxyPgid);
  // The headline pair, in ROUNDS interleaved rounds (ABBA order, so a drift in the machine's load
  // affects both alike); each figure reported for it is the median over the rounds.
  const bulkRounds: LoadResult[] = [];
  const proxyRounds: LoadResult[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const tag = ROUNDS > 1 ? ` (round ${round})` : "";
    const pair = [
      async () => bulkRounds.push((await step("bulk50", `OFREP bulk (100 flags)${tag}`, server.origin, bulkShape, 50, serverPgid))!),
      async () => proxyRounds.push((await step("proxy50", `unleash-proxy /proxy${tag}`, proxyOrigin, proxyShape, 50, proxyPgid))!),
    ];
    for (const measureOne of round % 2 === 1 ? pair : [...pair].reverse()) await measureOne();
  }
  const bulk50 = medianResult(bulkRounds.filter(Boolean), "OFREP bulk (100 flags)", results);
  const proxy50 = medianResult(proxyRounds.filter(Boolean), "unleash-proxy /proxy", results);
  const roundRatios = bulkRounds.filter(Boolean).map((b, i) => b.rpsMean / proxyRounds[i]?.rpsMean);
  const proxyAll50 = await step("proxyall50", "unleash-proxy /proxy/all", proxyOrigin, proxyFrontend(proxyKey, "/proxy/all"), 50, proxyPgid);
  const single50 = await step("single50", "OFREP single flag", server.origin, ofrepSingle(sdkKey, flagKeys), 50, serverPgid);
  await stopChild(proxy);

  // 4. Propagation on one instance.
  let propagation: PropagationResult | undefined;
  if (selected("propagation")) {
    log(`propagation on one instance: ${CHANGES} changes…`);
    propagation = await measurePropagation({ writer: rest, streamOrigin: server.origin, sdkKey, flagKeys, changes: CHANGES });
    log(`  p50 ${fmt(propagation.p50, 1)} ms, p99 ${fmt(propagation.p99, 1)} ms, missed ${propagation.missed}`);
  }
  await stopChild(server.child, 15_000);
  const profiles = CPU_PROF ? summarizeProfiles(profileDir) : [];

  // Diagnostics: the same handlers without Next's route pipeline (the server above released the
  // database): bare, then as a custom server with Next serving every other path in the process.
  for (const mode of ["bare", "with-next"] as const) {
    const id = mode === "bare" ? "plain" : "custom";
    if (!selected(id)) continue;
    const what = mode === "bare" ? "plain node:http" : "node:http + Next custom server";
    const plainPort = await freePort();
    const profileArgs = CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${path.join(workDir, `cpu-profiles-${id}`)}`] : [];
    const plain = startChild(id, process.execPath, [...profileArgs, "--import", "tsx", path.join("bench", "http", "plain-http-child.ts")], {
      logFile: path.join(workDir, `${id}.log`),
      env: { ...process.env, ...serverEnv, NODE_ENV: "production", SWITCHYARD_DATA_DIR: dataDir, PORT: String(plainPort), MODE: mode },
    });
    const plainOrigin = `http://127.0.0.1:${plainPort}`;
    await waitForHttp(`${plainOrigin}/health`, plain, 120_000);
    log(`diagnostic: OFREP handlers on ${what} at ${plainOrigin}`);
    log(await verifyOfrep(plainOrigin, sdkKey, flagKeys, w1Switchyard));
    if (mode === "with-next") {
      const health = await fetch(`${plainOrigin}/api/health`);
      if (!health.ok) throw new Error(`the custom server's Next did not serve /api/health (${health.status})`);
      await health.arrayBuffer();
    }
    const plainPgid = plain.process.pid!;
    await run(`diagnostic: OFREP bulk, ${what}`, plainOrigin, bulkShape, 50, plainPgid);
    await run(`diagnostic: OFREP single, ${what}`, plainOrigin, ofrepSingle(sdkKey, flagKeys), 50, plainPgid);
    await stopChild(plain, 10_000);
  }

  // 5. PostgreSQL.
  let propagationPg: PropagationResult | null = null;
  let events: EventsResult | null = null;
  let eventsNote = "";
  let postgresNote = "";
  if (WITH_POSTGRES && selected("postgres")) {
    try {
      postgres = await createBenchPostgres();
      log(`PostgreSQL database ${postgres.name} on ${benchPostgresUrl().replace(/\/\/([^:@/]+):[^@]*@/, "//$1:***@")}`);
      const pgSetup = await setupBenchDatabase({ kind: "postgres", url: postgres.url }, workload, adminToken);
      const pgEnv = { ...serverEnv, DATABASE_URL: postgres.url };
      const [a, b] = await Promise.all([
        startServer({ name: "switchyard-a", logFile: path.join(workDir, "switchyard-pg-a.log"), env: pgEnv }),
        startServer({ name: "switchyard-b", logFile: path.join(workDir, "switchyard-pg-b.log"), env: pgEnv }),
      ]);
      log(`two instances on PostgreSQL: A ${a.origin}, B ${b.origin}`);
      const restA = new RestClient(a.origin, adminToken, BENCH_PROJECT, BENCH_ENVIRONMENT);
      const pgKey = await restA.createSdkKey("server", "bench-http-pg");
      log(`propagation across instances (change through A, B's stream): ${CHANGES} changes…`);
      propagationPg = await measurePropagation({ writer: restA, streamOrigin: b.origin, sdkKey: pgKey, flagKeys, changes: CHANGES });
      log(`  p50 ${fmt(propagationPg.p50, 1)} ms, p99 ${fmt(propagationPg.p99, 1)} ms, missed ${propagationPg.missed}`);
      if (await eventsEndpointAvailable(a.origin, pgKey)) {
        log(`event ingestion on A: batches of ${EVENTS_PER_BATCH} at ${EVENTS_CONNECTIONS} connections…`);
        await stopChild(b.child);
        events = await measureEvents({
          origin: a.origin,
          sdkKey: pgKey,
          flagKeys,
          environmentId: pgSetup.environmentId,
          db: postgres,
          connections: EVENTS_CONNECTIONS,
          durationS: DURATION_S,
          warmupS: WARMUP_S,
          serverPgid: a.child.process.pid,
        });
        log(`  ${fmt(events.eventsPerSecond)} events/s accepted; rolled up ${events.rolledUp} of ${events.acceptedTotal} accepted`);
      } else {
        eventsNote = "endpoint not available";
        log("POST /api/v1/events answers 404 on this build: events n/a (endpoint not available)");
      }
      await Promise.all([stopChild(a.child, 15_000), stopChild(b.child, 15_000)]);
    } catch (error) {
      postgresNote = (error as Error).message;
      eventsNote ||= `PostgreSQL phase failed: ${postgresNote}`;
      log(`PostgreSQL phase failed: ${postgresNote}`);
    } finally {
      killAllChildren();
      if (postgres) {
        await postgres.drop();
        log(`dropped ${postgres.name}`);
        postgres = null;
      }
    }
  } else {
    eventsNote = "PostgreSQL phase skipped";
  }
  upstream.close();
  const loadEnd = os.loadavg();

  // 6. Report.
  const ratio = roundRatios.length ? median(roundRatios) : NaN;
  const cpus = os.cpus();
  const versions = {
    node: process.version,
    next: packageVersion("next"),
    "@unleash/proxy": packageVersion("@unleash/proxy"),
    "unleash-client": packageVersion("unleash-client"),
    autocannon: packageVersion("autocannon"),
  };
  console.log("\n## HTTP evaluation service — this run\n");
  console.log(`Date ${startedAt.toISOString()}; machine ${cpus.length} × ${cpus[0]?.model.trim()}, ${fmt(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}`);
  console.log(`Load average (1/5/15 min) at start ${loadStart.map((l) => l.toFixed(2)).join(" ")}, at end ${loadEnd.map((l) => l.toFixed(2)).join(" ")}`);
  console.log(`Versions: ${Object.entries(versions).map(([k, v]) => `${k} ${v}`).join(", ")}; bench ${gitDescribe()}; Switchyard build ${build.buildId} (${build.how})`);
  console.log(`Each measurement: ${WARMUP_S} s warm-up, ${DURATION_S} s measured; a new random context per request; loopback; autocannon in this process.`);
  console.log(`Unleash proxy upstream requests: ${upstreamRequests} (must be 0)\n`);
  console.log("| endpoint | connections | req/s (mean) | p50 ms | p99 ms | max ms | errors + non-2xx | target CPU | target CPU ms / request | autocannon CPU | machine busy | load avg after |");
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const r of results) console.log(loadRow(r));
  console.log("");
  const allRatio = bulk50 && proxyAll50 ? bulk50.rpsMean / proxyAll50.rpsMean : NaN;
  console.log(
    `Ratios at 50 connections: OFREP bulk ÷ proxy /proxy ${fmt(ratio, 2)}${roundRatios.length > 1 ? ` (median of the rounds' ratios ${roundRatios.map((r) => r.toFixed(2)).join(", ")})` : ""}; ` +
      `OFREP bulk (median) ÷ proxy /proxy/all ${fmt(allRatio, 2)}`,
  );
  if (bulk50 && proxy50) {
    console.log(`Target bulk ≥ 2× proxy at 50 connections with p99 < 50 ms: ${ratio >= 2 && bulk50.p99 < 50 ? "met" : "NOT met"} (${ratio.toFixed(2)}×, p99 ${bulk50.p99} ms)`);
  }
  if (single50) console.log(`Target single p99 < 20 ms: ${single50.p99 < 20 ? "met" : "NOT met"} (${single50.p99} ms)`);
  console.log("");
  console.log("| propagation | changes | p50 ms | p99 ms | max ms | missed | PUT p50 ms | PUT p99 ms | target |");
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
  const propRow = (label: string, p: PropagationResult, target: number) =>
    `| ${label} | ${p.changes} | ${fmt(p.p50, 1)} | ${fmt(p.p99, 1)} | ${fmt(p.max, 1)} | ${p.missed} | ${fmt(p.putP50, 1)} | ${fmt(p.putP99, 1)} | p99 < ${target} ms: ${p.p99 < target && p.missed === 0 ? "met" : "NOT met"} |`;
  if (propagation) console.log(propRow("one instance, embedded database", propagation, 250));
  if (propagationPg) console.log(propRow("two instances, PostgreSQL (A → B)", propagationPg, 1000));
  else console.log(`| two instances, PostgreSQL | — | — | — | — | — | — | — | not measured: ${postgresNote || "skipped"} |`);
  console.log("");
  if (events) {
    console.log(
      `Events (PostgreSQL, one instance, ${events.connections} connections, batches of ${EVENTS_PER_BATCH}): ${fmt(events.eventsPerSecond)} events/s accepted ` +
        `(${fmt(events.batchesPerSecond)} batches/s, p50 ${fmt(events.p50)} ms, p99 ${fmt(events.p99)} ms, server CPU ${events.serverCpuPercent === null ? "?" : fmt(events.serverCpuPercent)} %, ` +
        `PostgreSQL backends of this database ${events.postgresCpuPercent === null ? "?" : fmt(events.postgresCpuPercent)} %, machine busy ${events.machineBusyPercent === null ? "?" : fmt(events.machineBusyPercent)} % of ${os.cpus().length} cores); ` +
        `refused batches (429/503, retried) ${events.refusedBatches}, failed ${events.failedBatches}, unanswered ${events.errors}; ` +
        `accepted ${events.acceptedTotal}, rolled up ${events.rolledUp}, raw rows ${events.rawRows}: ${events.consistent ? "nothing lost" : "MISMATCH"}; target ≥ 20,000 events/s: ${events.eventsPerSecond >= 20_000 ? "met" : "NOT met"}`,
    );
  } else console.log(`Events: n/a (${eventsNote})`);
  if (profiles.length) console.log(`\nCPU profiles of the embedded-database server: ${profiles.join(", ")} (summarise with: npx tsx bench/http/profile-summary.ts <file>)`);
  for (const id of ["plain", "custom"]) {
    if (CPU_PROF && selected(id)) console.log(`CPU profiles of the ${id} diagnostic: ${summarizeProfiles(path.join(workDir, `cpu-profiles-${id}`)).join(", ")}`);
  }
  console.log(`Logs: ${workDir}\n`);

  const eventsFigure = events ? fmt(events.eventsPerSecond) : `n/a (${eventsNote})`;
  console.log(
    `ofrep bulk rps ratio vs unleash-proxy: ${Number.isFinite(ratio) ? ratio.toFixed(2) : "n/a"}; ofrep single p99 ms: ${single50?.p99 ?? "n/a"}; propagation p99 ms: ${propagation ? fmt(propagation.p99, 1) : "n/a"}; events/s: ${eventsFigure}`,
  );
}

main()
  .then(async () => {
    await cleanup();
    process.exit(0);
  })
  .catch(async (error) => {
    console.error(`bench:http: failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    if (workDir) console.error(`bench:http: logs in ${workDir}`);
    await cleanup();
    process.exit(1);
  });
