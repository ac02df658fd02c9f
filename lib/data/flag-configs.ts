import { recordAudit, type AuditEventInput } from "@/lib/audit/append-audit-event";
import type { AuditStamp } from "@/lib/audit/audit-actor";
import { getPrisma, type Prisma } from "@/lib/db";
import { diffFlagConfigs } from "@/lib/change-requests/config-diff";
import type { FlagConfig } from "@/lib/evaluation/types";
import { bumpSnapshotVersion } from "./snapshots";

/** A flag with its definition and its configuration in one environment. */
export function findFlagWithConfig(projectId: string, flagKey: string, environmentId: string) {
  return getPrisma().flag.findUnique({
    where: { projectId_key: { projectId, key: flagKey } },
    include: { configs: { where: { environmentId } } },
  });
}

/** One recorded version of a flag's configuration in an environment (revisions are immutable). */
export function findFlagConfigRevision(flagId: string, environmentId: string, version: number) {
  return getPrisma().flagConfigRevision.findUnique({ where: { flagId_environmentId_version: { flagId, environmentId, version } }, select: { config: true, version: true } });
}

/**
 * Replaces a configuration if, and only if, it is still at `expectedVersion` and the flag's
 * variations are still the ones it was validated against (optimistic concurrency: a concurrent
 * save or variation edit makes this return null and change nothing). Records the revision, the
 * audit entry and the snapshot bump in the same transaction.
 */
export function replaceFlagConfig(input: FlagConfigWrite) {
  return getPrisma().$transaction(async (tx) => {
    const written = await writeFlagConfigVersion(tx, input);
    if (!written) return null;
    const snapshotVersion = await bumpSnapshotVersion(tx, input.environmentId);
    return { version: written.version, snapshotVersion };
  });
}

export interface FlagConfigWrite {
  projectId: string;
  environmentId: string;
  flagId: string;
  flagKey: string;
  expectedVersion: number;
  before: FlagConfig;
  config: FlagConfig;
  /** The variations the configuration was validated against. */
  variations: unknown;
  audit: AuditStamp;
  updatedById: string | null;
  reason?: string;
  /** Audit action; default `flag_config.updated`. */
  action?: string;
  /** Collects the audit event for a batch append instead of appending it (bulk writes). */
  pendingAudit?: AuditEventInput[];
  /** The change request this write applies, recorded on the revision and the audit entry. */
  changeRequestId?: string;
}

/**
 * The body of a configuration save, for callers that bundle several writes in one transaction
 * (imports). Does not bump the snapshot: the caller bumps each environment once. Null when the
 * version or the variations moved (the caller rolls back or reports a conflict).
 */
export async function writeFlagConfigVersion(tx: Prisma.TransactionClient, input: FlagConfigWrite): Promise<{ version: number } | null> {
  const { config } = input;
  const json = { ...config, version: undefined } as unknown as Prisma.InputJsonValue;
  // Holds the flag row against a concurrent variation edit until this transaction ends.
  const unchanged = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM flags WHERE id = ${input.flagId} AND variations = ${JSON.stringify(input.variations)}::jsonb FOR SHARE`;
  if (unchanged.length === 0) return null;
  const nextVersion = input.expectedVersion + 1;
  const { count } = await tx.flagEnvironmentConfig.updateMany({
    where: { flagId: input.flagId, environmentId: input.environmentId, version: input.expectedVersion },
    data: { config: json, version: nextVersion, updatedById: input.updatedById },
  });
  if (count === 0) return null;
  await tx.flagConfigRevision.create({
    data: {
      flagId: input.flagId,
      environmentId: input.environmentId,
      version: nextVersion,
      config: json,
      variations: input.variations as Prisma.InputJsonValue,
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
    action: input.action ?? "flag_config.updated",
    entityType: "flag",
    entityKey: input.flagKey,
    before: { ...input.before, version: input.expectedVersion },
    after: { ...config, version: nextVersion },
    diff: diffFlagConfigs(input.before, config),
    reason: input.reason ?? null,
    changeRequestId: input.changeRequestId ?? null,
  }, input.pendingAudit);
  return { version: nextVersion };
}
