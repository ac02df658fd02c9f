import type { ProjectAccess } from "@/lib/auth/access";
import { actingUserId } from "@/lib/auth/actor";
import { can } from "@/lib/auth/permissions";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { auditActorFields, type AuditStamp } from "@/lib/audit/audit-actor";
import { findChangeRequest, findItemCurrentVersion, listDueScheduledChangeRequests, lockChangeRequest, transitionChangeRequest, type ChangeRequestDetail } from "@/lib/data/change-requests";
import { writeFlagConfigVersion } from "@/lib/data/flag-configs";
import { writeSegmentConfigVersion, type SegmentContent } from "@/lib/data/segments";
import { bumpSnapshotVersion } from "@/lib/data/snapshots";
import { getPrisma, Prisma } from "@/lib/db";
import { AppError, conflict, forbidden, isAppError } from "@/lib/errors";
import type { FlagConfig, SegmentRule } from "@/lib/evaluation/types";
import type { ProposedChange } from "@/lib/schemas/change-request";
import { getSnapshotStore } from "@/lib/snapshots/snapshot-store";
import { buildChangeRequestItems, itemAsProposedChange } from "./build-items";
import { announceChangeRequest } from "./change-request-events";
import { assertMayEdit, findChangeRequestOrThrow, reviseChangeRequest } from "./open-change-request";
import { tallyCurrentRevision } from "./refresh-review-status";

export interface ItemConflict {
  entityType: string;
  entityKey: string;
  baseVersion: number;
  currentVersion: number | null;
  /** Why it cannot apply (the configuration moved, or no longer validates). */
  message: string;
}

export type ApplyOutcome = { status: "applied"; snapshotVersion: number } | { status: "conflicted"; conflicts: ItemConflict[] };

/** The proposals of a request as they were made (its items), to check them again. */
const proposedChanges = (request: ChangeRequestDetail): ProposedChange[] => request.items.map(itemAsProposedChange);

/** Applying means "I take responsibility": the author, or someone who may review. */
function assertMayApply(access: ProjectAccess, request: ChangeRequestDetail) {
  const userId = actingUserId(access.actor);
  const isAuthor = request.authorId !== null && request.authorId === userId;
  if (!isAuthor && !can(access.role, "changes:review")) throw forbidden(`Only the author of #${request.number} or an approver can apply it.`);
}

const APPLICABLE = ["approved", "scheduled"] as const;

function assertApplicable(request: { number: number; status: string }) {
  if (request.status === "applied") throw conflict(`Change request #${request.number} is already applied.`);
  if (!(APPLICABLE as readonly string[]).includes(request.status)) {
    throw conflict(`Change request #${request.number} is ${request.status.replace("_", " ")}; it needs its approvals before it can be applied.`);
  }
}

/** Applies an approved request now, by the author or an approver. */
export async function applyChangeRequest(access: ProjectAccess, number: number): Promise<ApplyOutcome> {
  const request = await findChangeRequestOrThrow(access, number);
  assertMayApply(access, request);
  assertApplicable(request);
  return applyLoadedChangeRequest(request, access.project, auditActorFields(access.actor), actingUserId(access.actor));
}

/**
 * Applies every item atomically if every entity is still at its base version and still
 * validates in the environment as it is now; otherwise the request becomes conflicted (with
 * what moved) and nothing changes. Publishes the new snapshot at once.
 */
