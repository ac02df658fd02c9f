import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { createMigration, diffMigrationsToSchema } from "@/lib/db/create-migration";
import {
  DEFAULT_MIGRATIONS_DIR,
  MigrationError,
  applyMigrations,
  getMigrationStatus,
  markMigrationRolledBack,
  readMigrationsList,
} from "@/lib/db/migrate";
import {
  type TestDatabase,
  connectToTestPostgres,
  createTestDatabase,
  diffAdapterFactory,
  rawQuery,
  testDbKind,
} from "./helpers/test-database";

const kind = testDbKind();

interface MigrationRow extends Record<string, unknown> {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  logs: string | null;
  applied_steps_count: number;
}

const open: TestDatabase[] = [];
const tempDirs: string[] = [];
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
  await Promise.all(open.splice(0).map((db) => db.destroy()));
  await Promise.all(tempDirs.splice(0).map((dir) => fs.rm(dir, { recursive: true, force: true })));
});

async function freshDatabase(migrate = false): Promise<TestDatabase> {
  const db = await createTestDatabase({ migrate });
  open.push(db);
  return db;
}

/** A copy of prisma/migrations that a test may add to. */
async function copyOfMigrations(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "switchyard-migrations-"));
  tempDirs.push(dir);
  await fs.cp(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

async function addMigration(dir: string, name: string, sql: string): Promise<void> {
  await fs.mkdir(path.join(dir, name), { recursive: true });
  await fs.writeFile(path.join(dir, name, "migration.sql"), sql);
}

const migrationRows = (db: TestDatabase) =>
  rawQuery<MigrationRow>(
    db,
    `SELECT migration_name, checksum, finished_at, rolled_back_at, logs, applied_steps_count
       FROM _prisma_migrations ORDER BY started_at, migration_name`,
  );

describe(`migrations on ${kind}`, () => {
  test("apply every migration and record it in _prisma_migrations as prisma migrate deploy does", async () => {
    const db = await freshDatabase();
    const list = await readMigrationsList();
    const names = list.migrationDirectories.map((d) => d.path);
    expect(names.length).toBeGreaterThan(0);

    const before = await getMigrationStatus(db.handle.migrationAdapter());
    expect(before.upToDate).toBe(false);
    expect(before.pending).toEqual(names);

    const result = await applyMigrations(db.handle.migrationAdapter());
    expect(result.applied).toEqual(names);

    const rows = await migrationRows(db);
    expect(rows.map((r) => r.migration_name)).toEqual(names);
    for (const row of rows) {
      const sql = await fs.readFile(path.join(DEFAULT_MIGRATIONS_DIR, row.migration_name, "migration.sql"));
      expect(row.checksum).toBe(createHash("sha256").update(sql).digest("hex"));
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.rolled_back_at).toBeNull();
      expect(row.logs).toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }

    const after = await getMigrationStatus(db.handle.migrationAdapter());
    expect(after).toMatchObject({ upToDate: true, pending: [], failed: [], edited: [], hasMigrationsTable: true });

    // The schema is usable through Prisma.
    const project = await db.prisma.project.create({ data: { key: "p", name: "P" } });
    expect(project.id).toBeTruthy();
  });

  test("applying twice is idempotent", async () => {
    const db = await freshDatabase(true);
    const rowsBefore = await migrationRows(db);
    const again = await applyMigrations(db.handle.migrationAdapter());
    expect(again.applied).toEqual([]);
    expect(await migrationRows(db)).toEqual(rowsBefore);
  });

  test("a failing migration is recorded unfinished, leaves no partial changes, and blocks the next one (P3009)", async () => {
    const db = await freshDatabase(true);
    const dir = await copyOfMigrations();
    const broken = "29990101000000_broken";
    const next = "29990102000000_next";
    await addMigration(dir, broken, `CREATE TABLE half_done (id INTEGER);\nSELECT * FROM no_such_table;\n`);

    const failure = await applyMigrations(db.handle.migrationAdapter(), { migrationsDir: dir }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(MigrationError);
    expect((failure as MigrationError).code).toBe("P3018");
    expect((failure as MigrationError).message).toContain("no_such_table");
    expect((failure as MigrationError).migrationNames).toEqual([broken]);

    const failedRow = (await migrationRows(db)).find((r) => r.migration_name === broken)!;
    expect(failedRow.finished_at).toBeNull();
    expect(failedRow.rolled_back_at).toBeNull();
    expect(failedRow.logs).toContain("no_such_table");
    // The script ran as one transaction: its first statement did not survive.
    expect(await rawQuery(db, `SELECT to_regclass('half_done')::text AS t`)).toEqual([{ t: null }]);

    await addMigration(dir, next, `CREATE TABLE next_table (id INTEGER);\n`);
    const blocked = await applyMigrations(db.handle.migrationAdapter(), { migrationsDir: dir }).catch((e: unknown) => e);
    expect(blocked).toBeInstanceOf(MigrationError);
    expect((blocked as MigrationError).code).toBe("P3009");
    expect((blocked as MigrationError).message).toContain(broken);
    expect((await migrationRows(db)).map((r) => r.migration_name)).not.toContain(next);

    const status = await getMigrationStatus(db.handle.migrationAdapter(), { migrationsDir: dir });
    expect(status.failed).toEqual([broken]);
    expect(status.upToDate).toBe(false);

    // Recovery as with `prisma migrate resolve --rolled-back`: fix the script, mark, deploy again.
    await addMigration(dir, broken, `CREATE TABLE half_done (id INTEGER);\n`);
    await markMigrationRolledBack(db.handle.migrationAdapter(), broken, { migrationsDir: dir });
    const recovered = await applyMigrations(db.handle.migrationAdapter(), { migrationsDir: dir });
    expect(recovered.applied).toEqual([broken, next]);
    const rows = await migrationRows(db);
    expect(rows.filter((r) => r.migration_name === broken).map((r) => r.rolled_back_at === null)).toEqual([false, true]);
    expect(await rawQuery(db, `SELECT to_regclass('next_table')::text AS t`)).toEqual([{ t: "next_table" }]);
  });

  test("a migration with a $$ function body runs intact", async () => {
    const db = await freshDatabase(true);
    const dir = await copyOfMigrations();
    await addMigration(
      dir,
      "29990101000000_function",
      `CREATE FUNCTION sy_add(a INTEGER, b INTEGER) RETURNS INTEGER AS $$
BEGIN
  RETURN a + b;
END;
$$ LANGUAGE plpgsql;
`,
    );
    await applyMigrations(db.handle.migrationAdapter(), { migrationsDir: dir });
    expect(await rawQuery(db, `SELECT sy_add(2, 3) AS n`)).toEqual([{ n: 5 }]);
  });

  test("schema.prisma and the committed migrations agree (no migration is missing)", async () => {
    const { factory, dispose } = await diffAdapterFactory(kind, kind === "postgres" ? (await freshDatabase()).url : undefined);
    try {
      expect(await diffMigrationsToSchema({ adapterFactory: factory })).toBeNull();
    } finally {
      await dispose();
    }
    if (kind === "postgres") {
      // The shadow database was created on the server and dropped again.
      const admin = await connectToTestPostgres();
      try {
        const { rows } = await admin.query(`SELECT datname FROM pg_database WHERE datname LIKE 'prisma_migrate_shadow_db_%'`);
        expect(rows).toEqual([]);
      } finally {
        await admin.end();
      }
    }
  });

  test("creating a migration writes the diff, then reports no changes", async () => {
    const dir = await copyOfMigrations();
    const schemaDir = await fs.mkdtemp(path.join(os.tmpdir(), "switchyard-schema-"));
    tempDirs.push(schemaDir);
    const schemaPath = path.join(schemaDir, "schema.prisma");
    const schema = await fs.readFile(path.resolve("prisma", "schema.prisma"), "utf8");
    await fs.writeFile(
      schemaPath,
      schema.replace(/model Project \{\n/, 'model Project {\n  archivedAt DateTime? @db.Timestamptz(3)\n'),
    );
    const { factory: adapterFactory, dispose } = await diffAdapterFactory(
      kind,
      kind === "postgres" ? (await freshDatabase()).url : undefined,
    );
    closers.push(dispose);

    const created = await createMigration("Add project archivedAt", { migrationsDir: dir, schemaPath, adapterFactory });
    expect(created.created).toBe(true);
    if (!created.created) return;
    expect(created.name).toMatch(/^\d{14}_add_project_archivedat$/);
    expect(created.sql).toContain(`ALTER TABLE "projects" ADD COLUMN     "archivedAt" TIMESTAMPTZ(3)`);
    expect(await fs.readFile(path.join(created.directory, "migration.sql"), "utf8")).toBe(created.sql);

    expect(await createMigration("again", { migrationsDir: dir, schemaPath, adapterFactory })).toEqual({ created: false });

    // The new migration applies on top of the others.
    const db = await freshDatabase();
    const applied = await applyMigrations(db.handle.migrationAdapter(), { migrationsDir: dir });
    expect(applied.applied.at(-1)).toBe(created.name);
  });
});
