/**
 * Where PostgreSQL spends its CPU when storing events: runs the parts of the group write
 * (raw exposures, exposure rollups with and without unique-context bookkeeping, all) separately on a throwaway
 * database and reports the database backends' CPU per 1000 events for each (contention-free:
 * CPU time, not wall time).
 *
 *   npx tsx bench/events/profile-write.ts [--groups 40] [--group 800]
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import pg from "pg";
import { closePrisma, getPrisma, resolveDatabaseConfig } from "@/lib/db";
import { writeEventBatch } from "@/lib/data/events";
import { migrateDatabase } from "@/lib/db/migrate";
import type { AcceptedExposure } from "@/lib/events/compute-rollups";
import { rowsOf } from "@/lib/events/event-writer";
import { createProject } from "@/lib/projects/create-project";

const arg = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : Number.NaN;
  return Number.isFinite(value) ? value : fallback;
};
const GROUPS = arg("groups", 40);
const GROUP = arg("group", 800);
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

async function backendCpuMs(): Promise<number> {
  const rows = await getPrisma().$queryRaw<{ pid: number }[]>`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`;
  let ticks = 0;
  for (const { pid } of rows) {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks * 10;
}

async function main() {
  const name = `switchyard_bench_events_${randomBytes(4).toString("hex")}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
  try {
    await migrateDatabase(resolveDatabaseConfig());
    const project = await createProject({ type: "system", name: "bench" }, { key: "bench-events", name: "Bench", description: "" });
    const environmentId = project.environments[0].id;
    const plans = ["free", "pro", "enterprise"];
    const countries = ["NO", "DE", "US", "JP", "BR", "IN"];
    let seq = 0;
    const group = (): AcceptedExposure[] =>
      Array.from({ length: GROUP }, () => {
        const n = seq++;
        const context = (n * 7919) % 100_000;
        return {
          environmentId,
          flagKey: `flag-${n % 20}`,
          variationKey: context % 2 ? "on" : "off",
          contextKey: `user-${context}`,
          attributes: { plan: plans[context % 3], country: countries[context % 6] },
          at: Date.now(),
        };
      });
    const empty = { rows: [], contexts: [] };
    const parts = {
      raw: (e: AcceptedExposure[]) => ({ exposures: e, exposureRollups: empty, metricRollups: empty }),
      rollups: (e: AcceptedExposure[]) => ({ ...rowsOf([{ environmentId, exposures: e, metrics: [], dimensions: ["plan", "country"] }]), exposures: [] }),
      // The rollup upsert alone, without the unique-context bookkeeping rows.
      nocontexts: (e: AcceptedExposure[]) => {
        const rows = rowsOf([{ environmentId, exposures: e, metrics: [], dimensions: ["plan", "country"] }]);
        return { ...rows, exposures: [], exposureRollups: { rows: rows.exposureRollups.rows, contexts: [] } };
      },
      all: (e: AcceptedExposure[]) => rowsOf([{ environmentId, exposures: e, metrics: [], dimensions: ["plan", "country"] }]),
    };
    for (const round of [1, 2]) {
      for (const [part, make] of Object.entries(parts)) {
        const before = await backendCpuMs();
        const app = process.cpuUsage();
        for (let i = 0; i < GROUPS; i++) await writeEventBatch(make(group()));
        const used = await backendCpuMs() - before;
        const appUsed = process.cpuUsage(app);
        const events = GROUPS * GROUP;
        console.log(
          `round ${round} ${part.padEnd(8)} PostgreSQL ${((used / events) * 1000).toFixed(1)} ms / 1000 events, ` +
            `this process ${(((appUsed.user + appUsed.system) / 1000 / events) * 1000).toFixed(1)} ms / 1000 events`,
        );
      }
    }
  } finally {
    await closePrisma();
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
