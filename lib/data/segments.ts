import { diffSegmentContents } from "@/lib/change-requests/config-diff";
import { appendAuditEvent, recordAudit, type AuditEventInput } from "@/lib/audit/append-audit-event";
import type { AuditStamp } from "@/lib/audit/audit-actor";
import { getPrisma, type Prisma } from "@/lib/db";
import type { SegmentRule } from "@/lib/evaluation/types";
import { bumpSnapshotVersion } from "./snapshots";

/** Writes with 100,000-key lists (and imports) can outlast Prisma's 5 s default. */
export const BULK_TRANSACTION = { timeout: 120_000, maxWait: 30_000 } as const;

const SEGMENT_INCLUDE = { owner: { select: { email: true, name: true } } } satisfies Prisma.SegmentInclude;
export type SegmentRow = Prisma.SegmentGetPayload<{ include: typeof SEGMENT_INCLUDE }>;

export function findSegmentByKey(projectId: string, key: string): Promise<SegmentRow | null> {
  return getPrisma().segment.findUnique({ where: { projectId_key: { projectId, key } }, include: SEGMENT_INCLUDE });
}

/** Every segment's name by key (labels for segment conditions and references). */
export async function listSegmentNames(projectId: string): Promise<Map<string, string>> {
  const rows = await getPrisma().segment.findMany({ where: { projectId }, select: { key: true, name: true } });
  return new Map(rows.map((row) => [row.key, row.name]));
}

/** A segment with its membership in one environment. */
export function findSegmentWithConfig(projectId: string, key: string, environmentId: string) {
  return getPrisma().segment.findUnique({
    where: { projectId_key: { projectId, key } },
    include: { configs: { where: { environmentId } } },
  });
}

/** Segments by key with their membership in one environment. */
export function findSegmentsWithConfig(projectId: string, keys: string[], environmentId: string) {
  if (keys.length === 0) return Promise.resolve([]);
  return getPrisma().segment.findMany({ where: { projectId, key: { in: keys } }, include: { configs: { where: { environmentId } } } });
}

export interface SegmentEnvironmentSummary {
  segmentId: string;
  environmentKey: string;
  version: number;
  includedCount: number;
  excludedCount: number;
  ruleCount: number;
  updatedAt: Date;
}

/** Per segment and environment: version and list sizes, counted in the database (lists can hold 100,000 keys). */
export function listSegmentSummaries(segmentIds: string[]): Promise<SegmentEnvironmentSummary[]> {
  if (segmentIds.length === 0) return Promise.resolve([]);
  return getPrisma().$queryRaw<SegmentEnvironmentSummary[]>`
    SELECT c."segmentId", e.key AS "environmentKey", c.version,
           jsonb_array_length(c.included) AS "includedCount", jsonb_array_length(c.excluded) AS "excludedCount",
           jsonb_array_length(c.rules) AS "ruleCount", c."updatedAt"
    FROM segment_environment_configs c JOIN environments e ON e.id = c."environmentId"
    WHERE c."segmentId" = ANY(${segmentIds})
    ORDER BY e."sortOrder", e.key`;
}

export interface SegmentListFilter {
  query?: string;
  tag?: string;
}

export async function listSegmentsPage(projectId: string, filter: SegmentListFilter, afterKey: string | undefined, limit: number) {
  const contains = filter.query ? { contains: filter.query, mode: "insensitive" as const } : undefined;
  const rows = await getPrisma().segment.findMany({
    where: {
      projectId,
      ...(filter.tag ? { tags: { has: filter.tag } } : {}),
      ...(contains ? { OR: [{ key: contains }, { name: contains }, { description: contains }] } : {}),
      ...(afterKey !== undefined ? { key: { gt: afterKey } } : {}),
    },
    include: SEGMENT_INCLUDE,
    orderBy: { key: "asc" },
    take: limit + 1,
  });
  return { rows: rows.slice(0, limit), hasMore: rows.length > limit };
}

export interface SegmentUsage {
  flags: { flagKey: string; environmentKey: string; archived: boolean }[];
  segments: { segmentKey: string; environmentKey: string }[];
}

/**
 * Where a segment is referred to: flag rules (archived flags too: restoring one must not find
 * its segment gone) and other segments' rules, per environment.
 */
