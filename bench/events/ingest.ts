/**
 * Event ingestion throughput: batches of 100 exposures through the domain service
 * (lib/events/ingest-events.ts: catalog, stripping, rollups, one transaction per batch) on a fresh
 * PostgreSQL database, with several batches in flight like concurrent SDK requests. Then checks
 * that nothing was lost: stored raw exposures and the overall rollup counts both equal the events
 * accepted. Not part of CI. Target (issue 4): ≥ 20,000 events/s on PostgreSQL.
 *
 *   npx tsx bench/events/ingest.ts [--seconds 15] [--concurrency 16] [--dimensions 2] [--contexts 100000] [--route]
 *
 * --route goes through the route handler instead (a real Request with an SDK key: JSON parsing,
 * zod validation, the overload gate), still in process, without HTTP.
 *
 * BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres) is the server the
 * throwaway database `switchyard_bench_events_*` is created on and dropped from afterwards.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import pg from "pg";
import { POST } from "@/app/api/v1/events/route";
import type { SdkPrincipal } from "@/lib/auth/sdk-key-auth";
import { generateSecret } from "@/lib/auth/tokens";
import { closePrisma, getPrisma, resolveDatabaseConfig } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";
import { ingestEvents } from "@/lib/events/ingest-events";
import { createProject } from "@/lib/projects/create-project";
import type { EventBatchInput, EventBatchResult } from "@/lib/schemas/events";

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : Number.NaN;
  return Number.isFinite(value) ? value : fallback;
}

const SECONDS = arg("seconds", 15);
const CONCURRENCY = arg("concurrency", 16);
const VIA_ROUTE = process.argv.includes("--route");
const DIMENSIONS = Math.min(arg("dimensions", 2), 2);
const CONTEXTS = arg("contexts", 100_000);
const BATCH = 100;
const FLAGS = 20;
const SERVER = process.env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

async function admin(sql: string) {
  const client = new pg.Client({ connectionString: SERVER });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * CPU seconds used so far by this database's server processes (Linux /proc; the server runs on
 * this machine). With the process's own CPU this gives the cost per event independent of what
 * else runs on the machine; the wall-clock rate is not.
 */
async function serverCpuSeconds(): Promise<number | null> {
  try {
    const rows = await getPrisma().$queryRaw<{ pid: number }[]>`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`;
    let ticks = 0;
    for (const { pid } of rows) {
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    }
    return ticks / 100;
  } catch {
    return null;
  }
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main() {
  const name = `switchyard_bench_events_${randomBytes(4).toString("hex")}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
  try {
    await migrateDatabase(resolveDatabaseConfig());
    const prisma = getPrisma();
    const project = await createProject({ type: "system", name: "bench" }, { key: "bench-events", name: "Bench", description: "" });
    const environment = project.environments.find((e) => e.key === "production") ?? project.environments[0];
    await prisma.flag.createMany({
      data: Array.from({ length: FLAGS }, (_, i) => ({
        projectId: project.id,
        key: `flag-${i}`,
        name: `Flag ${i}`,
        kind: "release" as const,
        valueType: "boolean" as const,
        variations: [{ key: "on", value: true }, { key: "off", value: false }],
      })),
    });
    await prisma.attribute.createMany({
      data: [
        { projectId: project.id, key: "plan", type: "string", dashboardDimension: DIMENSIONS >= 1 },
        { projectId: project.id, key: "country", type: "string", dashboardDimension: DIMENSIONS >= 2 },
        { projectId: project.id, key: "email", type: "string", sensitivity: "private" },
      ],
    });
    const principal: SdkPrincipal = {
      keyId: "bench",
      kind: "server",
      projectId: project.id,
      projectKey: project.key,
      environmentId: environment.id,
      environmentKey: environment.key,
    };

    const key = generateSecret("sdk-server");
    await prisma.sdkKey.create({
      data: { projectId: project.id, environmentId: environment.id, kind: "server", name: "bench", prefix: key.prefix, keyHash: key.hash },
    });
    const ingest = async (batch: EventBatchInput): Promise<EventBatchResult> => {
      if (!VIA_ROUTE) return ingestEvents(principal, batch);
      const response = await POST(
        new Request("http://localhost/api/v1/events", {
          method: "POST",
          headers: { authorization: `Bearer ${key.secret}`, "content-type": "application/json" },
          body: JSON.stringify(batch),
        }),
      );
      if (response.status !== 202) throw new Error(`route answered ${response.status}: ${await response.text()}`);
      return (await response.json()) as EventBatchResult;
    };

    const plans = ["free", "pro", "enterprise"];
    const countries = ["NO", "DE", "US", "JP", "BR", "IN"];
    let seq = 0;
    const makeBatch = (): EventBatchInput => ({
      events: Array.from({ length: BATCH }, () => {
        const n = seq++;
        const context = (n * 7919) % CONTEXTS;
        return {
          kind: "exposure" as const,
          flagKey: `flag-${n % FLAGS}`,
          variationKey: context % 2 ? "on" : "off",
          contextKey: `user-${context}`,
          attributes: { plan: plans[context % 3], country: countries[context % 6], email: `user-${context}@example.test` },
          timestamp: Date.now(),
        };
      }),
    });

    // Warm up (connections, plans, catalog cache) outside the measurement.
    await Promise.all(Array.from({ length: CONCURRENCY }, () => ingest(makeBatch())));
    const warmup = CONCURRENCY * BATCH;

    let accepted = 0;
    const latencies: number[] = [];
    const serverBefore = await serverCpuSeconds();
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const deadline = started + SECONDS * 1000;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (performance.now() < deadline) {
          const batch = makeBatch();
          const t0 = performance.now();
          const result = await ingest(batch);
          latencies.push(performance.now() - t0);
          accepted += result.accepted;
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const serverAfter = await serverCpuSeconds();

    const [{ raw, rolled }] = await prisma.$queryRaw<{ raw: number; rolled: number }[]>`
      SELECT (SELECT count(*)::int FROM exposure_events) AS raw,
             (SELECT coalesce(sum(count), 0)::int FROM exposure_rollups WHERE dimension = '') AS rolled`;
    const expected = accepted + warmup;
    latencies.sort((a, b) => a - b);
    console.log(
      `events ingest (${VIA_ROUTE ? "route handler" : "domain service"}): ${accepted} exposures in ${elapsed.toFixed(1)} s, ` +
        `${CONCURRENCY} batches of ${BATCH} in flight, ` +
        `${DIMENSIONS} dashboard dimension(s), ${CONTEXTS} contexts`,
    );
    const perThousand = (ms: number) => ((ms / accepted) * 1000).toFixed(1);
    const server = serverBefore !== null && serverAfter !== null ? perThousand((serverAfter - serverBefore) * 1000) : "n/a";
    console.log(`CPU per 1000 events: this process ${perThousand((cpu.user + cpu.system) / 1000)} ms, PostgreSQL backends ${server} ms`);
    console.log(`batch latency ms: p50 ${percentile(latencies, 50).toFixed(1)}, p99 ${percentile(latencies, 99).toFixed(1)}`);
    console.log(`stored raw ${raw}, rolled up ${rolled}, accepted ${expected}: ${raw === expected && rolled === expected ? "nothing lost" : "MISMATCH"}`);
    console.log(`events/s: ${Math.round(accepted / elapsed)}`);
    if (raw !== expected || rolled !== expected) process.exitCode = 1;
  } finally {
    await closePrisma();
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
