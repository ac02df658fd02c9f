/**
 * `npm start`: everything a fresh clone needs, then the server. Applies migrations, seeds demo
 * data into an empty database, creates the bootstrap admin token when asked, keeps the
 * session secret, builds when no build exists, and serves (scripts/serve.ts: Next.js plus the
 * OFREP fast path).
 *
 * The embedded database allows one process at a time, so this script finishes with it (and
 * releases the data-directory lock) before the server process opens it.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { seedDemo } from "../prisma/seed";
import { ensureInitAdminToken } from "../lib/api-tokens/ensure-init-admin-token";
import { DEMO_PASSWORD, DEMO_USERS } from "../lib/auth/demo-users";
import { closePrisma, describeDatabase, getOrCreateSecret, getPrisma, resolveDatabaseConfig } from "../lib/db";
import { migrateDatabase } from "../lib/db/migrate";

const port = Number(process.env.PORT ?? 3000);
const url = process.env.NEXTAUTH_URL ?? `http://localhost:${port}`;

async function prepareDatabase(): Promise<{ secret: string; demo: boolean }> {
  const config = resolveDatabaseConfig();
  console.log(`switchyard: database ${describeDatabase(config)}`);
  const { applied } = await migrateDatabase(config);
  console.log(applied.length ? `switchyard: applied migrations ${applied.join(", ")}` : "switchyard: database schema is up to date");
  try {
    const prisma = getPrisma();
    const seeded = await seedDemo(prisma);
    if (seeded.seeded) console.log("switchyard: seeded demo data (project storefront)");
    const initToken = process.env.SWITCHYARD_INIT_ADMIN_TOKEN?.trim();
    if (initToken) console.log(`switchyard: init admin token ${await ensureInitAdminToken(initToken)}`);
    const secret = await getOrCreateSecret("nextauth");
    const demo = process.env.SWITCHYARD_DEMO !== "0" && Boolean(await prisma.user.findUnique({ where: { email: DEMO_USERS[0].email } }));
    return { secret, demo };
  } finally {
    await closePrisma();
  }
}

function buildIfMissing() {
  if (existsSync(path.join(".next", "BUILD_ID"))) return;
  console.log("switchyard: no production build found; building (about a minute)…");
  const build = spawnSync("npx", ["next", "build"], { stdio: "inherit" });
  if (build.status !== 0) {
    console.error("switchyard: the build failed; see the output above.");
    process.exit(build.status ?? 1);
  }
}

async function announceWhenReady(demo: boolean) {
  for (let attempt = 0; attempt < 240; attempt++) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  console.log(`\nSwitchyard is running at ${url}`);
  if (demo) {
    console.log(`Demo sign-ins (password "${DEMO_PASSWORD}"):`);
    for (const user of DEMO_USERS) console.log(`  ${user.email.padEnd(22)} ${user.role}`);
  }
}

async function main() {
  const { secret, demo } = await prepareDatabase();
  buildIfMissing();
  const server = spawn("npx", ["tsx", "scripts/serve.ts"], {
    stdio: "inherit",
    env: {
      ...process.env,
      PORT: String(port),
      NEXTAUTH_SECRET: secret,
      NEXTAUTH_URL: url,
      NODE_ENV: "production",
      // The demo runs on one machine, where a webhook receiver is usually on localhost too.
      ...(demo && process.env.WEBHOOK_ALLOW_PRIVATE === undefined ? { WEBHOOK_ALLOW_PRIVATE: "1" } : {}),
    },
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
  server.on("exit", (code) => process.exit(code ?? 0));
  void announceWhenReady(demo);
}

main().catch(async (error) => {
  console.error(`switchyard: could not start: ${error instanceof Error ? error.message : error}`);
  await closePrisma().catch(() => undefined);
  process.exit(1);
});
