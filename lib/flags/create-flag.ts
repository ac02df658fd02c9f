import type { ProjectAccess } from "@/lib/auth/access";
import { actingUserId } from "@/lib/auth/actor";
import { auditActorFields } from "@/lib/audit/audit-actor";
import { listEnvironments } from "@/lib/data/environments";
import { findFlagByKey, insertFlag } from "@/lib/data/flags";
import { findMemberByEmail } from "@/lib/data/memberships";
import { AppError, conflict, fieldsInvalid } from "@/lib/errors";
import { validateFlagConfig } from "@/lib/evaluation";
import type { FlagDefinition, Variation } from "@/lib/evaluation/types";
import { DEFAULT_BOOLEAN_VARIATIONS, type CreateFlagBody } from "@/lib/schemas/flag";
import { getSnapshotStore } from "@/lib/snapshots/snapshot-store";
import { flagJson } from "./flag-json";
import { expiryProblem, ownerProblem, parseExpiry } from "./flag-policy";
import { getFlagOrThrow } from "./get-flag-or-throw";
import { initialFlagConfig, offVariationKey } from "./initial-flag-config";

/**
 * Creates a flag definition (body already parsed with `createFlagBodySchema`, which types the
 * variations) after the checks the schema cannot make: the owner is a member, the expiry is in
 * the future and within every environment's policy. Every environment gets the flag off,
 * serving its off variation, with a revision, an audit entry and a new snapshot version.
 */
export async function createFlag(access: ProjectAccess, body: CreateFlagBody, now = new Date()) {
  const { project } = access;
  const environments = await listEnvironments(project.id);
  const fields: Record<string, string> = {};

  const owner = body.ownerEmail ? await findMemberByEmail(project.id, body.ownerEmail) : null;
  if (body.ownerEmail && !owner) fields.ownerEmail = `No member of ${project.name} has the email ${body.ownerEmail}.`;
  else {
    const problem = ownerProblem(environments, owner?.id ?? null);
    if (problem) fields.ownerEmail = problem;
  }
  const expiresAt = body.expiresAt ? parseExpiry(body.expiresAt) : null;
  if (expiresAt && expiresAt.getTime() <= now.getTime()) fields.expiresAt = "The expiry date must be in the future.";
  else {
    const problem = expiryProblem(environments, body.kind, expiresAt, now);
    if (problem) fields.expiresAt = problem;
  }
  if (Object.keys(fields).length > 0) throw fieldsInvalid(fields);

  const existing = await findFlagByKey(project.id, body.key);
  if (existing) throw conflict(`A flag with the key “${body.key}” already exists${existing.lifecycle === "archived" ? " (archived; restore it instead)" : ""}. Keys cannot be reused.`);

  const variations: Variation[] = body.variations ?? DEFAULT_BOOLEAN_VARIATIONS.map((v) => ({ ...v }));
  const config = initialFlagConfig(offVariationKey(variations, body.valueType));
  const definition: FlagDefinition = { key: body.key, kind: body.kind, valueType: body.valueType, variations, ...(body.controlVariation ? { controlVariation: body.controlVariation } : {}) };
  // The schema checked the variations already; the engine has the last word on what it will evaluate.
  const problems = validateFlagConfig(config, [], [], [], definition).filter((issue) => issue.severity !== "warning");
  if (problems.length > 0) throw new AppError("VALIDATION_FAILED", problems[0].message, { issues: problems });

  const created = await insertFlag(
    {
      projectId: project.id,
      key: body.key,
      name: body.name,
      description: body.description,
      kind: body.kind,
      valueType: body.valueType,
      variations,
      controlVariation: body.controlVariation ?? null,
      ownerId: owner?.id ?? null,
      tags: [...new Set(body.tags)],
      lifecycle: body.lifecycle,
      expiresAt,
      clientVisible: body.clientVisible,
      createdById: actingUserId(access.actor),
    },
    environments.map((environment) => ({ environmentId: environment.id, config })),
    auditActorFields(access.actor),
  );
  if (!created) throw conflict(`A flag with the key “${body.key}” was created at the same moment. Keys cannot be reused.`);
  await Promise.all(environments.map((environment) => getSnapshotStore().reload(environment.id)));
  return flagJson(await getFlagOrThrow(project.id, body.key));
}