export async function applyLoadedChangeRequest(
  request: ChangeRequestDetail,
  project: { id: string; key: string },
  stamp: AuditStamp,
  appliedById: string | null,
): Promise<ApplyOutcome> {
  const conflicts = await checkStillApplicable(request);
  if (conflicts.length > 0) return markConflicted(request, project, stamp, conflicts);

  const reason = `Change request #${request.number}: ${request.title}`;
  const outcome = await getPrisma()
    .$transaction(async (tx) => {
      const locked = await lockChangeRequest(tx, request.id);
      if (!locked || locked.revision !== request.revision) throw conflict(`Change request #${request.number} changed while it was being applied. Reload and try again.`);
      assertApplicable({ number: request.number, status: locked.status });
      const tally = await tallyCurrentRevision(tx, { ...request, status: locked.status });
      if (tally.status !== "approved") throw conflict(`Change request #${request.number} no longer has the approvals it needs (${tally.approvedBy.length} of ${tally.required}).`);

      for (const item of request.items) {
        const written = item.entityType === "flag" ? await writeFlagItem(tx, request, item, stamp, reason) : await writeSegmentItem(tx, request, item, stamp, reason);
        if (!written) throw new MovedDuringApply();
      }
      const snapshotVersion = await bumpSnapshotVersion(tx, request.environmentId);
      await transitionChangeRequest(tx, { id: request.id, from: APPLICABLE, to: "applied", audit: stamp, data: { appliedAt: new Date(), ...(appliedById ? { appliedBy: { connect: { id: appliedById } } } : {}) } });
      await appendAuditEvent(tx, {
        ...stamp,
        projectId: project.id,
        environmentId: request.environmentId,
        action: "change_request.applied",
        entityType: "change_request",
        entityKey: `#${request.number}`,
        after: { title: request.title, revision: request.revision, items: request.items.map((i) => ({ entityType: i.entityType, entityKey: i.entityKey, version: i.baseVersion + 1 })) },
        diff: request.items.map((i) => ({ entityType: i.entityType, entityKey: i.entityKey, diff: i.diff })),
        changeRequestId: request.id,
      });
      await announceChangeRequest(tx, "change_request.applied", { ...request, project }, stamp.actorLabel);
      return { status: "applied" as const, snapshotVersion };
    })
    .catch((error: unknown) => {
      if (error instanceof MovedDuringApply) return null;
      throw error;
    });
  if (!outcome) {
    // Someone saved between the check and the write: report it like any other conflict.
    return markConflicted(request, project, stamp, await checkStillApplicable(request));
  }
  await getSnapshotStore().reload(request.environmentId);
  return outcome;
}

class MovedDuringApply extends Error {}

async function writeFlagItem(tx: Prisma.TransactionClient, request: ChangeRequestDetail, item: ChangeRequestDetail["items"][number], stamp: AuditStamp, reason: string) {
  const current = await tx.flagEnvironmentConfig.findUnique({
    where: { flagId_environmentId: { flagId: item.entityId, environmentId: request.environmentId } },
    select: { config: true, version: true, flag: { select: { variations: true } } },
  });
  if (!current || current.version !== item.baseVersion) return null;
  return writeFlagConfigVersion(tx, {
    projectId: request.projectId,
    environmentId: request.environmentId,
    flagId: item.entityId,
    flagKey: item.entityKey,
    expectedVersion: item.baseVersion,
    before: current.config as unknown as FlagConfig,
    config: item.proposed as unknown as FlagConfig,
    variations: current.flag.variations,
    audit: stamp,
    updatedById: request.authorId,
    reason,
    changeRequestId: request.id,
  });
}

async function writeSegmentItem(tx: Prisma.TransactionClient, request: ChangeRequestDetail, item: ChangeRequestDetail["items"][number], stamp: AuditStamp, reason: string) {
  const current = await tx.segmentEnvironmentConfig.findUnique({ where: { segmentId_environmentId: { segmentId: item.entityId, environmentId: request.environmentId } } });
  if (!current || current.version !== item.baseVersion) return null;
  return writeSegmentConfigVersion(tx, {
    projectId: request.projectId,
    environmentId: request.environmentId,
    segmentId: item.entityId,
    segmentKey: item.entityKey,
    expectedVersion: item.baseVersion,
    before: { included: current.included as unknown as string[], excluded: current.excluded as unknown as string[], rules: current.rules as unknown as SegmentRule[] },
    content: item.proposed as unknown as SegmentContent,
    audit: stamp,
    updatedById: request.authorId,
    reason,
    changeRequestId: request.id,
  });
}

