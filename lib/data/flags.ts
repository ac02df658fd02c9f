import { appendAuditEvent, recordAudit, type AuditEventInput } from "@/lib/audit/append-audit-event";
import type { AuditStamp } from "@/lib/audit/audit-actor";
import { getPrisma, Prisma } from "@/lib/db";
import type { FlagKind, FlagLifecycle, FlagValueType } from "@/lib/db";
import type { FlagConfig, Variation } from "@/lib/evaluation/types";
import { bumpSnapshotVersion } from "./snapshots";

/** Flags of a project with their configuration in one environment, newest change first. */
export function listFlagsForEnvironment(projectId: string, environmentId: string) {
  return getPrisma().flag.findMany({
    where: { projectId, lifecycle: { not: "archived" } },
    include: {
      owner: { select: { email: true, name: true } },
      configs: { where: { environmentId }, select: { config: true, version: true, updatedAt: true } },
    },
    orderBy: [{ updatedAt: "desc" }, { key: "asc" }],
  });
}

const FLAG_INCLUDE = {
  owner: { select: { email: true, name: true } },
  configs: {
    select: {
      environmentId: true,
      config: true,
      version: true,
      updatedAt: true,
      environment: { select: { key: true, sortOrder: true, requireReview: true, name: true } },
    },
  },
} satisfies Prisma.FlagInclude;

/** A flag definition with its owner and its configuration in every environment. */
export type FlagRow = Prisma.FlagGetPayload<{ include: typeof FLAG_INCLUDE }>;

export function findFlagByKey(projectId: string, key: string): Promise<FlagRow | null> {
  return getPrisma().flag.findUnique({ where: { projectId_key: { projectId, key } }, include: FLAG_INCLUDE });
}

export function findFlagsByKeys(projectId: string, keys: string[]): Promise<FlagRow[]> {
  if (keys.length === 0) return Promise.resolve([]);
  return getPrisma().flag.findMany({ where: { projectId, key: { in: keys } }, include: FLAG_INCLUDE });
}

export interface FlagListFilter {
  query?: string;
  kind?: FlagKind;
  tag?: string;
  /** Default: every stage but archived. */
  lifecycle?: FlagLifecycle;
  ownerEmail?: string;
}

/** One page of flags in key order, after `afterKey` (keyset pagination: stable under inserts). */
export async function listFlagsPage(projectId: string, filter: FlagListFilter, afterKey: string | undefined, limit: number) {
  const contains = filter.query ? { contains: filter.query, mode: "insensitive" as const } : undefined;
  const rows = await getPrisma().flag.findMany({
    where: {
      projectId,
      lifecycle: filter.lifecycle ?? { not: "archived" },
      ...(filter.kind ? { kind: filter.kind } : {}),
      ...(filter.tag ? { tags: { has: filter.tag } } : {}),
      ...(filter.ownerEmail ? { owner: { email: filter.ownerEmail } } : {}),
      ...(contains ? { OR: [{ key: contains }, { name: contains }, { description: contains }] } : {}),
      ...(afterKey !== undefined ? { key: { gt: afterKey } } : {}),
    },
    include: FLAG_INCLUDE,
    orderBy: { key: "asc" },
    take: limit + 1,
  });
  return { rows: rows.slice(0, limit), hasMore: rows.length > limit };
}

export interface FlagReference {
  flagKey: string;
  environmentKey: string;
}

/**
 * Flags (not archived) whose configuration in some environment lists `flagKey` as a
 * prerequisite. Pass a transaction client to check inside a write.
 */
export function findPrerequisiteDependents(projectId: string, flagKey: string, db: Prisma.TransactionClient = getPrisma()): Promise<FlagReference[]> {
  return db.$queryRaw<FlagReference[]>`
    SELECT f.key AS "flagKey", e.key AS "environmentKey"
    FROM flag_environment_configs c
    JOIN flags f ON f.id = c."flagId"
    JOIN environments e ON e.id = c."environmentId"
    WHERE f."projectId" = ${projectId} AND f.key <> ${flagKey} AND f.lifecycle <> 'archived'
      AND jsonb_path_exists(c.config, '$.prerequisites[*] ? (@.flagKey == $key)', jsonb_build_object('key', ${flagKey}::text))
    ORDER BY f.key, e."sortOrder"`;
}

export interface NewFlag {
  projectId: string;
  key: string;
  name: string;
  description: string;
  kind: FlagKind;
  valueType: FlagValueType;
  variations: Variation[];
  controlVariation: string | null;
  ownerId: string | null;
  tags: string[];
  lifecycle: FlagLifecycle;
  expiresAt: Date | null;
  clientVisible: boolean;
  createdById: string | null;
}

/** Unique-constraint violations (a key taken by a concurrent create). */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

/**
 * Creates a flag and its first configuration (version 1) in each environment, with a revision
 * and an audit entry for each, plus one for the definition. Does not bump snapshots: callers
 * bundle it with other writes and bump each environment once. With `pendingAudit`, the audit
 * events are collected for one batch append.
 */
