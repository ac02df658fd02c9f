import { getPrisma, type Prisma } from "@/lib/db";

/** Live flags whose expiry falls in (from, to], with their project, for expiry notices. */
export function listFlagsExpiringBetween(from: Date, to: Date) {
  return getPrisma().flag.findMany({
    where: { expiresAt: { gt: from, lte: to }, lifecycle: { notIn: ["archived"] } },
    select: { id: true, key: true, name: true, expiresAt: true, owner: { select: { email: true } }, project: { select: { id: true, key: true } } },
    orderBy: { expiresAt: "asc" },
    take: 1000,
  });
}

/**
 * Records that the announcement named `key` was made; false when it already was. Called in the
 * announcement's transaction, so the key and the outbox rows commit together.
 */
export async function claimEventKey(tx: Prisma.TransactionClient, key: string): Promise<boolean> {
  const inserted = await tx.$executeRaw`INSERT INTO published_event_keys (key) VALUES (${key}) ON CONFLICT (key) DO NOTHING`;
  return inserted > 0;
}
