import type { ProjectAccess } from "@/lib/auth/access";
import { actingUserId } from "@/lib/auth/actor";
import { auditActorFields } from "@/lib/audit/audit-actor";
import { findSegmentWithConfig, replaceSegmentConfig, type SegmentContent } from "@/lib/data/segments";
import { loadTargetingContext } from "@/lib/data/targeting-context";
import { AppError, conflict, notFound } from "@/lib/errors";
import { validateSegment } from "@/lib/evaluation";
import type { SegmentRule } from "@/lib/evaluation/types";
import { environmentOrThrow } from "@/lib/projects/environment-or-throw";
import { reviewRequiredError } from "@/lib/projects/review-required-error";
import { getSnapshotStore } from "@/lib/snapshots/snapshot-store";
import { readSegmentConfig } from "./read-segment-config";

/** At most this many warnings come back (a pasted list can overlap the excluded keys 100,000 times). */
const MAX_WARNINGS = 100;

export interface UpdateSegmentConfigInput {
  environmentKey: string;
  segmentKey: string;
  /** Already parsed with `replaceSegmentConfigBodySchema`. */
  included: string[];
  excluded: string[];
  rules: SegmentRule[];
  expectedVersion: number;
  reason?: string;
}

/** Keys in first-seen order, each once. */
function dedupe(keys: string[]): string[] {
  return [...new Set(keys)];
}

/**
 * Saves a segment's membership in an environment that allows direct changes: duplicates are
 * removed, the engine validates the rules (catalog, operands, cycles through other segments),
 * a stale version is a conflict with the current membership, and the save records a revision,
 * an audit entry with a count of keys added and removed, and a new snapshot.
 */
export async function updateSegmentConfig(access: ProjectAccess, input: UpdateSegmentConfigInput) {
  const environment = await environmentOrThrow(access.project.id, input.environmentKey);
  if (environment.requireReview) throw reviewRequiredError(environment);
  const segment = await findSegmentWithConfig(access.project.id, input.segmentKey, environment.id);
  if (!segment) throw notFound(`Segment “${input.segmentKey}”`);
  const current = segment.configs[0];
  if (!current) throw notFound(`The membership of “${input.segmentKey}” in ${environment.name}`);
  const before: SegmentContent = {
    included: current.included as unknown as string[],
    excluded: current.excluded as unknown as string[],
    rules: current.rules as unknown as SegmentRule[],
  };
  if (current.version !== input.expectedVersion) {
    throw conflict(
      `Someone saved “${input.segmentKey}” in ${environment.name} since you started (version ${current.version}, you edited ${input.expectedVersion}). Review their change and apply yours again.`,
      { currentVersion: current.version, current: before },
    );
  }
  const content: SegmentContent = { included: dedupe(input.included), excluded: dedupe(input.excluded), rules: input.rules };
  const { catalog, segments } = await loadTargetingContext(access.project.id, environment.id);
  const issues = validateSegment({ key: segment.key, ...content }, catalog, segments);
  const problems = issues.filter((issue) => issue.severity !== "warning");
  if (problems.length > 0) throw new AppError("VALIDATION_FAILED", problems[0].message, { issues: problems });

  const saved = await replaceSegmentConfig({
    projectId: access.project.id,
    environmentId: environment.id,
    segmentId: segment.id,
    segmentKey: segment.key,
    expectedVersion: input.expectedVersion,
    before,
    content,
    audit: auditActorFields(access.actor),
    updatedById: actingUserId(access.actor),
    reason: input.reason,
  });
  if (!saved) throw conflict(`Someone saved “${input.segmentKey}” in ${environment.name} at the same moment. Reload to see their change.`);
  await getSnapshotStore().reload(environment.id);
  return {
    ...(await readSegmentConfig(access, environment.key, segment.key)),
    removedDuplicates: { included: input.included.length - content.included.length, excluded: input.excluded.length - content.excluded.length },
    warnings: issues.filter((issue) => issue.severity === "warning").slice(0, MAX_WARNINGS),
  };
}
