/**
 * `npm run db:seed` — seeds the demo project into the configured database if it has no projects
 * yet and SWITCHYARD_DEMO is not "0". Run `npm run db:migrate` first. On PGlite this takes the
 * data-directory lock: stop the server first.
 */
import { closePrisma, getDatabase } from "../lib/db/client";
import { describeDatabase, resolveDatabaseConfig } from "../lib/db/config";
import { DEMO_PASSWORD, DEMO_USERS, seedDemo } from "../prisma/seed";

async function main(): Promise<number> {
  const config = resolveDatabaseConfig();
  console.log(`Database: ${describeDatabase(config)}`);
  try {
    const { prisma } = getDatabase(config);
    const result = await seedDemo(prisma);
    if (!result.seeded) {
      console.log(
        result.reason === "disabled"
          ? "SWITCHYARD_DEMO=0: demo data skipped."
          : "The database already has projects: demo data skipped (it only goes into an empty database).",
      );
      return 0;
    }
    const c = result.counts;
    console.log(
      `Seeded project "${result.projectKey}": ${c.environments} environments, ${c.flags} flags, ${c.segments} segments, ` +
        `${c.attributes} attributes, ${c.metrics} metrics, ${c.users} users.`,
    );
    console.log(`Demo sign-ins (password "${DEMO_PASSWORD}"): ${DEMO_USERS.map((u) => u.email).join(", ")}`);
    return 0;
  } finally {
    await closePrisma();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`Seeding failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
