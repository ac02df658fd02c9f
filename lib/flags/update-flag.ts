import { isDeepStrictEqual } from "node:util";
import type { ProjectAccess } from "@/lib/auth/access";
import { auditActorFields } from "@/lib/audit/audit-actor";
import { listEnvironments } from "@/lib/data/environments";
import { findPrerequisiteDependents, updateFlagDefinition, type FlagDefinitionChange, type FlagReference } from "@/lib/data/flags";
import { findMemberByEmail } from "@/lib/data/memberships";
import { AppError, conflict, fieldsInvalid } from "@/lib/errors";
import type { FlagConfig, FlagDefinition, Variation } from "@/lib/evaluation/types";
import { variationProblems, type UpdateFlagBody } from "@/lib/schemas/flag";
import { getSnapshotStore } from "@/lib/snapshots/snapshot-store";
import { checkVariationChange, environmentsServingDifferently } from "./check-variation-change";
import { flagJson } from "./flag-json";
import { expiryProblem, ownerProblem, parseExpiry } from "./flag-policy";
import { getFlagOrThrow } from "./get-flag-or-throw";

function describeDependents(flagKey: string, dependents: FlagReference[]): AppError {
  const byFlag = new Map<string, string[]>();
  for (const d of dependents) byFlag.set(d.flagKey, [...(byFlag.get(d.flagKey) ?? []), d.environmentKey]);
  const list = [...byFlag].map(([key, envs]) => `“${key}” (${envs.join(", ")})`).join(", ");
  return conflict(`“${flagKey}” cannot be archived: it is a prerequisite of ${list}. Remove it from their prerequisites first.`, { dependents });
}

/**
 * Changes a flag's definition: name, description, tags, owner, expiry, client visibility,
 * lifecycle stage (archiving and restoring included) and variations. Keys, kinds and value
 * types never change. Refuses, with the reason:
 * - an owner who is not a member, an expiry in the past or outside a policy, clearing what a policy requires;
 * - variations that are mistyped or would break a configuration or another flag's prerequisite (`details.issues`);
 * - archiving a flag other flags require;
 * - anything that would change what an environment requiring review serves (a served variation's
 *   value, archiving or restoring a flag that is on there): that needs a change request.
 * Changes that affect evaluation publish a new snapshot in every environment.
 */
