/**
 * A throwaway PostgreSQL database for the benchmark's PostgreSQL phase:
 * `switchyard_bench_<random>` on BENCH_POSTGRES_URL (default: TEST_POSTGRES_URL, else
 * postgres://postgres@127.0.0.1:5432/postgres), dropped WITH (FORCE) at the end.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";

export const DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/postgres";

export function benchPostgresUrl(): string {
  return process.env.BENCH_POSTGRES_URL?.trim() || process.env.TEST_POSTGRES_URL?.trim() || DEFAULT_POSTGRES_URL;
}

export interface BenchPostgres {
  url: string;
  name: string;
  query<T extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw new Error(`PostgreSQL is not reachable at ${url}: ${(error as Error).message}`);
  }
  return client;
}

export async function createBenchPostgres(serverUrl = benchPostgresUrl()): Promise<BenchPostgres> {
  const name = `switchyard_bench_${randomBytes(5).toString("hex")}`;
  const admin = await connect(serverUrl);
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const parsed = new URL(serverUrl);
  parsed.pathname = `/${name}`;
  const url = parsed.toString();
  let client: pg.Client | null = null;
  let dropped = false;
  return {
    url,
    name,
    async query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []) {
      client ??= await connect(url);
      return (await client.query<T>(sql, params)).rows;
    },
    async drop() {
      if (dropped) return;
      dropped = true;
      await client?.end().catch(() => undefined);
      const dropper = await connect(serverUrl);
      try {
        await dropper.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await dropper.end();
      }
    },
  };
}
