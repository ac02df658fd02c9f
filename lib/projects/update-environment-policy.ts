import type { ProjectAccess } from "@/lib/auth/access";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { auditActorFields, type AuditStamp } from "@/lib/audit/audit-actor";
import { refreshReviewStatus, tallyCurrentRevision } from "@/lib/change-requests/refresh-review-status";
import { transitionChangeRequest } from "@/lib/data/change-requests";
import { getPrisma, Prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { EnvironmentPolicyBody } from "@/lib/schemas/environment";
import { environmentOrThrow } from "./environment-or-throw";

/** The policy as stored (percentages in 0.001 % units, the allowlist as `{segments: […]}`). */
export interface EnvironmentPolicyView {
  key: string;
  name: string;
  color: string;
  requireReview: boolean;
  requiredApprovals: number;
  maxRolloutPercentWithoutReview: number;
  requireExpiry: boolean;
  maxFlagLifetimeDays: number | null;
  requireOwner: boolean;
  allowlistOnlyFirstStage: string[] | null;
}

type EnvironmentRow = Awaited<ReturnType<typeof environmentOrThrow>>;

export function environmentPolicyView(env: EnvironmentRow): EnvironmentPolicyView {
  const allowlist = env.allowlistOnlyFirstStage as { segments?: string[] } | null;
  return {
    key: env.key,
    name: env.name,
    color: env.color,
    requireReview: env.requireReview,
    requiredApprovals: env.requiredApprovals,
    maxRolloutPercentWithoutReview: env.maxRolloutPercentWithoutReview / 1000,
    requireExpiry: env.requireExpiry,
    maxFlagLifetimeDays: env.maxFlagLifetimeDays,
    requireOwner: env.requireOwner,
    allowlistOnlyFirstStage: allowlist?.segments ?? null,
  };
}

const UNDER_REVIEW = ["open", "changes_requested", "approved", "scheduled"] as const;

/**
 * Changes an environment's name, colour or policy (admins: environments:write), audited with
 * the fields before and after. Requests under review there are tallied again in the same
 * transaction: fewer required approvals can approve them, more send approved (and scheduled)
 * ones back for review.
 */
export async function updateEnvironmentPolicy(access: ProjectAccess, environmentKey: string, body: EnvironmentPolicyBody): Promise<EnvironmentPolicyView> {
  const env = await environmentOrThrow(access.project.id, environmentKey);
  const before = environmentPolicyView(env);
  const requested = { ...before, ...Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined)) } as EnvironmentPolicyView;
  if (requested.requireReview && requested.requiredApprovals < 1) requested.requiredApprovals = 1;

  if (requested.allowlistOnlyFirstStage?.length) {
    const found = await getPrisma().segment.findMany({ where: { projectId: access.project.id, key: { in: requested.allowlistOnlyFirstStage } }, select: { key: true } });
    const missing = requested.allowlistOnlyFirstStage.filter((key) => !found.some((s) => s.key === key));
    if (missing.length > 0) throw new AppError("VALIDATION_FAILED", `No segment ${missing.map((k) => `“${k}”`).join(", ")} in ${access.project.name}.`, { fields: { allowlistOnlyFirstStage: `Unknown segment ${missing[0]}.` } });
  }

  const changed = (Object.keys(before) as (keyof EnvironmentPolicyView)[]).filter((field) => JSON.stringify(before[field]) !== JSON.stringify(requested[field]));
  if (changed.length === 0) return before;

  const stamp = auditActorFields(access.actor);
  const updated = await getPrisma().$transaction(async (tx) => {
    const row = await tx.environment.update({
      where: { id: env.id },
      data: {
        name: requested.name,
        color: requested.color,
        requireReview: requested.requireReview,
        requiredApprovals: requested.requiredApprovals,
        maxRolloutPercentWithoutReview: Math.round(requested.maxRolloutPercentWithoutReview * 1000),
        requireExpiry: requested.requireExpiry,
        maxFlagLifetimeDays: requested.maxFlagLifetimeDays,
        requireOwner: requested.requireOwner,
        allowlistOnlyFirstStage: requested.allowlistOnlyFirstStage ? { segments: requested.allowlistOnlyFirstStage } : Prisma.DbNull,
      },
    });
    const pick = (view: EnvironmentPolicyView) => Object.fromEntries(changed.map((field) => [field, view[field]]));
    await appendAuditEvent(tx, {
      ...stamp,
      projectId: access.project.id,
      environmentId: env.id,
      action: "environment.policy_updated",
      entityType: "environment",
      entityKey: env.key,
      before: pick(before),
      after: pick(requested),
    });
    await retallyRequestsUnderReview(tx, access.project.id, row, stamp);
    return row;
  });
  return environmentPolicyView(updated);
}

async function retallyRequestsUnderReview(tx: Prisma.TransactionClient, projectId: string, env: EnvironmentRow, stamp: AuditStamp) {
  const requests = await tx.changeRequest.findMany({
    where: { environmentId: env.id, status: { in: [...UNDER_REVIEW] } },
    select: { id: true, projectId: true, authorId: true, revision: true, status: true },
  });
  const policy = { requireReview: env.requireReview, requiredApprovals: env.requiredApprovals };
  const note = "The environment's review policy changed.";
  for (const request of requests) {
    const reviewed = { ...request, projectId, environment: policy };
    if (request.status !== "scheduled") {
      await refreshReviewStatus(tx, reviewed, stamp, note);
      continue;
    }
    // A scheduled request keeps its time only while it stays approved.
    const tally = await tallyCurrentRevision(tx, reviewed);
    if (tally.status !== "approved") await transitionChangeRequest(tx, { id: request.id, from: ["scheduled"], to: tally.status, audit: stamp, note, data: { scheduledFor: null } });
  }
}
