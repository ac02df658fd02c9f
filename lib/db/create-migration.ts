import fs from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { type MigrationAdapterFactory, pgliteMigrationAdapterFactory } from "./migration-adapters";
import { DEFAULT_MIGRATIONS_DIR, MIGRATION_LOCK_CONTENT, MIGRATION_LOCK_FILE, readMigrationsList } from "./migrate";
import { engineCall, openSchemaEngine } from "./schema-engine";

/**
 * Creating a migration offline. The wasm engine's `createMigration` needs a shadow database it
 * cannot get, so we ask it for a `diff` from the migrations directory (replayed on a shadow
 * database) to the Prisma schema, which yields the SQL in `prisma migrate dev`'s format. The
 * shadow is a fresh in-memory PGlite unless a factory is given.
 */

export const DEFAULT_SCHEMA_PATH = path.resolve("prisma", "schema.prisma");

export interface DiffOptions {
  migrationsDir?: string;
  schemaPath?: string;
  /** Where the shadow database lives; default an in-memory PGlite. */
  adapterFactory?: SqlMigrationAwareDriverAdapterFactory;
}

/** SQL that brings the migrations' schema to schema.prisma, or null when they already agree. */
export async function diffMigrationsToSchema(options: DiffOptions = {}): Promise<string | null> {
  const migrationsDir = options.migrationsDir ?? DEFAULT_MIGRATIONS_DIR;
  const schemaPath = path.resolve(options.schemaPath ?? DEFAULT_SCHEMA_PATH);
  await ensureMigrationLock(migrationsDir);
  const list = await readMigrationsList(migrationsDir);
  const schema = await fs.readFile(schemaPath, "utf8");

  let scratch: PGlite | undefined;
  const factory = options.adapterFactory ?? pgliteMigrationAdapterFactory((scratch = new PGlite()));
  try {
    const engine = await engineCall(() => openSchemaEngine(factory));
    try {
      const result = await engineCall(() =>
        engine.diff({
          from: { tag: "migrations", ...list },
          to: { tag: "schemaDatamodel", files: [{ path: schemaPath, content: schema }] },
          script: true,
          // 2 when there is a difference, 0 when none: more reliable than parsing the script.
          exitCode: true,
          filters: { externalTables: [], externalEnums: [] },
        }),
      );
      return result.exitCode === 2 ? (result.stdout ?? "") : null;
    } finally {
      engine.free();
    }
  } finally {
    await (factory as Partial<MigrationAdapterFactory>).close?.();
    await scratch?.close();
  }
}

/** `migration_lock.toml` must exist for the engine; create it when missing. */
export async function ensureMigrationLock(migrationsDir: string): Promise<void> {
  await fs.mkdir(migrationsDir, { recursive: true });
  const file = path.join(migrationsDir, MIGRATION_LOCK_FILE);
  try {
    const content = await fs.readFile(file, "utf8");
    if (!/provider\s*=\s*"postgresql"/.test(content)) {
      throw new Error(`${file} names another provider; Switchyard's migrations are for postgresql.`);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    await fs.writeFile(file, MIGRATION_LOCK_CONTENT);
  }
}

/** `20261124223700`, UTC, as Prisma names migration directories. */
export function migrationTimestamp(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return (
    date.getUTCFullYear() +
    pad(date.getUTCMonth() + 1) +
    pad(date.getUTCDate()) +
    pad(date.getUTCHours()) +
    pad(date.getUTCMinutes()) +
    pad(date.getUTCSeconds())
  );
}

/** Lowercase words joined by underscores, as `prisma migrate dev --name` does. */
export function normaliseMigrationName(name: string): string {
  const normalised = name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  if (!normalised) throw new Error(`"${name}" is not a usable migration name: use letters, digits and underscores.`);
  return normalised.slice(0, 200);
}

export type CreateMigrationResult =
  | { created: false }
  | { created: true; name: string; directory: string; sql: string };

/** Writes `<migrationsDir>/<timestamp>_<name>/migration.sql` when schema.prisma has changes. */
export async function createMigration(
  name: string,
  options: DiffOptions & { now?: Date } = {},
): Promise<CreateMigrationResult> {
  const migrationsDir = path.resolve(options.migrationsDir ?? DEFAULT_MIGRATIONS_DIR);
  const suffix = normaliseMigrationName(name);
  const sql = await diffMigrationsToSchema({ ...options, migrationsDir });
  if (sql === null) return { created: false };

  const existing = new Set((await readMigrationsList(migrationsDir)).migrationDirectories.map((d) => d.path));
  const latest = [...existing].sort().at(-1);
  // Timestamps must sort after every existing migration, even with a skewed clock.
  let when = options.now ?? new Date();
  let dirName = `${migrationTimestamp(when)}_${suffix}`;
  while ((latest && dirName.slice(0, 14) <= latest.slice(0, 14)) || existing.has(dirName)) {
    when = new Date(when.getTime() + 1000);
    dirName = `${migrationTimestamp(when)}_${suffix}`;
  }
  const directory = path.join(migrationsDir, dirName);
  await fs.mkdir(directory, { recursive: true });
  await fs.writeFile(path.join(directory, "migration.sql"), sql);
  return { created: true, name: dirName, directory, sql };
}
