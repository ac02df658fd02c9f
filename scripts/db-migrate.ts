/**
 * `npm run db:migrate` — applies prisma/migrations to the configured database (PGlite in
 * SWITCHYARD_DATA_DIR, or PostgreSQL at DATABASE_URL), recording them in `_prisma_migrations`
 * exactly as `prisma migrate deploy` does.
 *
 *   npm run db:migrate                               apply pending migrations
 *   npm run db:migrate -- --status                   show what is applied, pending, failed
 *   npm run db:migrate -- --mark-rolled-back <name>  after a failed migration (P3009) whose effects
 *                                                    you undid: it will run again
 *   npm run db:migrate -- --mark-applied <name>      after finishing a failed migration by hand
 *
 * On PGlite this takes the data-directory lock: stop the server first.
 */
import { describeDatabase, resolveDatabaseConfig } from "../lib/db/config";
import {
  type MigrationStatus,
  applyMigrations,
  getMigrationStatus,
  markMigrationApplied,
  markMigrationRolledBack,
} from "../lib/db/migrate";
import { openDatabase } from "../lib/db/open-database";

function printStatus(status: MigrationStatus): void {
  const applied = status.migrations.filter((m) => !status.pending.includes(m) && !status.failed.includes(m));
  console.log(`${status.migrations.length} migrations on disk, ${applied.length} applied.`);
  for (const name of status.pending) console.log(`  pending:  ${name}`);
  for (const name of status.failed) console.log(`  FAILED:   ${name} (blocks further migrations, P3009)`);
  for (const name of status.edited) console.log(`  edited:   ${name} (migration.sql changed after it was applied)`);
  for (const name of status.unknownInDatabase) console.log(`  unknown:  ${name} (applied, but not in prisma/migrations)`);
  if (status.upToDate) console.log("Database schema is up to date.");
}

async function main(): Promise<number> {
  const args = process.argv.slice(2).filter((a) => a !== "--");
  const config = resolveDatabaseConfig();
  const flag = args[0];
  const name = args[1];
  if (flag && !["--status", "--mark-rolled-back", "--mark-applied"].includes(flag)) {
    console.error(`Unknown option ${flag}. See the header of scripts/db-migrate.ts.`);
    return 2;
  }
  if ((flag === "--mark-rolled-back" || flag === "--mark-applied") && !name) {
    console.error(`${flag} needs a migration name, e.g. ${flag} 20261124224257_init`);
    return 2;
  }

  console.log(`Database: ${describeDatabase(config)}`);
  const handle = openDatabase(config, { purpose: "migrations" });
  try {
    const factory = handle.migrationAdapter();
    if (flag === "--status") {
      const status = await getMigrationStatus(factory);
      printStatus(status);
      return status.upToDate ? 0 : 1;
    }
    if (flag === "--mark-rolled-back") {
      await markMigrationRolledBack(factory, name!);
      console.log(`Marked ${name} as rolled back; the next \`npm run db:migrate\` runs it again.`);
      return 0;
    }
    if (flag === "--mark-applied") {
      await markMigrationApplied(factory, name!);
      console.log(`Marked ${name} as applied.`);
      return 0;
    }
    const result = await applyMigrations(factory, {
      onLog: (line) => {
        const message = typeof line.fields === "object" && line.fields ? (line.fields as { message?: unknown }).message : undefined;
        if (typeof message === "string" && message.startsWith("Applying")) console.log(`  ${message}`);
      },
    });
    for (const edited of result.edited) {
      console.warn(`  warning: ${edited} was edited after it was applied (its checksum differs).`);
    }
    console.log(
      result.applied.length === 0
        ? "No pending migrations: the database is up to date."
        : `Applied ${result.applied.length} migration${result.applied.length === 1 ? "" : "s"}.`,
    );
    return 0;
  } finally {
    await handle.close();
  }
}

// The wasm engine leaves timers that keep Node alive for ~10 s: exit explicitly.
main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`Migration failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