export async function findSegmentUsage(projectId: string, segmentKey: string, db: Prisma.TransactionClient = getPrisma()): Promise<SegmentUsage> {
  const path = '$.rules[*].clauses[*] ? ((@.op == "inSegment" || @.op == "notInSegment") && @.values[*] == $key)';
  const flags = await db.$queryRaw<SegmentUsage["flags"]>`
    SELECT f.key AS "flagKey", e.key AS "environmentKey", (f.lifecycle = 'archived') AS archived
    FROM flag_environment_configs c
    JOIN flags f ON f.id = c."flagId"
    JOIN environments e ON e.id = c."environmentId"
    WHERE f."projectId" = ${projectId}
      AND jsonb_path_exists(c.config, ${path}::jsonpath, jsonb_build_object('key', ${segmentKey}::text))
    ORDER BY f.key, e."sortOrder"`;
  const segments = await db.$queryRaw<SegmentUsage["segments"]>`
    SELECT s.key AS "segmentKey", e.key AS "environmentKey"
    FROM segment_environment_configs c
    JOIN segments s ON s.id = c."segmentId"
    JOIN environments e ON e.id = c."environmentId"
    WHERE s."projectId" = ${projectId} AND s.key <> ${segmentKey}
      AND jsonb_path_exists(jsonb_build_object('rules', c.rules), ${path}::jsonpath, jsonb_build_object('key', ${segmentKey}::text))
    ORDER BY s.key, e."sortOrder"`;
  return { flags, segments };
}

/**
 * For every segment of the project, the flags (not archived) whose rules in some environment
 * refer to it, in one pass over the configurations: the segments list's "used by" column.
 */
export async function listSegmentReferences(projectId: string): Promise<{ segmentKey: string; flagKey: string; environmentKey: string }[]> {
  return getPrisma().$queryRaw`
    SELECT DISTINCT v #>> '{}' AS "segmentKey", f.key AS "flagKey", e.key AS "environmentKey"
    FROM flag_environment_configs c
    JOIN flags f ON f.id = c."flagId"
    JOIN environments e ON e.id = c."environmentId"
    CROSS JOIN LATERAL jsonb_path_query(c.config, '$.rules[*].clauses[*] ? (@.op == "inSegment" || @.op == "notInSegment").values[*]') AS v
    WHERE f."projectId" = ${projectId} AND f.lifecycle <> 'archived'
    ORDER BY 1, 2, 3`;
}

export interface SegmentContent {
  included: string[];
  excluded: string[];
  rules: SegmentRule[];
}

export interface NewSegment {
  projectId: string;
  key: string;
  name: string;
  description: string;
  tags: string[];
  ownerId: string | null;
}

const json = (value: unknown) => value as Prisma.InputJsonValue;

/**
 * Creates a segment with its membership (version 1) in each environment, revisions and audit
 * entries. Does not bump snapshots (callers bump each environment once). With `pendingAudit`,
 * the audit events are collected for one batch append.
 */
export async function writeNewSegment(
  tx: Prisma.TransactionClient,
  segment: NewSegment,
  configs: { environmentId: string; content: SegmentContent; updatedById: string | null }[],
  audit: AuditStamp,
  reason?: string,
  pendingAudit?: AuditEventInput[],
) {
  const created = await tx.segment.create({ data: segment });
  const data = (content: SegmentContent) => ({ included: json(content.included), excluded: json(content.excluded), rules: json(content.rules) });
  await tx.segmentEnvironmentConfig.createMany({
    data: configs.map(({ environmentId, content, updatedById }) => ({ segmentId: created.id, environmentId, ...data(content), version: 1, updatedById })),
  });
  await tx.segmentConfigRevision.createMany({
    data: configs.map(({ environmentId, content }) => ({
      segmentId: created.id,
      environmentId,
      version: 1,
      ...data(content),
      actorType: audit.actorType,
      actorId: audit.actorId,
      actorLabel: audit.actorLabel,
    })),
  });
  await recordAudit(
    tx,
    {
      ...audit,
      projectId: segment.projectId,
      action: "segment.created",
      entityType: "segment",
      entityKey: segment.key,
      after: { key: segment.key, name: segment.name, description: segment.description, tags: segment.tags, ownerId: segment.ownerId },
      reason: reason ?? null,
    },
    pendingAudit,
  );
  for (const { environmentId, content } of configs) {
    await recordAudit(
      tx,
      { ...audit, projectId: segment.projectId, environmentId, action: "segment_config.created", entityType: "segment", entityKey: segment.key, after: { ...content, version: 1 }, reason: reason ?? null },
      pendingAudit,
    );
  }
  return created;
}

/** Creates a segment, empty in every environment, and publishes new snapshots, atomically. */
export function insertSegment(segment: NewSegment, environmentIds: string[], updatedById: string | null, audit: AuditStamp) {
  const empty: SegmentContent = { included: [], excluded: [], rules: [] };
  return getPrisma().$transaction(async (tx) => {
    await writeNewSegment(tx, segment, environmentIds.map((environmentId) => ({ environmentId, content: empty, updatedById })), audit);
    for (const environmentId of environmentIds) await bumpSnapshotVersion(tx, environmentId);
  });
}

