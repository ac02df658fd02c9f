import { createHash } from "node:crypto";

/**
 * The audit log's hash chain. Each event stores the previous event's hash (`prevHash`; the first
 * event uses AUDIT_GENESIS_HASH) and its own `hash = sha256hex(prevHash + "\n" + canonicalJson(content))`
 * where content is every audited column except `id`, `prevHash` and `hash`. Changing, deleting,
 * inserting or reordering rows breaks the chain at that point, and verification reports where.
 *
 * Content is hashed as it reads back from the database, so the rules below are chosen to survive
 * a round trip through jsonb and timestamptz(3): object keys are sorted (jsonb reorders them),
 * undefined members are dropped and SQL NULL equals JSON null (Prisma's DbNull vs JsonNull), and
 * `createdAt` is the ISO string of a millisecond-precision time, set by the writer, never by now().
 */

export const AUDIT_GENESIS_HASH = "0".repeat(64);

export type ActorTypeValue = "user" | "api_token" | "system";

export interface AuditContent {
  projectId: string | null;
  environmentId: string | null;
  actorType: ActorTypeValue;
  actorId: string | null;
  actorLabel: string;
  action: string;
  entityType: string;
  entityKey: string;
  before: unknown;
  after: unknown;
  diff: unknown;
  reason: string | null;
  changeRequestId: string | null;
  requestMeta: unknown;
  createdAt: Date | string;
}

/** Deterministic JSON: sorted keys, no undefined members, -0 as 0, non-finite numbers as null. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(normalise(value, new Set())) ?? "null";
}

function normalise(value: unknown, seen: Set<object>): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "number") return Number.isFinite(value) ? (Object.is(value, -0) ? 0 : value) : null;
  if (typeof value !== "object") return typeof value === "function" || typeof value === "symbol" ? null : value;
  const withToJson = value as { toJSON?: () => unknown };
  if (typeof withToJson.toJSON === "function") return normalise(withToJson.toJSON(), seen);
  if (seen.has(value)) throw new TypeError("canonicalJson: circular structure");
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => normalise(item, seen));
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const member = (value as Record<string, unknown>)[key];
      if (member === undefined || typeof member === "function" || typeof member === "symbol") continue;
      out[key] = normalise(member, seen);
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

/** Picks the hashed fields from an event or a database row, normalised (null for absent). */
export function auditContentOf(event: Partial<AuditContent> & Pick<AuditContent, "createdAt">): AuditContent {
  const createdAt = event.createdAt instanceof Date ? event.createdAt : new Date(event.createdAt);
  if (Number.isNaN(createdAt.getTime())) throw new TypeError("Audit event createdAt is not a valid time");
  return {
    projectId: event.projectId ?? null,
    environmentId: event.environmentId ?? null,
    actorType: event.actorType ?? "system",
    actorId: event.actorId ?? null,
    actorLabel: event.actorLabel ?? "",
    action: event.action ?? "",
    entityType: event.entityType ?? "",
    entityKey: event.entityKey ?? "",
    before: event.before ?? null,
    after: event.after ?? null,
    diff: event.diff ?? null,
    reason: event.reason ?? null,
    changeRequestId: event.changeRequestId ?? null,
    requestMeta: event.requestMeta ?? null,
    createdAt: createdAt.toISOString(),
  };
}

/** sha256 hex over the previous hash and the canonical content. */
export function computeAuditHash(
  prevHash: string,
  content: Partial<AuditContent> & Pick<AuditContent, "createdAt">,
): string {
  return createHash("sha256")
    .update(prevHash)
    .update("\n")
    .update(canonicalJson(auditContentOf(content)))
    .digest("hex");
}

export interface AuditRowLike extends Partial<AuditContent> {
  id: bigint | number | string;
  createdAt: Date | string;
  prevHash: string;
  hash: string;
}

export type AuditVerification =
  | { ok: true; checked: number; lastHash: string }
  | {
      ok: false;
      checked: number;
      /** The first event that does not verify. */
      brokenAt: string;
      /** prev_hash: it does not point at the event before it (deleted/inserted/reordered rows);
       *  hash: its content was changed after it was written. */
      reason: "prev_hash" | "hash";
      expected: string;
      actual: string;
    };

/**
 * Verifies rows in id order, one at a time, so a caller can stream millions of rows through it.
 * `push` returns the failure on the first broken link and keeps returning it.
 */
export class AuditChainVerifier {
  private prevHash: string;
  private checked = 0;
  private failure?: Extract<AuditVerification, { ok: false }>;

  constructor(startPrevHash: string = AUDIT_GENESIS_HASH) {
    this.prevHash = startPrevHash;
  }

  push(row: AuditRowLike): Extract<AuditVerification, { ok: false }> | undefined {
    if (this.failure) return this.failure;
    const id = String(row.id);
    if (row.prevHash !== this.prevHash) {
      this.failure = { ok: false, checked: this.checked, brokenAt: id, reason: "prev_hash", expected: this.prevHash, actual: row.prevHash };
      return this.failure;
    }
    const expected = computeAuditHash(row.prevHash, row);
    if (row.hash !== expected) {
      this.failure = { ok: false, checked: this.checked, brokenAt: id, reason: "hash", expected, actual: row.hash };
      return this.failure;
    }
    this.prevHash = row.hash;
    this.checked += 1;
    return undefined;
  }

  result(): AuditVerification {
    return this.failure ?? { ok: true, checked: this.checked, lastHash: this.prevHash };
  }
}

export function verifyAuditChain(rows: Iterable<AuditRowLike>, startPrevHash?: string): AuditVerification {
  const verifier = new AuditChainVerifier(startPrevHash);
  for (const row of rows) if (verifier.push(row)) break;
  return verifier.result();
}