/** What stands in the way of applying: moved versions, or proposals that no longer validate. */
async function checkStillApplicable(request: ChangeRequestDetail): Promise<ItemConflict[]> {
  const conflicts: ItemConflict[] = [];
  for (const item of request.items) {
    const currentVersion = await findItemCurrentVersion(item, request.environmentId);
    if (currentVersion !== item.baseVersion) {
      conflicts.push({
        entityType: item.entityType,
        entityKey: item.entityKey,
        baseVersion: item.baseVersion,
        currentVersion,
        message: currentVersion !== null
          ? `${item.entityKey} was changed since this request was made (version ${item.baseVersion} → ${currentVersion}).`
          : `${item.entityKey} no longer exists in ${request.environment.name}.`,
      });
    }
  }
  if (conflicts.length > 0) return conflicts;
  try {
    await buildChangeRequestItems(request.projectId, request.environment, proposedChanges(request));
  } catch (error) {
    if (!isAppError(error)) throw error;
    const details = error.details as { flagKey?: string; segmentKey?: string } | undefined;
    const key = details?.flagKey ?? details?.segmentKey ?? request.items[0].entityKey;
    const item = request.items.find((i) => i.entityKey === key) ?? request.items[0];
    conflicts.push({ entityType: item.entityType, entityKey: item.entityKey, baseVersion: item.baseVersion, currentVersion: item.baseVersion, message: error.message });
  }
  return conflicts;
}

async function markConflicted(request: ChangeRequestDetail, project: { id: string; key: string }, stamp: AuditStamp, conflicts: ItemConflict[]): Promise<ApplyOutcome> {
  await getPrisma().$transaction(async (tx) => {
    const moved = await transitionChangeRequest(tx, {
      id: request.id,
      from: APPLICABLE,
      to: "conflicted",
      audit: stamp,
      note: conflicts.map((c) => c.message).join(" "),
      data: { conflict: conflicts as unknown as Prisma.InputJsonValue },
    });
    if (!moved) return;
    await appendAuditEvent(tx, {
      ...stamp,
      projectId: project.id,
      environmentId: request.environmentId,
      action: "change_request.conflicted",
      entityType: "change_request",
      entityKey: `#${request.number}`,
      after: { conflicts },
      changeRequestId: request.id,
    });
    await announceChangeRequest(tx, "change_request.conflicted", { ...request, project }, stamp.actorLabel, { conflicts });
  });
  return { status: "conflicted", conflicts };
}

/**
 * A conflicted request proposes the same configurations again against what is current now:
 * a new revision (with a fresh diff against the current version) that needs its approvals again.
 */
export async function rebaseChangeRequest(access: ProjectAccess, number: number) {
  const request = await findChangeRequestOrThrow(access, number);
  assertMayEdit(access, request);
  if (request.status !== "conflicted") throw conflict(`Change request #${number} is not conflicted; nothing to rebase.`);
  const currentVersions = await Promise.all(
    request.items.map(async (item) => {
      const version = await findItemCurrentVersion(item, request.environmentId);
      if (version === null) throw new AppError("VALIDATION_FAILED", `${item.entityKey} no longer exists in ${request.environment.name}; cancel this request.`);
      return version;
    }),
  );
  const changes = proposedChanges(request).map((change, i) => ({ ...change, baseVersion: currentVersions[i] }));
  return reviseChangeRequest(access, number, { changes });
}

