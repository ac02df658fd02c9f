import { getPrisma, type Prisma } from "@/lib/db";

/** The channel on which every committed change to an environment is announced. */
export const SNAPSHOT_CHANNEL = "switchyard_snapshot";

/** Everything evaluation needs for one environment, as stored. */
export async function loadEnvironmentEvaluationState(environmentId: string) {
  const prisma = getPrisma();
  const [environment, flagConfigs, segmentConfigs] = await Promise.all([
    prisma.environment.findUnique({
      where: { id: environmentId },
      select: { id: true, key: true, snapshotVersion: true, updatedAt: true, project: { select: { key: true, optOutAttribute: true } } },
    }),
    prisma.flagEnvironmentConfig.findMany({
      where: { environmentId, flag: { lifecycle: { not: "archived" } } },
      select: {
        config: true,
        version: true,
        flag: { select: { key: true, kind: true, valueType: true, variations: true, controlVariation: true, clientVisible: true } },
      },
    }),
    prisma.segmentEnvironmentConfig.findMany({
      where: { environmentId },
      select: { included: true, excluded: true, rules: true, segment: { select: { key: true } } },
    }),
  ]);
  return environment ? { environment, flagConfigs, segmentConfigs } : null;
}

export type EnvironmentEvaluationState = NonNullable<Awaited<ReturnType<typeof loadEnvironmentEvaluationState>>>;

/** Current versions of every environment (the safety poll compares them to what is loaded). */
export function listSnapshotVersions() {
  return getPrisma().environment.findMany({ select: { id: true, snapshotVersion: true } });
}

/**
 * Call inside the transaction of any change that affects evaluation: bumps the environment's
 * snapshot version and queues a notification that PostgreSQL delivers to every listening
 * instance when (and only if) the transaction commits.
 */
export async function bumpSnapshotVersion(tx: Prisma.TransactionClient, environmentId: string): Promise<number> {
  const [row] = await tx.$queryRaw<{ version: number }[]>`
    UPDATE environments SET "snapshotVersion" = "snapshotVersion" + 1 WHERE id = ${environmentId} RETURNING "snapshotVersion" AS version`;
  await tx.$executeRaw`SELECT pg_notify(${SNAPSHOT_CHANNEL}, ${JSON.stringify({ environmentId, version: row.version })})`;
  return row.version;
}
