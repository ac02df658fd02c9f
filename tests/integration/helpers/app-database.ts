import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { closePrisma, resolveDatabaseConfig } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";
import { stopChangeFeed } from "@/lib/snapshots/change-feed";
import { connectToTestPostgres, testDbKind, testPostgresUrl } from "./test-database";

async function adminQuery(sql: string) {
  const client = await connectToTestPostgres();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * Points the app's own `getPrisma()` at a brand-new, migrated database for this test file —
 * a temporary PGlite directory, or a `switchyard_test_*` database created on PostgreSQL and
 * dropped afterwards — so tests exercise the same code paths as the server. (For tests of the
 * database layer itself, `createTestDatabase` in test-database.ts gives a separate client.)
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
      const url = new URL(testPostgresUrl());
      url.pathname = `/${name}`;
      process.env.DATABASE_URL = url.toString();
      cleanup = () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
    await migrateDatabase(resolveDatabaseConfig());
  });

  afterAll(async () => {
    await stopChangeFeed();
    await closePrisma();
    await cleanup();
  });
}
