import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import { closePrisma, resolveDatabaseConfig } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";

/** The server the PostgreSQL suite creates its throwaway databases on. */
export const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export type TestDbKind = "pglite" | "postgres";

export function testDbKind(): TestDbKind {
  const kind = process.env.TEST_DB_KIND ?? "pglite";
  if (kind !== "pglite" && kind !== "postgres") throw new Error(`TEST_DB_KIND must be pglite or postgres, not ${kind}`);
  return kind;
}

async function adminQuery(sql: string) {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${TEST_POSTGRES_URL} (${(error as Error).message}). ` +
        "The integration suite runs on a real PostgreSQL: start it (see .ci/run) or set TEST_POSTGRES_URL.",
    );
  }
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * Points the app's own `getPrisma()` at a brand-new, migrated database for this test file —
 * a temporary PGlite directory, or a `switchyard_test_*` database created on PostgreSQL and
 * dropped afterwards — so tests exercise the same code paths as the server.
 */
export function withAppDatabase() {
  const kind = testDbKind();
  let cleanup: () => Promise<void> = async () => {};

  beforeAll(async () => {
    if (kind === "pglite") {
      const dir = mkdtempSync(path.join(tmpdir(), "switchyard-test-"));
      delete process.env.DATABASE_URL;
      process.env.SWITCHYARD_DATA_DIR = dir;
      cleanup = async () => rmSync(dir, { recursive: true, force: true });
    } else {
      const name = `switchyard_test_${randomBytes(6).toString("hex")}`;
      await adminQuery(`CREATE DATABASE ${name}`);
      const url = new URL(TEST_POSTGRES_URL);
      url.pathname = `/${name}`;
      process.env.DATABASE_URL = url.toString();
      cleanup = () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
    await migrateDatabase(resolveDatabaseConfig());
  });

  afterAll(async () => {
    await closePrisma();
    await cleanup();
  });
}
