import type { ProjectAccess } from "@/lib/auth/access";
import { auditActorFields } from "@/lib/audit/audit-actor";
import { findFlagWithConfig, replaceFlagConfig } from "@/lib/data/flag-configs";
import { loadTargetingContext } from "@/lib/data/targeting-context";
import { AppError, conflict, notFound } from "@/lib/errors";
import { environmentOrThrow } from "@/lib/projects/environment-or-throw";
import { reviewRequiredError } from "@/lib/projects/review-required-error";
import { validateFlagConfig } from "@/lib/evaluation";
import type { FlagConfig, FlagDefinition, Variation } from "@/lib/evaluation/types";
import { getSnapshotStore } from "@/lib/snapshots/snapshot-store";

export interface UpdateFlagConfigInput {
  environmentKey: string;
  flagKey: string;
  /** Already parsed with `flagConfigSchema`. */
  config: FlagConfig;
  /** The version the editor started from; a different current version is a conflict. */
  expectedVersion: number;
  reason?: string;
}


/**
 * Saves a flag's configuration in an environment that allows direct changes. Refuses
 * protected environments (their changes go through review), stale versions (with what changed)
 * and configurations that fail validation (with every problem and where it is).
 */
export async function updateFlagConfig(access: ProjectAccess, input: UpdateFlagConfigInput) {
  const environment = await environmentOrThrow(access.project.id, input.environmentKey);
  if (environment.requireReview) throw reviewRequiredError(environment);
  const flag = await findFlagWithConfig(access.project.id, input.flagKey, environment.id);
  if (!flag) throw notFound(`Flag “${input.flagKey}”`);
  const current = flag.configs[0];
  if (!current) throw notFound(`A configuration of “${input.flagKey}” in ${environment.name}`);
  if (current.version !== input.expectedVersion) {
    throw conflict(`Someone saved “${input.flagKey}” in ${environment.name} since you started (version ${current.version}, you edited ${input.expectedVersion}). Review their change and apply yours again.`, {
      currentVersion: current.version,
      current: current.config,
    });
  }
  const definition: FlagDefinition = { key: flag.key, kind: flag.kind, valueType: flag.valueType, variations: flag.variations as unknown as Variation[] };
  const { catalog, segments, flags } = await loadTargetingContext(access.project.id, environment.id);
  const problems = validateFlagConfig(input.config, catalog, segments, flags, definition).filter((issue) => issue.severity !== "warning");
  if (problems.length > 0) {
    throw new AppError("VALIDATION_FAILED", problems[0].message, { issues: problems });
  }
  const saved = await replaceFlagConfig({
    projectId: access.project.id,
    environmentId: environment.id,
    flagId: flag.id,
    flagKey: flag.key,
    expectedVersion: input.expectedVersion,
    before: current.config as unknown as FlagConfig,
    config: input.config,
    variations: flag.variations,
    audit: auditActorFields(access.actor),
    updatedById: access.actor.type === "user" ? access.actor.userId : null,
    reason: input.reason,
  });
  if (!saved) {
    throw conflict(`Someone saved “${input.flagKey}” in ${environment.name} at the same moment. Reload to see their change.`);
  }
  // This instance serves the change at once; others hear the notification.
  await getSnapshotStore().reload(environment.id);
  return { flagKey: flag.key, environmentKey: environment.key, version: saved.version, snapshotVersion: saved.snapshotVersion };
}