export async function writeNewFlag(
  tx: Prisma.TransactionClient,
  flag: NewFlag,
  configs: { environmentId: string; config: FlagConfig }[],
  audit: AuditStamp,
  reason?: string,
  pendingAudit?: AuditEventInput[],
) {
  const variations = flag.variations as unknown as Prisma.InputJsonValue;
  const created = await tx.flag.create({ data: { ...flag, variations } });
  const json = (config: FlagConfig) => ({ ...config, version: undefined }) as unknown as Prisma.InputJsonValue;
  await tx.flagEnvironmentConfig.createMany({
    data: configs.map(({ environmentId, config }) => ({ flagId: created.id, environmentId, config: json(config), version: 1, updatedById: flag.createdById })),
  });
  await tx.flagConfigRevision.createMany({
    data: configs.map(({ environmentId, config }) => ({
      flagId: created.id,
      environmentId,
      version: 1,
      config: json(config),
      variations,
      actorType: audit.actorType,
      actorId: audit.actorId,
      actorLabel: audit.actorLabel,
    })),
  });
  await recordAudit(
    tx,
    {
      ...audit,
      projectId: flag.projectId,
      action: "flag.created",
      entityType: "flag",
      entityKey: flag.key,
      after: { ...flag, expiresAt: flag.expiresAt?.toISOString() ?? null, createdById: undefined, projectId: undefined },
      reason: reason ?? null,
    },
    pendingAudit,
  );
  for (const { environmentId, config } of configs) {
    await recordAudit(
      tx,
      { ...audit, projectId: flag.projectId, environmentId, action: "flag_config.created", entityType: "flag", entityKey: flag.key, after: { ...config, version: 1 }, reason: reason ?? null },
      pendingAudit,
    );
  }
  return created;
}

/** Creates a flag with its configurations and publishes a snapshot version in each environment, atomically. Null if the key is taken. */
export async function insertFlag(flag: NewFlag, configs: { environmentId: string; config: FlagConfig }[], audit: AuditStamp) {
  try {
    return await getPrisma().$transaction(async (tx) => {
      await writeNewFlag(tx, flag, configs, audit);
      for (const { environmentId } of configs) await bumpSnapshotVersion(tx, environmentId);
      return true;
    });
  } catch (error) {
    if (isUniqueViolation(error)) return null;
    throw error;
  }
}

export interface FlagDefinitionChange {
  name?: string;
  description?: string;
  tags?: string[];
  ownerId?: string | null;
  expiresAt?: Date | null;
  clientVisible?: boolean;
  lifecycle?: FlagLifecycle;
  variations?: Variation[];
  controlVariation?: string | null;
}

export type FlagDefinitionUpdate =
  | { ok: true }
  | { ok: false; reason: "conflict" }
  | { ok: false; reason: "dependents"; dependents: FlagReference[] };

/**
 * Applies a definition change if the flag's variations and configuration versions are still
 * those the change was checked against (the flag row is locked first, so a configuration save
 * validated against the old variations cannot slip in between). Records the audit entry and
 * bumps the snapshots of `bumpEnvironmentIds`, in one transaction. With `refuseIfRequired`, the
 * prerequisite check that guards archiving runs again inside the transaction.
 */
export async function updateFlagDefinition(input: {
  projectId: string;
  flagId: string;
  flagKey: string;
  change: FlagDefinitionChange;
  expected: { variations: unknown; configVersions: { environmentId: string; version: number }[] };
  refuseIfRequired: boolean;
  bumpEnvironmentIds: string[];
  audit: AuditStamp;
  action: string;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
  reason?: string;
}): Promise<FlagDefinitionUpdate> {
  return getPrisma().$transaction(async (tx): Promise<FlagDefinitionUpdate> => {
    const locked = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM flags WHERE id = ${input.flagId} AND variations = ${JSON.stringify(input.expected.variations)}::jsonb FOR UPDATE`;
    if (locked.length === 0) return { ok: false, reason: "conflict" };
    const current = await tx.flagEnvironmentConfig.findMany({ where: { flagId: input.flagId }, select: { environmentId: true, version: true } });
    const expected = new Map(input.expected.configVersions.map((c) => [c.environmentId, c.version]));
    if (current.length !== expected.size || current.some((c) => expected.get(c.environmentId) !== c.version)) return { ok: false, reason: "conflict" };
    if (input.refuseIfRequired) {
      const dependents = await findPrerequisiteDependents(input.projectId, input.flagKey, tx);
      if (dependents.length > 0) return { ok: false, reason: "dependents", dependents };
    }
    const { variations, ...rest } = input.change;
    await tx.flag.update({
      where: { id: input.flagId },
      data: { ...rest, ...(variations ? { variations: variations as unknown as Prisma.InputJsonValue } : {}) },
    });
    await appendAuditEvent(tx, {
      ...input.audit,
      projectId: input.projectId,
      action: input.action,
      entityType: "flag",
      entityKey: input.flagKey,
      before: input.before,
      after: input.after,
      reason: input.reason ?? null,
    });
    for (const environmentId of input.bumpEnvironmentIds) await bumpSnapshotVersion(tx, environmentId);
    return { ok: true };
  });
}
