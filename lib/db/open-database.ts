import fs from "node:fs";
import { PGlite, type PGliteOptions } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { type DatabaseConfig, pgliteDirectory } from "./config";
import { acquireDataDirLock } from "./data-dir-lock";
import {
  type MigrationAdapterFactory,
  pgliteMigrationAdapterFactory,
  postgresClientConfig,
  postgresMigrationAdapterFactory,
} from "./migration-adapters";

/**
 * An open database: the driver adapter factory for PrismaClient, a migration-aware factory for
 * the schema engine, and `close()`. For PGlite, opening takes the data-directory lock and the
 * PGlite instance is shared by everyone in the process who opens the same directory (client,
 * migrations, seed), so the directory is never opened twice.
 */
export interface DatabaseHandle {
  readonly config: DatabaseConfig;
  /** For `new PrismaClient({ adapter })`. */
  readonly adapter: SqlDriverAdapterFactory;
  /** For the wasm schema engine (lib/db/migrate.ts), over the same database. */
  migrationAdapter(): MigrationAdapterFactory;
  /** PGlite only: the embedded instance (e.g. for `listen`). */
  readonly pglite?: PGlite;
  /** PostgreSQL only: connection fields (for LISTEN/NOTIFY clients, advisory-lock sessions). */
  readonly pgConfig?: pg.ClientConfig;
  /** PostgreSQL only: the pool behind the adapter. */
  readonly pool?: pg.Pool;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** Recorded in the PGlite lock file for the next opener's error message. */
  purpose?: string;
  /** PostgreSQL pool size (default DATABASE_POOL_SIZE or 10). */
  poolSize?: number;
  /** PGlite constructor options when this call creates the instance (tests: `loadDataDir`). */
  pgliteOptions?: PGliteOptions;
}

interface SharedPglite {
  pglite: PGlite;
  count: number;
  releaseLock: () => void;
}

const pgliteRegistryKey = Symbol.for("switchyard.pgliteInstances");
function pgliteRegistry(): Map<string, SharedPglite> {
  const g = globalThis as { [pgliteRegistryKey]?: Map<string, SharedPglite> };
  g[pgliteRegistryKey] ??= new Map();
  return g[pgliteRegistryKey];
}

function openPglite(
  dataDir: string,
  purpose: string | undefined,
  pgliteOptions: PGliteOptions | undefined,
): { pglite: PGlite; release: () => Promise<void> } {
  const registry = pgliteRegistry();
  let shared = registry.get(dataDir);
  if (!shared) {
    const lock = acquireDataDirLock(dataDir, purpose);
    try {
      const dir = pgliteDirectory(dataDir);
      fs.mkdirSync(dir, { recursive: true });
      shared = { pglite: new PGlite(dir, pgliteOptions), count: 0, releaseLock: () => lock.release() };
    } catch (error) {
      lock.release();
      throw error;
    }
    registry.set(dataDir, shared);
  }
  shared.count += 1;
  const entry = shared;
  let released = false;
  return {
    pglite: entry.pglite,
    release: async () => {
      if (released) return;
      released = true;
      entry.count -= 1;
      if (entry.count > 0) return;
      registry.delete(dataDir);
      try {
        if (!entry.pglite.closed) await entry.pglite.close();
      } finally {
        entry.releaseLock();
      }
    },
  };
}

/**
 * Opens the configured database. Synchronous so that `getPrisma()` can stay synchronous: PGlite
 * finishes starting in the background and its first query waits for it.
 */
export function openDatabase(config: DatabaseConfig, options: OpenDatabaseOptions = {}): DatabaseHandle {
  if (config.kind === "pglite") {
    const { pglite, release } = openPglite(config.dataDir, options.purpose, options.pgliteOptions);
    return {
      config,
      pglite,
      adapter: new PrismaPGlite(pglite),
      migrationAdapter: () => pgliteMigrationAdapterFactory(pglite),
      close: release,
    };
  }

  const pgConfig = postgresClientConfig(config.url);
  const poolSize = options.poolSize ?? (Number.parseInt(process.env.DATABASE_POOL_SIZE ?? "", 10) || 10);
  // Bounded waits: when the database is unreachable, requests fail fast and evaluation keeps
  // serving its in-memory snapshots instead of queueing behind a connection that never comes.
  const pool = new pg.Pool({ connectionTimeoutMillis: 5_000, idleTimeoutMillis: 30_000, ...pgConfig, max: poolSize });
  pool.on("error", (error) => {
    // An idle connection died (server restart, network). The pool replaces it; log for operators.
    console.error(`[db] idle PostgreSQL connection error: ${error.message}`);
  });
  let closed = false;
  return {
    config,
    pgConfig,
    pool,
    adapter: new PrismaPg(pool),
    migrationAdapter: () => postgresMigrationAdapterFactory(config.url),
    close: async () => {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
