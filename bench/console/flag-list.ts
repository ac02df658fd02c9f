/**
 * The console's flags list with 10,000 flags (issue 5, "Performance"): server time for the first
 * page and for a search, on a fresh embedded database (PGlite). Target: p50 < 150 ms.
 *
 *   npm run bench:flag-list [-- --flags 10000 --rounds 30]
 *
 * "Server time" is what the route handler does after Next hands it the request: re-read the
 * signed-in user (as getSessionActor does), check the project permission, run the list query
 * (search, filters, staleness, count, the page's rows with their configurations) and serialise
 * the JSON. Also measured: the stale filter, the "last changed" sort, a page deep in the list,
 * and PostgreSQL when BENCH_POSTGRES_URL (or --postgres) is given.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { requireProjectPermission } from "@/lib/auth/access";
import { closePrisma, getPrisma, resolveDatabaseConfig } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";
import { findUserById } from "@/lib/data/users";
import { listFlagRows } from "@/lib/flags/list-flags";
import { createProject } from "@/lib/projects/create-project";
import { consoleFlagListQuerySchema } from "@/lib/schemas/flag";

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : Number.NaN;
  return Number.isFinite(value) ? value : fallback;
}

const FLAGS = arg("flags", 10_000);
const ROUNDS = arg("rounds", 30);
const WARMUP = 5;
const POSTGRES = process.argv.includes("--postgres") || Boolean(process.env.BENCH_POSTGRES_URL);
const SERVER = process.env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

const WORDS = ["checkout", "search", "cart", "payments", "profile", "onboarding", "pricing", "catalog", "shipping", "returns", "reviews", "wishlist", "banner", "gallery", "locator", "billing"];
const TAGS = ["web", "mobile", "growth", "platform", "payments", "experiment", "ops", "q4"];
const KINDS = ["release", "experiment", "operational", "permission"] as const;

async function admin(sql: string) {
  const client = new pg.Client({ connectionString: SERVER });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function seed() {
  const prisma = getPrisma();
  const project = await createProject({ type: "system", name: "bench" }, { key: "bench-flags", name: "Bench", description: "" });
  const users = await Promise.all(
    Array.from({ length: 20 }, (_, i) => prisma.user.create({ data: { email: `owner-${i}@example.test`, name: `Owner ${i}` } })),
  );
  await prisma.membership.createMany({ data: users.map((u, i) => ({ userId: u.id, projectId: project.id, role: i === 0 ? ("admin" as const) : ("editor" as const) })) });
  const started = Date.now();
  const now = Date.now();
  const ids: string[] = [];
  for (let from = 0; from < FLAGS; from += 1000) {
    const batch = Array.from({ length: Math.min(1000, FLAGS - from) }, (_, j) => {
      const i = from + j;
      const word = WORDS[i % WORDS.length];
      const id = `bench-flag-${i}`;
      ids.push(id);
      return {
        id,
        projectId: project.id,
        key: `${word}-${String(i).padStart(5, "0")}`,
        name: `${word[0].toUpperCase()}${word.slice(1)} improvement ${i}`,
        description: i % 3 === 0 ? `Changes the ${word} flow for ${TAGS[i % TAGS.length]} users (ticket SY-${i}).` : "",
        kind: KINDS[i % KINDS.length],
        valueType: "boolean" as const,
        variations: [{ key: "on", value: true }, { key: "off", value: false }],
        ownerId: i % 4 === 0 ? null : users[i % users.length].id,
        tags: [TAGS[i % TAGS.length], TAGS[(i * 7) % TAGS.length]],
        lifecycle: i % 50 === 0 ? ("archived" as const) : ("active" as const),
        expiresAt: i % 10 === 0 ? new Date(now + ((i % 200) - 60) * 86_400_000) : null,
        createdAt: new Date(now - (i % 400) * 86_400_000),
        updatedAt: new Date(now - (i % 90) * 86_400_000),
      };
    });
    await prisma.flag.createMany({ data: batch });
  }
  const configs = [];
  for (const [e, env] of project.environments.entries()) {
    for (let i = 0; i < FLAGS; i++) {
      const on = (i + e) % 3 !== 0;
      const rules =
        i % 5 === 0
          ? [{ id: `r-${i}`, clauses: [{ attribute: "plan", op: "in", values: ["pro", "enterprise"] }], serve: { variation: "on" } }]
          : [];
      const fallthrough = i % 4 === 0 ? { rollout: { weights: [{ variation: "on", weight: (i % 100) * 1000 }, { variation: "off", weight: 100_000 - (i % 100) * 1000 }] } } : { variation: on ? "on" : "off" };
      configs.push({
        flagId: ids[i],
        environmentId: env.id,
        config: { on, offVariation: "off", targets: [], rules, fallthrough, prerequisites: [] },
        updatedAt: new Date(now - ((i + e) % 120) * 86_400_000),
      });
    }
  }
  for (let from = 0; from < configs.length; from += 2000) await prisma.flagEnvironmentConfig.createMany({ data: configs.slice(from, from + 2000) });
  // Production reports exposures for half the flags, so "no evaluations in 30 days" is computed there.
  const production = project.environments.find((e) => e.key === "production")!;
  const rollups = Array.from({ length: Math.floor(FLAGS / 2) }, (_, i) => ({
    environmentId: production.id,
    flagKey: `${WORDS[(i * 2) % WORDS.length]}-${String(i * 2).padStart(5, "0")}`,
    bucketStart: new Date(Math.floor((now - (i % 20) * 86_400_000) / 60_000) * 60_000),
    variationKey: "on",
    count: 10,
    uniqueCount: 10,
  }));
  for (let from = 0; from < rollups.length; from += 2000) await prisma.exposureRollup.createMany({ data: rollups.slice(from, from + 2000) });
  await prisma.$executeRawUnsafe("ANALYZE");
  console.log(`seeded ${FLAGS} flags × ${project.environments.length} environments in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { projectKey: project.key, userId: users[0].id };
}

async function measure(label: string, run: () => Promise<unknown>) {
  for (let i = 0; i < WARMUP; i++) await run();
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < ROUNDS; i++) {
    const started = performance.now();
    const result = await run();
    bytes = JSON.stringify(result).length;
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const row = { label, p50: percentile(times, 50), p95: percentile(times, 95), max: times[times.length - 1], bytes };
  console.log(`${label.padEnd(44)} p50 ${row.p50.toFixed(1).padStart(7)} ms   p95 ${row.p95.toFixed(1).padStart(7)} ms   max ${row.max.toFixed(1).padStart(7)} ms   ${(bytes / 1024).toFixed(0)} KB`);
  return row;
}

async function main() {
  let cleanup: () => Promise<void>;
  if (POSTGRES) {
    const name = `switchyard_bench_flaglist_${randomBytes(4).toString("hex")}`;
    await admin(`CREATE DATABASE ${name}`);
    const url = new URL(SERVER);
    url.pathname = `/${name}`;
    process.env.DATABASE_URL = url.toString();
    cleanup = () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } else {
    const dir = mkdtempSync(path.join(os.tmpdir(), "switchyard-bench-flaglist-"));
    delete process.env.DATABASE_URL;
    process.env.SWITCHYARD_DATA_DIR = dir;
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  }
  const load = os.loadavg();
  try {
    await migrateDatabase(resolveDatabaseConfig());
    const { projectKey, userId } = await seed();
    // What one console request does on the server (the route handler minus Next's own work).
    const request = (env: string, query: Record<string, string>) => async () => {
      const user = await findUserById(userId);
      const access = await requireProjectPermission({ type: "user", userId, email: user!.email, name: user!.name }, projectKey, "project:read");
      return JSON.stringify(await listFlagRows(access, env, consoleFlagListQuerySchema.parse({ limit: "50", ...query })));
    };
    console.log(`\n${POSTGRES ? "PostgreSQL" : "PGlite"}, ${FLAGS} flags, ${ROUNDS} rounds after ${WARMUP} warm-up; server time per request`);
    const results = [
      await measure("first page (production)", request("production", {})),
      await measure("search “checkout” (production)", request("production", { query: "checkout" })),
      await measure("search “SY-42” in descriptions", request("production", { query: "SY-42" })),
      await measure("stale only (production)", request("production", { stale: "true" })),
      await measure("on, tag growth, sort last changed", request("production", { state: "on", tag: "growth", sort: "updated" })),
    ];
    const deep = await listFlagRows(
      await requireProjectPermission({ type: "system", name: "bench" }, projectKey, "project:read"),
      "production",
      consoleFlagListQuerySchema.parse({ limit: "200", sort: "name" }),
    );
    results.push(await measure("page after 200 rows, sorted by name", request("production", { sort: "name", cursor: deep.nextCursor! })));
    const after = os.loadavg();
    console.log(`\nmachine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "?"}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
    console.log(`load average (1 min) ${load[0].toFixed(2)} → ${after[0].toFixed(2)}; ${new Date().toISOString()}`);
    const first = results[0].p50;
    const search = results[1].p50;
    console.log(`target p50 < 150 ms: first page ${first.toFixed(1)} ms, search ${search.toFixed(1)} ms → ${first < 150 && search < 150 ? "met" : "NOT met"}`);
  } finally {
    await closePrisma();
    await cleanup();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
