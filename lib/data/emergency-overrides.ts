import { appendAuditEvent, type AuditEventInput } from "@/lib/audit/append-audit-event";
import type { AuditStamp } from "@/lib/audit/audit-actor";
import { getPrisma, type Prisma } from "@/lib/db";
import type { FlagConfig } from "@/lib/evaluation/types";
import { writeFlagConfigVersion } from "./flag-configs";
import { bumpSnapshotVersion } from "./snapshots";

/**
 * Emergency overrides (the kill switch): the write that bypasses review, and the follow-up
 * (acknowledging the banner, the after-the-fact review). See lib/overrides for the rules.
 */

export interface EmergencyOverrideWrite {
  projectId: string;
  environmentId: string;
  flagId: string;
  flagKey: string;
  action: "turn_off" | "serve_variation";
  variationKey: string | null;
  reason: string;
  audit: AuditStamp;
  /** The person behind the actor (a user or a personal token), null for service tokens. */
  pulledById: string | null;
  /** The configuration to serve given the current one, or null when it already serves that. */
  decide: (current: FlagConfig) => FlagConfig | null;
  /** The audit entry's structured diff, from the configurations before and after. */
  diff: (before: FlagConfig, after: FlagConfig) => unknown;
  /** Announces the override in the same transaction (the notification outbox). */
  announce: (tx: Prisma.TransactionClient, written: WrittenOverride) => Promise<void>;
}

export interface WrittenOverride {
  overrideId: string;
  fromVersion: number;
  toVersion: number;
  before: FlagConfig;
  after: FlagConfig;
  diff: unknown;
  createdAt: Date;
}

export type EmergencyOverrideResult =
  | ({ outcome: "applied"; snapshotVersion: number } & WrittenOverride)
  | { outcome: "unchanged"; version: number; current: FlagConfig }
  | { outcome: "missing" }
  | { outcome: "conflict" };

/**
 * Applies an override in one transaction: the new configuration version (revision row), the
 * audit entry `kill_switch.pulled`, the EmergencyOverride row, the announcement and the
 * snapshot bump. The configuration row is locked first (after the flag row, in the order every
 * configuration write takes them), so concurrent pulls queue: the second one decides from what
 * the first wrote — typically "already off" — and nothing is lost.
 */
export function writeEmergencyOverride(input: EmergencyOverrideWrite): Promise<EmergencyOverrideResult> {
  return getPrisma().$transaction(async (tx): Promise<EmergencyOverrideResult> => {
    const [flag] = await tx.$queryRaw<{ variations: unknown }[]>`SELECT variations FROM flags WHERE id = ${input.flagId} FOR SHARE`;
    const [row] = await tx.$queryRaw<{ config: FlagConfig; version: number }[]>`
      SELECT config, version FROM flag_environment_configs
      WHERE "flagId" = ${input.flagId} AND "environmentId" = ${input.environmentId} FOR UPDATE`;
    if (!flag || !row) return { outcome: "missing" };
    // Stored without `version` (the column is the source of truth); dropped in case an old row has one.
    const { version: _stored, ...before } = row.config;
    const after = input.decide(before);
    if (!after) return { outcome: "unchanged", version: row.version, current: before };

    // The configuration's audit entry is collected rather than appended, so it can carry the
    // diff and its id can be kept on the override row.
    const pending: AuditEventInput[] = [];
    const written = await writeFlagConfigVersion(tx, {
      projectId: input.projectId,
      environmentId: input.environmentId,
      flagId: input.flagId,
      flagKey: input.flagKey,
      expectedVersion: row.version,
      before,
      config: after,
      variations: flag.variations,
      audit: input.audit,
      updatedById: input.pulledById,
      reason: input.reason,
      action: "kill_switch.pulled",
      pendingAudit: pending,
    });
    // Cannot happen while both rows are locked; reported rather than assumed.
    if (!written) return { outcome: "conflict" };
    const diff = input.diff(before, after);
    const auditEvent = await appendAuditEvent(tx, { ...pending[0], diff });
    const override = await tx.emergencyOverride.create({
      data: {
        flagId: input.flagId,
        environmentId: input.environmentId,
        action: input.action,
        variationKey: input.variationKey,
        reason: input.reason,
        fromVersion: row.version,
        toVersion: written.version,
        actorType: input.audit.actorType,
        pulledById: input.pulledById,
        actorLabel: input.audit.actorLabel,
        auditEventId: auditEvent.id,
      },
    });
    await tx.flagConfigRevision.updateMany({
      where: { flagId: input.flagId, environmentId: input.environmentId, version: written.version },
      data: { auditEventId: auditEvent.id },
    });
    const result: WrittenOverride = {
      overrideId: override.id,
      fromVersion: row.version,
      toVersion: written.version,
      before,
      after,
      diff,
      createdAt: override.createdAt,
    };
    await input.announce(tx, result);
    const snapshotVersion = await bumpSnapshotVersion(tx, input.environmentId);
    return { outcome: "applied", snapshotVersion, ...result };
  });
}

