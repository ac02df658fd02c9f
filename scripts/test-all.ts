/**
 * `npm test`: every check, in order of speed — typecheck, lint, unit tests, integration tests
 * on the embedded database and on PostgreSQL, a production build, then the Playwright suite
 * against it. Runs every step even after a failure, so one run shows everything that broke.
 */
import { spawnSync } from "node:child_process";

interface Step {
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
}

const STEPS: Step[] = [
  { name: "typecheck", command: "npx", args: ["tsc", "--noEmit"] },
  { name: "lint", command: "npx", args: ["eslint", ".", "--max-warnings=0"] },
  { name: "unit", command: "npx", args: ["vitest", "run", "--project", "unit"] },
  { name: "integration (PGlite)", command: "npx", args: ["vitest", "run", "--project", "integration"], env: { TEST_DB_KIND: "pglite" } },
  { name: "integration (PostgreSQL)", command: "npx", args: ["vitest", "run", "--project", "integration"], env: { TEST_DB_KIND: "postgres" } },
  { name: "build", command: "npx", args: ["next", "build"] },
  { name: "e2e (Chromium)", command: "npx", args: ["playwright", "test"] },
];

const only = process.argv.slice(2);
const results: { name: string; ok: boolean; seconds: number }[] = [];
for (const step of STEPS) {
  if (only.length && !only.some((name) => step.name.startsWith(name))) continue;
  console.log(`\n━━ ${step.name}: ${step.command} ${step.args.join(" ")}`);
  const started = Date.now();
  const run = spawnSync(step.command, step.args, { stdio: "inherit", env: { ...process.env, ...step.env } });
  results.push({ name: step.name, ok: run.status === 0, seconds: (Date.now() - started) / 1000 });
}

console.log("\n━━ summary");
for (const r of results) console.log(`${r.ok ? "PASS" : "FAIL"}  ${r.name}  (${r.seconds.toFixed(1)} s)`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