/** Name, description, tags, owner: nothing evaluation sees, so no snapshot. */
export function updateSegmentDefinition(input: {
  projectId: string;
  segmentId: string;
  segmentKey: string;
  change: { name?: string; description?: string; tags?: string[]; ownerId?: string | null };
  before: Record<string, unknown>;
  after: Record<string, unknown>;
  audit: AuditStamp;
}) {
  return getPrisma().$transaction(async (tx) => {
    await tx.segment.update({ where: { id: input.segmentId }, data: input.change });
    await appendAuditEvent(tx, {
      ...input.audit,
      projectId: input.projectId,
      action: "segment.updated",
      entityType: "segment",
      entityKey: input.segmentKey,
      before: input.before,
      after: input.after,
    });
  });
}

export interface SegmentConfigWrite {
  projectId: string;
  environmentId: string;
  segmentId: string;
  segmentKey: string;
  expectedVersion: number;
  before: SegmentContent;
  content: SegmentContent;
  audit: AuditStamp;
  updatedById: string | null;
  reason?: string;
  action?: string;
  /** Collects the audit event for a batch append instead of appending it (bulk writes). */
  pendingAudit?: AuditEventInput[];
  /** The change request this write applies, recorded on the revision and the audit entry. */
  changeRequestId?: string;
}

/**
 * A segment membership save for callers that bundle writes (no snapshot bump). Null when the
 * version moved since `expectedVersion`.
 */
export async function writeSegmentConfigVersion(tx: Prisma.TransactionClient, input: SegmentConfigWrite): Promise<{ version: number } | null> {
  const nextVersion = input.expectedVersion + 1;
  const data = { included: json(input.content.included), excluded: json(input.content.excluded), rules: json(input.content.rules) };
  const { count } = await tx.segmentEnvironmentConfig.updateMany({
    where: { segmentId: input.segmentId, environmentId: input.environmentId, version: input.expectedVersion },
    data: { ...data, version: nextVersion, updatedById: input.updatedById },
  });
  if (count === 0) return null;
  await tx.segmentConfigRevision.create({
    data: {
      segmentId: input.segmentId,
      environmentId: input.environmentId,
      version: nextVersion,
      ...data,
      actorType: input.audit.actorType,
      actorId: input.audit.actorId,
      actorLabel: input.audit.actorLabel,
      changeRequestId: input.changeRequestId ?? null,
    },
  });
  await recordAudit(tx, {
    ...input.audit,
    projectId: input.projectId,
    environmentId: input.environmentId,
    action: input.action ?? "segment_config.updated",
    entityType: "segment",
    entityKey: input.segmentKey,
    before: { ...input.before, version: input.expectedVersion },
    after: { ...input.content, version: nextVersion },
    // Key lists can be long: the diff counts the keys that came and went and lists the first few.
    diff: diffSegmentContents(input.before, input.content),
    reason: input.reason ?? null,
    changeRequestId: input.changeRequestId ?? null,
  }, input.pendingAudit);
  return { version: nextVersion };
}

/** Replaces a segment's membership in one environment if still at `expectedVersion`, with revision, audit and snapshot, atomically. */
export function replaceSegmentConfig(input: SegmentConfigWrite) {
  return getPrisma().$transaction(async (tx) => {
    const written = await writeSegmentConfigVersion(tx, input);
    if (!written) return null;
    const snapshotVersion = await bumpSnapshotVersion(tx, input.environmentId);
    return { version: written.version, snapshotVersion };
  }, BULK_TRANSACTION);
}

/**
 * Deletes a segment (its memberships and revisions go with it; the audit entry keeps what it
 * was) unless something refers to it, checked again inside the transaction.
 */
export function removeSegment(input: {
  projectId: string;
  segmentId: string;
  segmentKey: string;
  environmentIds: string[];
  before: unknown;
  audit: AuditStamp;
}): Promise<{ ok: true } | { ok: false; usage: SegmentUsage }> {
  return getPrisma().$transaction(async (tx) => {
    const usage = await findSegmentUsage(input.projectId, input.segmentKey, tx);
    if (usage.flags.length > 0 || usage.segments.length > 0) return { ok: false as const, usage };
    await tx.segment.delete({ where: { id: input.segmentId } });
    await appendAuditEvent(tx, {
      ...input.audit,
      projectId: input.projectId,
      action: "segment.deleted",
      entityType: "segment",
      entityKey: input.segmentKey,
      before: input.before,
    });
    for (const environmentId of input.environmentIds) await bumpSnapshotVersion(tx, environmentId);
    return { ok: true as const };
  }, BULK_TRANSACTION);
}

/** Every environment's membership of a segment (for the audit entry of its deletion). */
export function listSegmentConfigs(segmentId: string) {
  return getPrisma().segmentEnvironmentConfig.findMany({
    where: { segmentId },
    select: { environmentId: true, version: true, included: true, excluded: true, rules: true, environment: { select: { key: true } } },
  });
}
