import { randomUUID } from "node:crypto";
import { PGlite, type PGliteOptions } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import type {
  ConnectionInfo,
  IsolationLevel,
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
  SqlQuery,
  SqlResultSet,
  Transaction,
} from "@prisma/driver-adapter-utils";
import { DriverAdapterError } from "@prisma/driver-adapter-utils";
import pg from "pg";
import { parseIntoClientConfig } from "pg-connection-string";
import { PrismaPGlite } from "pglite-prisma-adapter";

/**
 * Migration-aware driver adapter factories for the wasm schema engine, with the stock adapters'
 * defects worked around (numbers refer to docs/decisions/0001-migrations-offline.md and
 * PRISMA-OFFLINE.md):
 *
 * 1. pglite-prisma-adapter's `executeScript` does not await `exec`, so a failing migration was
 *    recorded as applied. We await it and report the error.
 * 2. adapter-pg's `executeScript` splits the script on `;`: not atomic, and it breaks `$$…$$`
 *    bodies. We send the whole script as one simple-protocol query: one implicit transaction.
 * 3. `new PrismaPg({connectionString})` points the shadow pool at the main database, because pg
 *    lets `connectionString` override `database`. We pass parsed fields.
 * 4. adapter-pg's shadow cleanup drops the database before closing its pool ("being accessed by
 *    other users"). We close the pool first, then `DROP DATABASE … WITH (FORCE)`.
 * 5. adapter-pg cannot read PostgreSQL's internal `"char"` type (OID 18), which the engine's
 *    introspection selects. We report those columns as text.
 * Also: pglite-prisma-adapter's shadow database is a shared `memory://shadow` PGlite that is
 * never closed; ours is a fresh in-memory PGlite per call, closed on dispose.
 */

/**
 * A migration-aware factory that also closes what it opened: the wasm engine does not dispose its
 * connections when freed, which would leave PostgreSQL pools (and shadow PGlites) open.
 */
export interface MigrationAdapterFactory extends SqlMigrationAwareDriverAdapterFactory {
  /** Disposes every adapter this factory handed out that is still open (idempotent). */
  close(): Promise<void>;
}

function trackingFactory(
  provider: "postgres",
  adapterName: string,
  connect: (track: (adapter: PatchedAdapter) => PatchedAdapter) => Promise<SqlDriverAdapter>,
  connectToShadowDb: (track: (adapter: PatchedAdapter) => PatchedAdapter) => Promise<SqlDriverAdapter>,
): MigrationAdapterFactory {
  const open = new Set<PatchedAdapter>();
  const track = (adapter: PatchedAdapter) => {
    open.add(adapter);
    adapter.onDisposed = () => open.delete(adapter);
    return adapter;
  };
  return {
    provider,
    adapterName,
    connect: () => connect(track),
    connectToShadowDb: () => connectToShadowDb(track),
    close: async () => {
      const adapters = [...open];
      open.clear();
      const results = await Promise.allSettled(adapters.map((a) => a.dispose()));
      const failure = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
      if (failure) throw failure.reason;
    },
  };
}

/** Delegates to a stock adapter, replacing `executeScript` and extending `dispose`. */
class PatchedAdapter implements SqlDriverAdapter {
  readonly provider: SqlDriverAdapter["provider"];
  readonly adapterName: string;
  onDisposed?: () => void;
  private disposing?: Promise<void>;

  constructor(
    private readonly inner: SqlDriverAdapter,
    private readonly runScript: (script: string) => Promise<void>,
    private readonly afterDispose?: () => Promise<void>,
  ) {
    this.provider = inner.provider;
    this.adapterName = inner.adapterName;
  }

  queryRaw(query: SqlQuery): Promise<SqlResultSet> {
    return this.inner.queryRaw(query);
  }

  executeRaw(query: SqlQuery): Promise<number> {
    return this.inner.executeRaw(query);
  }

  executeScript(script: string): Promise<void> {
    return this.runScript(script);
  }

  startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
    return this.inner.startTransaction(isolationLevel);
  }

  getConnectionInfo(): ConnectionInfo {
    return this.inner.getConnectionInfo?.() ?? { supportsRelationJoins: true };
  }

  /** Idempotent: both the engine and the factory's close() may call it. */
  dispose(): Promise<void> {
    this.disposing ??= (async () => {
      this.onDisposed?.();
      try {
        await this.inner.dispose();
      } finally {
        await this.afterDispose?.();
      }
    })();
    return this.disposing;
  }
}

