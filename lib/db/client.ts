import { type DatabaseConfig, resolveDatabaseConfig } from "./config";
import { PrismaClient } from "./generated/client";
import { type DatabaseHandle, openDatabase } from "./open-database";

/**
 * The app's Prisma client: one per process, created on first use and kept on globalThis so dev hot
 * reloads and Next's separate bundles share it. Creating it lazily matters: `next build` imports
 * server modules in worker processes, and an eager client would open (and lock) the data directory
 * there. Server-only.
 */

interface DbState {
  handle: DatabaseHandle;
  prisma: PrismaClient;
}

const stateKey = Symbol.for("switchyard.db");
type GlobalWithDb = typeof globalThis & { [stateKey]?: DbState };

/** A PrismaClient over an open database (tests and scripts that manage their own handle). */
export function createPrismaClient(handle: DatabaseHandle): PrismaClient {
  return new PrismaClient({ adapter: handle.adapter });
}

/**
 * The process-wide client for the configured database (DATABASE_URL → PostgreSQL; otherwise PGlite
 * in SWITCHYARD_DATA_DIR, which this process then holds the lock of until closePrisma()).
 */
export function getPrisma(): PrismaClient {
  return getDatabase().prisma;
}

/** The process-wide client and the handle behind it (pool, PGlite, config). */
export function getDatabase(config?: DatabaseConfig): DbState {
  const g = globalThis as GlobalWithDb;
  const open = g[stateKey];
  if (open && config && JSON.stringify(open.handle.config) !== JSON.stringify(config)) {
    throw new Error("The process-wide database is already open with another configuration; call closePrisma() first.");
  }
  if (open) return open;
  const handle = openDatabase(config ?? resolveDatabaseConfig(), { purpose: "app server" });
  const state = { handle, prisma: createPrismaClient(handle) };
  g[stateKey] = state;
  return state;
}

/** Whether getPrisma() has opened the database in this process. */
export function isPrismaOpen(): boolean {
  return Boolean((globalThis as GlobalWithDb)[stateKey]);
}

/** Disconnects and releases the database (and, for PGlite, the data-directory lock). */
export async function closePrisma(): Promise<void> {
  const g = globalThis as GlobalWithDb;
  const state = g[stateKey];
  if (!state) return;
  g[stateKey] = undefined;
  try {
    await state.prisma.$disconnect();
  } finally {
    await state.handle.close();
  }
}
