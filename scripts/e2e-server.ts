/**
 * The server Playwright tests against: the production build on a brand-new embedded database
 * (fresh directory, migrations, demo data), so every run starts from the same state and never
 * touches a developer's data.
 */
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { E2E_ADMIN_TOKEN } from "../e2e/admin-token";

if (process.env.DATABASE_URL) {
  console.error("e2e: refusing to run with DATABASE_URL set; the suite only runs against a fresh local database.");
  process.exit(1);
}
const dataDir = mkdtempSync(path.join(tmpdir(), "switchyard-e2e-"));
const child = spawn("npx", ["tsx", "scripts/start.ts"], {
  stdio: "inherit",
  env: { ...process.env, SWITCHYARD_DATA_DIR: dataDir, SWITCHYARD_DEMO: "1", SWITCHYARD_INIT_ADMIN_TOKEN: E2E_ADMIN_TOKEN, WEBHOOK_ALLOW_PRIVATE: "1" },
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 0));
