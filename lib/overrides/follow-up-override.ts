import type { ProjectAccess } from "@/lib/auth/access";
import { actingUserId } from "@/lib/auth/actor";
import { auditActorFields } from "@/lib/audit/audit-actor";
import { findProjectOverride, markOverrideAcknowledged, recordOverrideReview } from "@/lib/data/emergency-overrides";
import { conflict, forbidden, notFound } from "@/lib/errors";
import { toOverrideView, type OverrideView } from "./override-json";

/**
 * What follows a kill switch: someone acknowledges the banner on the flag (flags:write), and an
 * approver other than the person who pulled it reviews it after the fact (changes:review).
 * Both are audited. Neither changes the flag: reverting is a change request of its own.
 */

export async function overrideOrThrow(access: ProjectAccess, overrideId: string) {
  const row = await findProjectOverride(access.project.id, overrideId);
  if (!row) throw notFound("The override");
  return row;
}

export async function acknowledgeOverride(access: ProjectAccess, overrideId: string): Promise<OverrideView> {
  const row = await overrideOrThrow(access, overrideId);
  if (row.acknowledgedAt) return toOverrideView(row);
  // A second acknowledgement at the same moment records nothing more; both see it acknowledged.
  await markOverrideAcknowledged({
    projectId: access.project.id,
    overrideId: row.id,
    flagKey: row.flag.key,
    environmentId: row.environmentId,
    audit: auditActorFields(access.actor),
    userId: actingUserId(access.actor),
  });
  return toOverrideView(await overrideOrThrow(access, overrideId));
}

export async function reviewOverride(access: ProjectAccess, overrideId: string, note: string): Promise<OverrideView> {
  const row = await overrideOrThrow(access, overrideId);
  const userId = actingUserId(access.actor);
  if (!userId) throw forbidden("Follow-up reviews are recorded by a person; a service token cannot review an override.");
  if (row.pulledById === userId) {
    throw forbidden("You pulled this kill switch, so another approver must review it: a break-glass action is always reviewed by someone else.");
  }
  if (row.reviewedAt) throw conflict(`This override was already reviewed by ${row.reviewedBy?.name ?? "someone"} at ${row.reviewedAt.toISOString()}.`);
  const recorded = await recordOverrideReview({
    projectId: access.project.id,
    overrideId: row.id,
    flagKey: row.flag.key,
    environmentId: row.environmentId,
    audit: auditActorFields(access.actor),
    userId,
    note: note.trim(),
  });
  if (!recorded) throw conflict("Someone reviewed this override at the same moment; reload to read their note.");
  return toOverrideView(await overrideOrThrow(access, overrideId));
}
