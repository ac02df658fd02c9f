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
  await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK_KEY})`);
  const last = await tx.auditEvent.findFirst({ orderBy: { id: "desc" }, select: { hash: true } });
  const prevHash = last?.hash ?? AUDIT_GENESIS_HASH;
  const content = auditContentOf({ ...input, createdAt: input.createdAt ?? new Date() });
  const hash = computeAuditHash(prevHash, content);
  const json = (value: unknown) =>
    value === null || value === undefined ? Prisma.DbNull : (value as Prisma.InputJsonValue);
  return tx.auditEvent.create({
    data: {
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
    },
  });
}

/** appendAuditEvent in a transaction of its own, for events that record no other write. */
export function recordAuditEvent(prisma: PrismaClient, input: AuditEventInput) {
  return prisma.$transaction((tx) => appendAuditEvent(tx, input));
}