interface PostgresErrorLike {
  code?: string;
  severity?: string;
  message: string;
  detail?: string;
  column?: string;
  hint?: string;
  position?: string;
}

function postgresDriverError(error: unknown): Error {
  if (error instanceof DriverAdapterError) return error;
  const e = error as PostgresErrorLike;
  if (!e || typeof e.message !== "string") return error instanceof Error ? error : new Error(String(error));
  return new DriverAdapterError({
    kind: "postgres",
    code: e.code ?? "N/A",
    severity: e.severity ?? "ERROR",
    message: e.position ? `${e.message} (at character ${e.position})` : e.message,
    detail: e.detail,
    column: e.column,
    hint: e.hint,
  });
}

// --- PGlite -----------------------------------------------------------------------------------

async function pgliteAdapter(client: PGlite, onDispose?: () => Promise<void>): Promise<PatchedAdapter> {
  const inner = await new PrismaPGlite(client).connect();
  return new PatchedAdapter(
    inner,
    async (script) => {
      try {
        await client.exec(script);
      } catch (error) {
        throw postgresDriverError(error);
      }
    },
    onDispose,
  );
}

/**
 * For the schema engine over an open PGlite (the caller owns and closes `client`). Shadow
 * databases are fresh in-memory PGlites created with `shadowOptions`.
 */
export function pgliteMigrationAdapterFactory(
  client: PGlite,
  options: { shadowOptions?: PGliteOptions } = {},
): MigrationAdapterFactory {
  return trackingFactory(
    "postgres",
    "@prisma/adapter-pglite",
    async (track) => track(await pgliteAdapter(client)),
    async (track) => {
      const shadow = new PGlite(options.shadowOptions);
      return track(await pgliteAdapter(shadow, () => shadow.close()));
    },
  );
}

// --- PostgreSQL -------------------------------------------------------------------------------

const CHAR_OID = 18;
const TEXT_OID = 25;

/** Defect 5: reports `"char"` columns as text so adapter-pg can map them. */
function reportCharAsText(pool: pg.Pool): void {
  const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
  const patch = (result: unknown) => {
    for (const r of Array.isArray(result) ? result : [result]) {
      const fields = (r as pg.QueryResult | undefined)?.fields;
      if (!fields) continue;
      for (const field of fields) if (field.dataTypeID === CHAR_OID) field.dataTypeID = TEXT_OID;
    }
    return result;
  };
  (pool as unknown as { query: (...args: unknown[]) => Promise<unknown> }).query = async (...args: unknown[]) =>
    patch(await query(...args));
}

/** Connection fields of a URL, never the URL itself (defect 3). */
export function postgresClientConfig(connectionString: string): pg.ClientConfig {
  const config = parseIntoClientConfig(connectionString);
  delete (config as { connectionString?: string }).connectionString;
  return config;
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

async function postgresAdapter(
  config: pg.ClientConfig,
  afterDispose?: () => Promise<void>,
): Promise<PatchedAdapter> {
  const pool = new pg.Pool({ ...config, max: 2 });
  pool.on("error", () => {
    // An idle client lost its connection; the next query reports the problem.
  });
  reportCharAsText(pool);
  const inner = await new PrismaPg(pool, { disposeExternalPool: true }).connect();
  return new PatchedAdapter(
    inner,
    async (script) => {
      try {
        // Defect 2: one simple-protocol query, so the script runs in one implicit transaction.
        await pool.query(script);
      } catch (error) {
        throw postgresDriverError(error);
      }
    },
    afterDispose,
  );
}

/** For the schema engine over a PostgreSQL database (pools are opened per engine connection). */
export function postgresMigrationAdapterFactory(connectionString: string): MigrationAdapterFactory {
  const config = postgresClientConfig(connectionString);
  return trackingFactory(
    "postgres",
    "@prisma/adapter-pg",
    async (track) => track(await postgresAdapter(config)),
    async (track) => {
      const database = `prisma_migrate_shadow_db_${randomUUID().replaceAll("-", "")}`;
      const admin = new pg.Client(config);
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${quoteIdent(database)}`);
      } catch (error) {
        await admin.end();
        throw postgresDriverError(error);
      }
      // Defect 4: the shadow pool is closed by the adapter's dispose before we drop the database.
      return track(
        await postgresAdapter({ ...config, database }, async () => {
          try {
            await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`);
          } finally {
            await admin.end();
          }
        }),
      );
    },
  );
}
