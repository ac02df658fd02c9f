/**
 * Which indexes the audit page's filters use at 1,000,000 events: EXPLAIN ANALYZE of the exact
 * queries the app sends (lib/data/audit-events.ts: the first page of the list, newest first,
 * and one export batch), one line per filter with the plan's scans and the execution time.
 *
 *   npx tsx bench/audit/explain.ts [-- --rows 1000000 --db postgres|pglite --plans]
 *
 * A fresh database (PostgreSQL dropped after, or a temporary PGlite directory), migrated, with
 * `--rows` events in the measured project after a tenth as many in a second project (so the
 * project condition is a real filter, as on a shared instance).
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { closePrisma, getPrisma, Prisma, resolveDatabaseConfig } from "@/lib/db";
import { auditExportBatchQuery, auditPageQuery, type AuditFilter } from "@/lib/data/audit-events";
import { migrateDatabase } from "@/lib/db/migrate";
import { createProject } from "@/lib/projects/create-project";
import { createBenchPostgres } from "../http/postgres";
import { seedAuditEvents } from "./seed-audit";

function arg(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && process.argv[at + 1] ? process.argv[at + 1] : fallback;
}

const ROWS = Number(arg("rows", "1000000"));
const DB = arg("db", "postgres");
const SHOW_PLANS = process.argv.includes("--plans");
const DAY = 86_400_000;

async function explain(query: Prisma.Sql): Promise<{ ms: number; scans: string; plan: string }> {
  const rows = await getPrisma().$queryRaw<{ "QUERY PLAN": string }[]>(Prisma.sql`EXPLAIN (ANALYZE, COSTS OFF) ${query}`);
  const plan = rows.map((r) => r["QUERY PLAN"]).join("\n");
  const ms = Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? Number.NaN);
  const scans = [...plan.matchAll(/(Index Only Scan(?: Backward)? using \S+|Index Scan(?: Backward)? using \S+|Bitmap Index Scan on \S+|Seq Scan on \S+)/g)].map((m) => m[1].replace(/ on audit_events$/, ""));
  return { ms, scans: [...new Set(scans)].join(" + ").replace(/audit_events_/g, "") || "?", plan };
}

async function main() {
  let cleanup: () => Promise<void>;
  if (DB === "postgres") {
    const database = await createBenchPostgres();
    process.env.DATABASE_URL = database.url;
    cleanup = () => database.drop();
  } else {
    const dir = mkdtempSync(path.join(os.tmpdir(), "switchyard-bench-audit-explain-"));
    delete process.env.DATABASE_URL;
    process.env.SWITCHYARD_DATA_DIR = dir;
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  }
  try {
    await migrateDatabase(resolveDatabaseConfig());
    const system = { type: "system", name: "bench" } as const;
    const project = await createProject(system, { key: "bench-audit", name: "Audit bench", description: "" });
    const other = await createProject(system, { key: "bench-other", name: "Other", description: "" });
    const start = Date.now() - 400 * DAY;
    // The other project's events first: the newest ones are the measured project's, as when it is the busy one.
    await seedAuditEvents({ projectId: other.id, environmentIds: other.environments.map((e) => e.id) }, ROWS, ROWS + ROWS / 10, start);
    const seconds = await seedAuditEvents({ projectId: project.id, environmentIds: project.environments.map((e) => e.id) }, 0, ROWS, start);
    console.log(`${DB}: ${ROWS.toLocaleString("en-US")} events seeded in ${seconds.toFixed(1)} s`);
    const production = project.environments.find((e) => e.key === "production")!.id;
    const dayAgo = (days: number) => new Date(Date.now() - days * DAY);
    const cases: [string, AuditFilter][] = [
      ["no filter", {}],
      ["actor (one of 20)", { actorLabel: "user7@example.test" }],
      ["actor (absent)", { actorLabel: "nobody@example.test" }],
      ["entity type + key", { entityType: "flag", entityKey: "flag-1234" }],
      ["entity type", { entityType: "member" }],
      ["action (exact)", { action: { exact: "kill_switch.pulled" } }],
      ["action (prefix change_request.)", { action: { prefix: "change_request." } }],
      ["environment", { environmentId: production }],
      ["time range: one day, 300 days ago", { from: dayAgo(300), to: dayAgo(299) }],
      ["time range: 30 days ending 200 days ago", { from: dayAgo(230), to: dayAgo(200) }],
      ["time range + actor", { from: dayAgo(300), to: dayAgo(290), actorLabel: "user7@example.test" }],
      ["environment + action", { environmentId: production, action: { exact: "flag_config.updated" } }],
      ["free text (common: “SY-1”)", { text: "SY-1" }],
      ["free text (rare: “INC-424247”)", { text: "INC-424247" }],
      ["free text (absent)", { text: "no-such-thing" }],
    ];
    console.log(`\n| filter | list page: plan | ms | export batch: plan | ms |\n| --- | --- | --- | --- | --- |`);
    for (const [label, filter] of cases) {
      const page = await explain(auditPageQuery(project.id, filter, undefined, 51));
      const batch = await explain(auditExportBatchQuery(project.id, filter, 0n, 250));
      console.log(`| ${label} | ${page.scans} | ${page.ms.toFixed(1)} | ${batch.scans} | ${batch.ms.toFixed(1)} |`);
      if (SHOW_PLANS) console.log(`${page.plan}\n---\n${batch.plan}\n`);
    }
    console.log(`\nload average (1 min) ${os.loadavg()[0].toFixed(2)}; ${new Date().toISOString()}`);
  } finally {
    await closePrisma();
    await cleanup();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