/** Approved → scheduled for a future moment (the scheduler applies it then). */
export async function scheduleChangeRequest(access: ProjectAccess, number: number, at: Date, now = new Date()) {
  const request = await findChangeRequestOrThrow(access, number);
  assertMayApply(access, request);
  if (at.getTime() <= now.getTime() + 30_000) throw new AppError("VALIDATION_FAILED", "Schedule it at least a minute from now, or apply it now.", { fields: { at: "Choose a time in the future." } });
  if (request.status !== "approved") throw conflict(`Change request #${number} is ${request.status.replace("_", " ")}; only approved requests can be scheduled.`);
  const stamp = auditActorFields(access.actor);
  const userId = actingUserId(access.actor);
  await getPrisma().$transaction(async (tx) => {
    const moved = await transitionChangeRequest(tx, {
      id: request.id,
      from: ["approved"],
      to: "scheduled",
      audit: stamp,
      note: `Scheduled for ${at.toISOString()}.`,
      data: { scheduledFor: at, ...(userId ? { scheduledBy: { connect: { id: userId } } } : {}) },
    });
    if (!moved) throw conflict(`Change request #${number} changed meanwhile. Reload and try again.`);
    await appendAuditEvent(tx, { ...stamp, projectId: access.project.id, environmentId: request.environmentId, action: "change_request.scheduled", entityType: "change_request", entityKey: `#${number}`, after: { scheduledFor: at.toISOString() }, changeRequestId: request.id });
  });
  return { number, scheduledFor: at.toISOString() };
}

/** Scheduled → approved again (not applied). */
export async function unscheduleChangeRequest(access: ProjectAccess, number: number) {
  const request = await findChangeRequestOrThrow(access, number);
  assertMayApply(access, request);
  const stamp = auditActorFields(access.actor);
  await getPrisma().$transaction(async (tx) => {
    const moved = await transitionChangeRequest(tx, { id: request.id, from: ["scheduled"], to: "approved", audit: stamp, note: "Schedule cancelled.", data: { scheduledFor: null } });
    if (!moved) throw conflict(`Change request #${number} is not scheduled.`);
    await appendAuditEvent(tx, { ...stamp, projectId: access.project.id, environmentId: request.environmentId, action: "change_request.unscheduled", entityType: "change_request", entityKey: `#${number}`, changeRequestId: request.id });
  });
  return { number };
}

/** Withdrawn by its author (or an approver/admin): never applied. */
export async function cancelChangeRequest(access: ProjectAccess, number: number) {
  const request = await findChangeRequestOrThrow(access, number);
  if (!can(access.role, "changes:review")) assertMayEdit(access, request);
  const stamp = auditActorFields(access.actor);
  await getPrisma().$transaction(async (tx) => {
    const moved = await transitionChangeRequest(tx, { id: request.id, from: ["draft", "open", "changes_requested", "approved", "scheduled", "conflicted"], to: "cancelled", audit: stamp, note: "Cancelled.", data: { scheduledFor: null } });
    if (!moved) throw conflict(`Change request #${number} is already ${request.status}.`);
    await appendAuditEvent(tx, { ...stamp, projectId: access.project.id, environmentId: request.environmentId, action: "change_request.cancelled", entityType: "change_request", entityKey: `#${number}`, changeRequestId: request.id });
  });
  return { number };
}

/** The scheduler's part: applies every scheduled request whose time has come, as the system. */
export async function applyDueChangeRequests(now: Date): Promise<{ number: number; projectId: string; outcome: ApplyOutcome | { status: "failed"; message: string } }[]> {
  const due = await listDueScheduledChangeRequests(now);
  const results = [];
  for (const { projectId, number } of due) {
    const request = await findChangeRequest(projectId, number);
    if (!request || request.status !== "scheduled") continue;
    const project = await getPrisma().project.findUniqueOrThrow({ where: { id: projectId }, select: { id: true, key: true } });
    try {
      const outcome = await applyLoadedChangeRequest(request, project, { actorType: "system", actorId: null, actorLabel: "system:scheduler" }, null);
      results.push({ number, projectId, outcome });
    } catch (error) {
      // One request that cannot apply (its approvals lapsed…) must not stop the others.
      results.push({ number, projectId, outcome: { status: "failed" as const, message: error instanceof Error ? error.message : String(error) } });
    }
  }
  return results;
}
