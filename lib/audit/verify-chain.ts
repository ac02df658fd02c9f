import { readAuditChainBatch } from "@/lib/data/audit-events";
import type { AuditChainVerification } from "@/lib/schemas/audit";
import { AuditChainVerifier, type AuditRowLike } from "./hash-chain";

/**
 * Walks the whole audit chain (every project: it is one chain) in id order, a batch at a time
 * (keyset on id, so memory stays constant however long the log is), recomputes each event's
 * hash and checks that each event points at the one before it. Stops at the first broken link
 * and says what is wrong there:
 *
 * - content_changed — the event's stored content does not hash to its stored hash: someone
 *   edited it in the database.
 * - missing_rows — its prevHash is not the previous event's hash and ids are missing between
 *   the two: rows were deleted. (Ids alone prove nothing: a rolled-back append leaves a gap in
 *   the sequence with the chain intact, so a gap counts only when the link breaks across it.)
 * - broken_link — the same without a gap: a hash was rewritten, or rows inserted or reordered.
 *
 * Deleting the newest events cannot be seen from the chain itself; the answer's lastHash is
 * what to keep elsewhere to detect that later.
 */

export const VERIFY_BATCH_SIZE = 1000;

type ChainRow = AuditRowLike & { id: bigint };

export interface VerifyChainOptions {
  batchSize?: number;
  /** The batch reader (the database by default). */
  readBatch?: (afterId: bigint, limit: number) => Promise<ChainRow[]>;
}

export async function verifyAuditChainInDatabase(options: VerifyChainOptions = {}): Promise<AuditChainVerification> {
  const started = performance.now();
  const batchSize = options.batchSize ?? VERIFY_BATCH_SIZE;
  const readBatch = options.readBatch ?? readAuditChainBatch;
  const verifier = new AuditChainVerifier();
  let previousId: bigint | null = null;
  let afterId = 0n;
  for (;;) {
    const rows = await readBatch(afterId, batchSize);
    for (const row of rows) {
      const failure = verifier.push(row);
      if (failure) {
        return describeFailure({ ...failure, row, previousId, durationMs: performance.now() - started });
      }
      previousId = row.id;
    }
    if (rows.length < batchSize) break;
    afterId = rows[rows.length - 1].id;
  }
  const result = verifier.result();
  if (!result.ok) throw new Error("unreachable: failures return above");
  return { ok: true, checked: result.checked, lastId: previousId?.toString() ?? null, lastHash: result.lastHash, durationMs: Math.round(performance.now() - started) };
}

function describeFailure(input: {
  reason: "prev_hash" | "hash";
  checked: number;
  expected: string;
  actual: string;
  row: ChainRow;
  previousId: bigint | null;
  durationMs: number;
}): AuditChainVerification {
  const { row, previousId } = input;
  const id = row.id.toString();
  const common = {
    ok: false as const,
    checked: input.checked,
    brokenAt: id,
    previousId: previousId?.toString() ?? null,
    expected: input.expected,
    actual: input.actual,
    durationMs: Math.round(input.durationMs),
  };
  if (input.reason === "hash") {
    return {
      ...common,
      problem: "content_changed",
      missingIds: null,
      message: `Event ${id} was changed after it was written: its content no longer matches its hash.`,
    };
  }
  const firstMissing = (previousId ?? 0n) + 1n;
  if (row.id > firstMissing) {
    const to = row.id - 1n;
    const range = firstMissing === to ? `event ${firstMissing}` : `events ${firstMissing}–${to}`;
    return {
      ...common,
      problem: "missing_rows",
      missingIds: { from: firstMissing.toString(), to: to.toString() },
      message: `Event ${id} does not link to ${previousId === null ? "the start of the chain" : `event ${previousId}`}: ${range} ${firstMissing === to ? "was" : "were"} deleted.`,
    };
  }
  return {
    ...common,
    problem: "broken_link",
    missingIds: null,
    message: `Event ${id} does not link to ${previousId === null ? "the start of the chain" : `event ${previousId}`}: a hash was rewritten, or events were inserted or reordered.`,
  };
}
