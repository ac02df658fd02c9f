import { Prisma } from "../db/generated/client";
import type { PrismaClient } from "../db/generated/client";
import { AUDIT_GENESIS_HASH, type AuditContent, auditContentOf, computeAuditHash } from "./hash-chain";

/**
 * Appends one event to the hash-chained audit log. Appends are serialised by a PostgreSQL
 * advisory lock held until the surrounding transaction ends, so the chain stays linear when
 * several app instances write at once (and ids are assigned in chain order). Call it with the
 * transaction client of the change it records, so the change and its audit entry commit together.
 */

/** Arbitrary constant naming the audit chain's advisory lock. */
export const AUDIT_CHAIN_LOCK_KEY = 0x5_7a1d_0001;

export type AuditEventInput = Omit<Partial<AuditContent>, "createdAt"> &
  Pick<AuditContent, "actorType" | "actorLabel" | "action" | "entityType" | "entityKey"> & {
    /** Default: now. Millisecond precision is kept (timestamptz(3)). */
    createdAt?: Date;
  };

export async function appendAuditEvent(tx: Prisma.TransactionClient, input: AuditEventInput) {
  const prevHash = await lockChain(tx);
  return tx.auditEvent.create({ data: auditRow(input, prevHash) });
}

/**
 * Appends several events, in order, under one lock with one read and one insert: what a bulk
 * write (an import of thousands of flags) records. Ids are assigned in the order given, which
 * is the chain order.
 */
export async function appendAuditEvents(tx: Prisma.TransactionClient, inputs: readonly AuditEventInput[]): Promise<void> {
  if (inputs.length === 0) return;
  let prevHash = await lockChain(tx);
  const rows = inputs.map((input) => {
    const row = auditRow(input, prevHash);
    prevHash = row.hash;
    return row;
  });
  await tx.auditEvent.createMany({ data: rows });
}

/**
 * Records an event: appended now, or, when the caller collects a batch (`pending`), queued for
 * one appendAuditEvents at the end of its transaction.
 */
export async function recordAudit(tx: Prisma.TransactionClient, input: AuditEventInput, pending?: AuditEventInput[]): Promise<void> {
  if (pending) pending.push({ ...input, createdAt: input.createdAt ?? new Date() });
  else await appendAuditEvent(tx, input);
}

/** Takes the chain's lock for the rest of the transaction and answers the last hash. */
async function lockChain(tx: Prisma.TransactionClient): Promise<string> {
  await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK_KEY})`);
  const last = await tx.auditEvent.findFirst({ orderBy: { id: "desc" }, select: { hash: true } });
  return last?.hash ?? AUDIT_GENESIS_HASH;
}

function auditRow(input: AuditEventInput, prevHash: string) {
  const content = auditContentOf({ ...input, createdAt: input.createdAt ?? new Date() });
  const hash = computeAuditHash(prevHash, content);
  const json = (value: unknown) =>
    value === null || value === undefined ? Prisma.DbNull : (value as Prisma.InputJsonValue);
  return {
    projectId: content.projectId,
    environmentId: content.environmentId,
    actorType: content.actorType,
    actorId: content.actorId,
    actorLabel: content.actorLabel,
    action: content.action,
    entityType: content.entityType,
    entityKey: content.entityKey,
    before: json(content.before),
    after: json(content.after),
    diff: json(content.diff),
    reason: content.reason,
    changeRequestId: content.changeRequestId,
    requestMeta: json(content.requestMeta),
    createdAt: new Date(content.createdAt),
    prevHash,
    hash,
  };
}

/** appendAuditEvent in a transaction of its own, for events that record no other write. */
export function recordAuditEvent(prisma: PrismaClient, input: AuditEventInput) {
  return prisma.$transaction((tx) => appendAuditEvent(tx, input));
}
