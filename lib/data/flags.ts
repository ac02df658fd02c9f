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

/** Tags in use on the project's flags (not archived), for the list's tag filter. */
export async function listFlagTags(projectId: string): Promise<string[]> {
  const rows = await getPrisma().$queryRaw<{ tag: string }[]>`
    SELECT DISTINCT unnest(tags) AS tag FROM flags WHERE "projectId" = ${projectId} AND lifecycle <> 'archived' ORDER BY 1`;
  return rows.map((row) => row.tag);
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

/** Names of flags by key (for labels in previews and lists). */
export async function findFlagNames(projectId: string, keys: string[]): Promise<Map<string, string>> {
  if (keys.length === 0) return new Map();
  const rows = await getPrisma().flag.findMany({ where: { projectId, key: { in: keys } }, select: { key: true, name: true } });
  return new Map(rows.map((row) => [row.key, row.name]));
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
  /**
   * The environment whose configuration `state`, `stale` and the `updated` sort look at (the
   * console's current environment). Required for those; ignored otherwise.
   */
  environmentId?: string;
  /** On or off in `environmentId` (flags without a configuration there count as off). */
  state?: "on" | "off";
  /** Only flags that are stale in `environmentId` (see `staleness`). */
  stale?: boolean;
}

/**
 * Orders a list can take. `key` and `name` ascend; `updated` (the later of the definition's and
 * the environment configuration's last change) and `created` show the newest first. Ties are
 * broken by key, which is unique, so keyset pagination never skips or repeats a row.
 */
export type FlagListSort = "key" | "name" | "updated" | "created";

/** Where the previous page ended: its last row's key and, for sorts other than `key`, its sort value. */
export interface FlagListPosition {
  key: string;
  value?: string;
}

/** A flag is stale after this long unevaluated or serving one variation to everyone. */
export const STALE_AFTER_DAYS = 30;

/** Why a flag counts as stale in one environment (any one suffices). */
export interface FlagStaleness {
  /** Its expiry date has passed. */
  pastExpiry: boolean;
  /** It has served one variation to everyone (off, or on with no targets, rules or split) for 30 days. */
  servingOneVariation: boolean;
  /**
   * No exposures recorded for it in 30 days although it is older than that, in an environment that
   * does report exposures (without any event data, "not evaluated" would be a guess).
   */
  notEvaluated: boolean;
}

export type FlagListRow = FlagRow & { staleness: FlagStaleness | null; lastChangedAt: Date };

const STALE_MS = STALE_AFTER_DAYS * 24 * 60 * 60 * 1000;

/** `%`, `_` and `\` match themselves in ILIKE patterns built from user input. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * One page of flags, filtered and sorted in the database, after `after` (keyset pagination:
 * stable under inserts), with the total number of matches when `withTotal` is set. The ids of
 * the page are chosen in one SQL statement (search, filters, order and position are all
 * expressions of it); the rows are then read with their owner and configurations by id.
 */
export async function listFlagsPage(
  projectId: string,
  filter: FlagListFilter,
  after: FlagListPosition | undefined,
  limit: number,
  options: { sort?: FlagListSort; withTotal?: boolean; now?: Date } = {},
): Promise<{ rows: FlagListRow[]; hasMore: boolean; total: number | null }> {
  const prisma = getPrisma();
  const sort = options.sort ?? "key";
  const now = options.now ?? new Date();
  const cutoff = new Date(now.getTime() - STALE_MS);
  const env = filter.environmentId;
  if ((filter.state || filter.stale || sort === "updated") && !env) throw new Error("listFlagsPage: state, stale and the updated sort need an environment.");

  // Whether the environment reports exposures at all (the "not evaluated" criterion needs it).
  const reportsExposures = env
    ? (await prisma.$queryRaw<{ found: boolean }[]>`
        SELECT EXISTS (SELECT 1 FROM exposure_rollups WHERE "environmentId" = ${env} AND "bucketStart" >= ${cutoff}) AS found`)[0].found
    : false;

  const pastExpiry = Prisma.sql`(f."expiresAt" IS NOT NULL AND f."expiresAt" < ${now})`;
  // Off, or on with no targets, rules or prerequisites and a single fallthrough variation, unchanged since the cutoff.
  const servingOne = Prisma.sql`(c.id IS NOT NULL AND c."updatedAt" < ${cutoff} AND (
    (c.config->>'on')::boolean IS NOT TRUE OR (
      jsonb_array_length(COALESCE(c.config->'rules', '[]'::jsonb)) = 0
      AND jsonb_array_length(COALESCE(c.config->'prerequisites', '[]'::jsonb)) = 0
      AND NOT jsonb_path_exists(COALESCE(c.config->'targets', '[]'::jsonb), '$[*].values[*]')
      AND (c.config->'fallthrough') ? 'variation')))`;
  const notEvaluated = reportsExposures
    ? Prisma.sql`(f."createdAt" < ${cutoff} AND NOT EXISTS (
        SELECT 1 FROM exposure_rollups r
        WHERE r."environmentId" = ${env} AND r."flagKey" = f.key AND r."bucketStart" >= ${cutoff}))`
    : Prisma.sql`false`;

  const conditions: Prisma.Sql[] = [Prisma.sql`f."projectId" = ${projectId}`];
  conditions.push(filter.lifecycle ? Prisma.sql`f.lifecycle = ${filter.lifecycle}::flag_lifecycle` : Prisma.sql`f.lifecycle <> 'archived'`);
  if (filter.kind) conditions.push(Prisma.sql`f.kind = ${filter.kind}::flag_kind`);
  if (filter.tag) conditions.push(Prisma.sql`${filter.tag} = ANY(f.tags)`);
  if (filter.ownerEmail) conditions.push(Prisma.sql`f."ownerId" = (SELECT id FROM users WHERE email = ${filter.ownerEmail})`);
  if (filter.query) {
    const pattern = likePattern(filter.query);
    conditions.push(Prisma.sql`(f.key ILIKE ${pattern} OR f.name ILIKE ${pattern} OR f.description ILIKE ${pattern})`);
  }
  if (filter.state === "on") conditions.push(Prisma.sql`(c.config->>'on')::boolean IS TRUE`);
  if (filter.state === "off") conditions.push(Prisma.sql`(c.config->>'on')::boolean IS NOT TRUE`);
  if (filter.stale) conditions.push(Prisma.sql`(${pastExpiry} OR ${servingOne} OR ${notEvaluated})`);
  const where = Prisma.join(conditions, " AND ");
  const from = env
    ? Prisma.sql`flags f LEFT JOIN flag_environment_configs c ON c."flagId" = f.id AND c."environmentId" = ${env}`
    : Prisma.sql`flags f LEFT JOIN flag_environment_configs c ON false`;

  const sortValue = {
    key: Prisma.sql`f.key`,
    name: Prisma.sql`f.name`,
    updated: Prisma.sql`GREATEST(f."updatedAt", c."updatedAt")`,
    created: Prisma.sql`f."createdAt"`,
  }[sort];
  let position = Prisma.sql`true`;
  if (after) {
    const afterKey = Prisma.sql`f.key COLLATE "C" > ${after.key}`;
    if (sort === "key") position = afterKey;
    else if (sort === "name") {
      const name = after.value ?? "";
      position = Prisma.sql`(f.name COLLATE "C" > ${name} OR (f.name = ${name} AND ${afterKey}))`;
    } else {
      const time = new Date(after.value ?? 0);
      position = Prisma.sql`(${sortValue} < ${time} OR (${sortValue} = ${time} AND ${afterKey}))`;
    }
  }
  // "C" collation: the order (and so the keyset comparison) is by code point, as for the key.
  const order = sort === "key" ? Prisma.sql`f.key COLLATE "C"` : sort === "name" ? Prisma.sql`f.name COLLATE "C", f.key COLLATE "C"` : Prisma.sql`${sortValue} DESC, f.key COLLATE "C"`;

  const [picked, total] = await Promise.all([
    prisma.$queryRaw<{ id: string; pastExpiry: boolean; servingOne: boolean; notEvaluated: boolean; lastChangedAt: Date }[]>`
      SELECT f.id, ${pastExpiry} AS "pastExpiry", ${servingOne} AS "servingOne", ${notEvaluated} AS "notEvaluated",
             GREATEST(f."updatedAt", c."updatedAt") AS "lastChangedAt"
      FROM ${from}
      WHERE ${where} AND ${position}
      ORDER BY ${order}
      LIMIT ${limit + 1}`,
    options.withTotal ? prisma.$queryRaw<{ total: number }[]>`SELECT count(*)::int AS total FROM ${from} WHERE ${where}` : Promise.resolve(null),
  ]);
  const page = picked.slice(0, limit);
  const found = page.length ? await prisma.flag.findMany({ where: { id: { in: page.map((p) => p.id) } }, include: FLAG_INCLUDE }) : [];
  const byId = new Map(found.map((row) => [row.id, row]));
  const rows: FlagListRow[] = [];
  for (const p of page) {
    const row = byId.get(p.id);
    // A flag deleted between the two reads is simply left out.
    if (!row) continue;
    rows.push({
      ...row,
      lastChangedAt: new Date(p.lastChangedAt),
      staleness: env ? { pastExpiry: p.pastExpiry, servingOneVariation: p.servingOne, notEvaluated: p.notEvaluated } : null,
    });
  }
  return { rows, hasMore: picked.length > limit, total: total ? total[0].total : null };
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