export async function updateFlag(access: ProjectAccess, flagKey: string, body: UpdateFlagBody, now = new Date()) {
  const { project } = access;
  const flag = await getFlagOrThrow(project.id, flagKey);
  const environments = await listEnvironments(project.id);
  const change: FlagDefinitionChange = {};
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  const set = <K extends keyof FlagDefinitionChange>(field: K, previous: FlagDefinitionChange[K], next: FlagDefinitionChange[K], shown: (v: FlagDefinitionChange[K]) => unknown = (v) => v) => {
    if (isDeepStrictEqual(previous, next)) return;
    change[field] = next;
    before[field] = shown(previous);
    after[field] = shown(next);
  };
  const fields: Record<string, string> = {};

  if (body.name !== undefined) set("name", flag.name, body.name);
  if (body.description !== undefined) set("description", flag.description, body.description);
  if (body.tags !== undefined) set("tags", flag.tags, [...new Set(body.tags)]);
  if (body.clientVisible !== undefined) set("clientVisible", flag.clientVisible, body.clientVisible);
  if (body.ownerEmail !== undefined) {
    const owner = body.ownerEmail === null ? null : await findMemberByEmail(project.id, body.ownerEmail);
    if (body.ownerEmail !== null && !owner) fields.ownerEmail = `No member of ${project.name} has the email ${body.ownerEmail}.`;
    else {
      const problem = ownerProblem(environments, owner?.id ?? null);
      if (problem) fields.ownerEmail = problem;
      else if (flag.ownerId !== (owner?.id ?? null)) {
        change.ownerId = owner?.id ?? null;
        before.owner = flag.owner?.email ?? null;
        after.owner = owner?.email ?? null;
      }
    }
  }
  if (body.expiresAt !== undefined) {
    const expiresAt = body.expiresAt === null ? null : parseExpiry(body.expiresAt);
    const problem =
      expiresAt && expiresAt.getTime() <= now.getTime() ? "The expiry date must be in the future." : expiryProblem(environments, flag.kind, expiresAt, flag.createdAt);
    if (problem) fields.expiresAt = problem;
    else set("expiresAt", flag.expiresAt, expiresAt, (v) => v?.toISOString() ?? null);
  }

  const currentVariations = flag.variations as unknown as Variation[];
  const nextVariations = body.variations ?? currentVariations;
  const nextControl = body.controlVariation !== undefined ? body.controlVariation : flag.controlVariation;
  if (body.variations !== undefined || body.controlVariation !== undefined) {
    for (const problem of variationProblems(flag.valueType, nextVariations, nextControl)) fields[problem.path.join(".")] ??= problem.message;
  }
  if (Object.keys(fields).length > 0) throw fieldsInvalid(fields);
  set("variations", currentVariations, nextVariations);
  set("controlVariation", flag.controlVariation, nextControl);

  const nextLifecycle = body.lifecycle ?? flag.lifecycle;
  set("lifecycle", flag.lifecycle, nextLifecycle);
  const archiving = flag.lifecycle !== "archived" && nextLifecycle === "archived";
  const restoring = flag.lifecycle === "archived" && nextLifecycle !== "archived";
  const evaluated = nextLifecycle !== "archived";

  const definitionChanged = change.variations !== undefined || change.controlVariation !== undefined;
  const next: FlagDefinition = {
    key: flag.key,
    kind: flag.kind,
    valueType: flag.valueType,
    variations: nextVariations,
    ...(nextControl ? { controlVariation: nextControl } : {}),
  };
  if (definitionChanged) {
    const issues = await checkVariationChange(project.id, flag, next);
    if (issues.length > 0) {
      throw new AppError("VALIDATION_FAILED", `Changing the variations would break ${issues[0].environmentKey}: ${issues[0].message}`, { issues });
    }
  }
  if (archiving) {
    const dependents = await findPrerequisiteDependents(project.id, flag.key);
    if (dependents.length > 0) throw describeDependents(flag.key, dependents);
  }

  const protectedChanges = new Set<string>();
  if (archiving || restoring) {
    for (const row of flag.configs) if (row.environment.requireReview && (row.config as unknown as FlagConfig).on) protectedChanges.add(row.environment.name);
  }
  if (definitionChanged && evaluated) {
    for (const row of environmentsServingDifferently(flag, next)) if (row.environment.requireReview) protectedChanges.add(row.environment.name);
  }
  if (protectedChanges.size > 0) {
    const list = [...protectedChanges].join(", ");
    throw new AppError(
      "REVIEW_REQUIRED",
      `${list} require${protectedChanges.size === 1 ? "s" : ""} review, and this change would alter what “${flag.key}” serves there (${archiving ? "archiving a flag that is on" : restoring ? "restoring a flag that is on" : "a served variation changes"}). Turn the flag off there first (through a change request) or leave the variations it serves unchanged.`,
    );
  }

  if (Object.keys(change).length === 0) return flagJson(flag);

  const affectsEvaluation = archiving || restoring || (evaluated && (definitionChanged || change.clientVisible !== undefined));
  const bumpEnvironmentIds = affectsEvaluation ? flag.configs.map((c) => c.environmentId) : [];
  const result = await updateFlagDefinition({
    projectId: project.id,
    flagId: flag.id,
    flagKey: flag.key,
    change,
    expected: { variations: flag.variations, configVersions: flag.configs.map((c) => ({ environmentId: c.environmentId, version: c.version })) },
    refuseIfRequired: archiving,
    bumpEnvironmentIds,
    audit: auditActorFields(access.actor),
    action: archiving ? "flag.archived" : restoring ? "flag.restored" : "flag.updated",
    before,
    after,
    reason: body.reason,
  });
  if (!result.ok && result.reason === "dependents") throw describeDependents(flag.key, result.dependents);
  if (!result.ok) throw conflict(`“${flag.key}” changed while this edit was being checked (its variations or a configuration were saved). Reload and try again.`);
  await Promise.all(bumpEnvironmentIds.map((id) => getSnapshotStore().reload(id)));
  return flagJson(await getFlagOrThrow(project.id, flag.key));
}
