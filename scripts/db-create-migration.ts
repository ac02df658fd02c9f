/**
 * `npm run db:migration:create -- <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql
 * with the SQL that brings the migration history to prisma/schema.prisma, computed offline against
 * an in-memory PGlite shadow database (see lib/db/create-migration.ts). Says so when there is
 * nothing to do. Review the SQL, then apply it with `npm run db:migrate`.
 */
import path from "node:path";
import { createMigration } from "../lib/db/create-migration";

async function main(): Promise<number> {
  const args = process.argv.slice(2).filter((a) => a !== "--");
  const name = args.find((a) => !a.startsWith("-"));
  if (!name || args.includes("--help") || args.includes("-h")) {
    console.error("Usage: npm run db:migration:create -- <name>   (e.g. add_flag_archived_at)");
    return name ? 0 : 2;
  }
  const result = await createMigration(name);
  if (!result.created) {
    console.log("No changes: prisma/schema.prisma matches the migrations in prisma/migrations.");
    return 0;
  }
  const statements = result.sql.split("\n").filter((line) => line.startsWith("-- ")).length;
  console.log(`Created ${path.relative(process.cwd(), result.directory)}/migration.sql (${statements} steps).`);
  console.log("Review it, then run `npm run db:migrate`.");
  return 0;
}

// The wasm engine leaves timers that keep Node alive for ~10 s: exit explicitly.
main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`Could not create the migration: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
