/**
 * `npm run test:integration`: the vitest `integration` project twice, on the embedded database
 * (TEST_DB_KIND=pglite) and on PostgreSQL (TEST_DB_KIND=postgres, server TEST_POSTGRES_URL,
 * default postgres://postgres@127.0.0.1:5432/postgres; each test file creates and drops its own
 * database). Both runs always happen; the exit code fails if either failed. Extra arguments go to
 * vitest, e.g. `npm run test:integration -- tests/integration/seed.test.ts`.
 */
import { spawnSync } from "node:child_process";

const extra = process.argv.slice(2).filter((a) => a !== "--");
const runs = [
  { name: "PGlite", kind: "pglite" },
  { name: "PostgreSQL", kind: "postgres" },
] as const;

const results: { name: string; ok: boolean; seconds: number }[] = [];
for (const run of runs) {
  console.log(`\n━━ integration tests on ${run.name} (TEST_DB_KIND=${run.kind})`);
  const started = Date.now();
  const child = spawnSync("npx", ["vitest", "run", "--project", "integration", ...extra], {
    stdio: "inherit",
    env: { ...process.env, TEST_DB_KIND: run.kind },
  });
  results.push({ name: run.name, ok: child.status === 0, seconds: (Date.now() - started) / 1000 });
}

console.log("\n━━ integration summary");
for (const r of results) console.log(`${r.ok ? "PASS" : "FAIL"}  ${r.name}  (${r.seconds.toFixed(1)} s)`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
