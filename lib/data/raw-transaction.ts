import { getDatabase } from "@/lib/db";

/** One SQL statement with $1… placeholders and its parameters. */
export interface RawStatement {
  sql: string;
  params: unknown[];
}

/**
 * Runs raw statements in one transaction. On PostgreSQL they go straight to a pooled `pg`
 * connection: for the event write path Prisma's query pipeline (parameter serialisation, request
 * batching) cost more CPU per event than building the rows did. PGlite has a single connection
 * that Prisma's adapter owns, so there the statements run through Prisma's transaction.
 */
export async function runRawTransaction(statements: readonly RawStatement[]): Promise<void> {
  const { handle, prisma } = getDatabase();
  if (!handle.pool) {
    await prisma.$transaction(statements.map((s) => prisma.$executeRawUnsafe(s.sql, ...s.params)));
    return;
  }
  const client = await handle.pool.connect();
  let broken: unknown;
  try {
    await client.query("BEGIN");
    try {
      for (const statement of statements) await client.query(statement.sql, statement.params);
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch((rollbackError: unknown) => {
        broken = rollbackError;
      });
      throw error;
    }
  } finally {
    // A connection whose rollback failed is in an unknown state: drop it instead of reusing it.
    client.release(broken instanceof Error ? broken : undefined);
  }
}