const overrideInclude = {
  flag: { select: { key: true, name: true } },
  environment: { select: { key: true, name: true, color: true } },
  pulledBy: { select: { email: true, name: true } },
  acknowledgedBy: { select: { email: true, name: true } },
  reviewedBy: { select: { email: true, name: true } },
  changeRequest: { select: { number: true, status: true } },
} satisfies Prisma.EmergencyOverrideInclude;

export type OverrideRow = Prisma.EmergencyOverrideGetPayload<{ include: typeof overrideInclude }>;

/** A project's overrides, newest first: open follow-ups only, or every one. */
export function listProjectOverrides(projectId: string, filter: { open?: boolean; flagKey?: string; unacknowledged?: boolean; limit: number }) {
  return getPrisma().emergencyOverride.findMany({
    where: {
      flag: { projectId, ...(filter.flagKey ? { key: filter.flagKey } : {}) },
      ...(filter.open ? { reviewedAt: null } : {}),
      ...(filter.unacknowledged ? { acknowledgedAt: null } : {}),
    },
    include: overrideInclude,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: filter.limit,
  });
}

/** Overrides still awaiting their follow-up review (the navigation badge). */
export function countOpenOverrides(projectId: string): Promise<number> {
  return getPrisma().emergencyOverride.count({ where: { flag: { projectId }, reviewedAt: null } });
}

export function findProjectOverride(projectId: string, overrideId: string) {
  return getPrisma().emergencyOverride.findFirst({ where: { id: overrideId, flag: { projectId } }, include: overrideInclude });
}

/**
 * Links the change request that reverts an override, unless another live one already does (a
 * cancelled request no longer counts). The condition sits in the update, so two reverts proposed
 * at once link one request: false for the other.
 */
export async function linkOverrideChangeRequest(tx: Prisma.TransactionClient, overrideId: string, changeRequestId: string): Promise<boolean> {
  const { count } = await tx.emergencyOverride.updateMany({
    where: { id: overrideId, OR: [{ changeRequestId: null }, { changeRequest: { status: "cancelled" } }] },
    data: { changeRequestId },
  });
  return count === 1;
}

interface FollowUpWrite {
  projectId: string;
  overrideId: string;
  flagKey: string;
  environmentId: string;
  audit: AuditStamp;
  /** The person acting (reviews need one; acknowledgements by service tokens have none). */
  userId: string | null;
}

/**
 * Marks the override's banner acknowledged, once: false when someone already did (the
 * conditional update makes two acknowledgements at once record one).
 */
export function markOverrideAcknowledged(input: FollowUpWrite): Promise<boolean> {
  return getPrisma().$transaction(async (tx) => {
    const at = new Date();
    const { count } = await tx.emergencyOverride.updateMany({
      where: { id: input.overrideId, acknowledgedAt: null },
      data: { acknowledgedAt: at, acknowledgedById: input.userId },
    });
    if (count === 0) return false;
    await appendAuditEvent(tx, {
      ...input.audit,
      projectId: input.projectId,
      environmentId: input.environmentId,
      action: "kill_switch.acknowledged",
      entityType: "flag",
      entityKey: input.flagKey,
      after: { overrideId: input.overrideId, acknowledgedAt: at.toISOString() },
      createdAt: at,
    });
    return true;
  });
}

/**
 * Records the follow-up review, once, and never by the person who pulled the switch (checked
 * again in the update itself). False when it was already reviewed or the reviewer pulled it.
 */
export function recordOverrideReview(input: FollowUpWrite & { userId: string; note: string }): Promise<boolean> {
  return getPrisma().$transaction(async (tx) => {
    const at = new Date();
    const { count } = await tx.emergencyOverride.updateMany({
      where: { id: input.overrideId, reviewedAt: null, OR: [{ pulledById: null }, { pulledById: { not: input.userId } }] },
      data: { reviewedAt: at, reviewedById: input.userId, reviewNote: input.note },
    });
    if (count === 0) return false;
    await appendAuditEvent(tx, {
      ...input.audit,
      projectId: input.projectId,
      environmentId: input.environmentId,
      action: "kill_switch.reviewed",
      entityType: "flag",
      entityKey: input.flagKey,
      after: { overrideId: input.overrideId, reviewedAt: at.toISOString(), note: input.note },
      reason: input.note,
      createdAt: at,
    });
    return true;
  });
}
