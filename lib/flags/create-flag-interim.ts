import type { ProjectAccess } from "@/lib/auth/access";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { auditActorFields } from "@/lib/audit/audit-actor";
import { bumpSnapshotVersion } from "@/lib/data/snapshots";
import { getPrisma, type Prisma } from "@/lib/db";
import { AppError, conflict } from "@/lib/errors";
import { validateFlagConfig } from "@/lib/evaluation";
import type { FlagConfig, FlagDefinition, Variation } from "@/lib/evaluation/types";
import { DEFAULT_BOOLEAN_VARIATIONS, type CreateFlagInterimBody } from "@/lib/schemas/create-flag-interim";
import { getSnapshotStore } from "@/lib/snapshots/snapshot-store";

/**
 * INTERIM create-flag service for the console wizard, until `createFlag` from the REST
 * flag-definition work (branch `rest`, lib/flags/create-flag.ts) reaches main — then the wizard's
 * action calls that one (one create path for REST and console) and this file is deleted. It
 * behaves the same: owner and expiry policies of every environment, the flag off everywhere
 * serving its off variation, a revision and an audit entry per environment, new snapshots.
 */

const DAY_MS = 86_400_000;

const parseExpiry = (value: string) => new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00.000Z` : value);

function offVariationKey(variations: readonly Variation[]): string {
  return variations.find((v) => v.key === "off")?.key ?? [...variations].reverse().find((v) => v.value === false)?.key ?? variations[variations.length - 1].key;
}

export async function createFlagInterim(access: ProjectAccess, body: CreateFlagInterimBody, now = new Date()) {
  const prisma = getPrisma();
  const { project } = access;
  const environments = await prisma.environment.findMany({ where: { projectId: project.id }, orderBy: [{ sortOrder: "asc" }, { key: "asc" }] });
  const fields: Record<string, string> = {};

  const owner = body.ownerEmail
    ? await prisma.user.findFirst({ where: { email: body.ownerEmail, disabledAt: null, memberships: { some: { projectId: project.id } } }, select: { id: true } })
    : null;
  const needOwner = environments.filter((e) => e.requireOwner);
  if (body.ownerEmail && !owner) fields.ownerEmail = `No member of ${project.name} has the email ${body.ownerEmail}.`;
  else if (!owner && needOwner.length) fields.ownerEmail = `${needOwner.map((e) => e.name).join(", ")} require${needOwner.length === 1 ? "s" : ""} every flag to have an owner.`;

  const expiresAt = body.expiresAt ? parseExpiry(body.expiresAt) : null;
  const needExpiry = body.kind === "release" || body.kind === "experiment" ? environments.filter((e) => e.requireExpiry) : [];
  if (expiresAt && expiresAt.getTime() <= now.getTime()) fields.expiresAt = "The expiry date must be in the future.";
  else if (!expiresAt && needExpiry.length) fields.expiresAt = `${needExpiry.map((e) => e.name).join(", ")} require${needExpiry.length === 1 ? "s" : ""} ${body.kind} flags to have an expiry date.`;
  else if (expiresAt) {
    for (const env of needExpiry.filter((e) => e.maxFlagLifetimeDays != null)) {
      const latest = new Date(now.getTime() + env.maxFlagLifetimeDays! * DAY_MS);
      if (expiresAt > latest) fields.expiresAt = `${env.name} allows ${body.kind} flags to live at most ${env.maxFlagLifetimeDays} days: choose an expiry on or before ${latest.toISOString().slice(0, 10)}.`;
    }
  }
  if (Object.keys(fields).length) throw new AppError("VALIDATION_FAILED", Object.values(fields)[0], { fields });

  const variations: Variation[] = body.variations ?? DEFAULT_BOOLEAN_VARIATIONS.map((v) => ({ ...v }));
  const off = offVariationKey(variations);
  const config: FlagConfig = { on: false, offVariation: off, targets: [], rules: [], fallthrough: { variation: off }, prerequisites: [] };
  const definition: FlagDefinition = { key: body.key, kind: body.kind, valueType: body.valueType, variations };
  const problems = validateFlagConfig(config, [], [], [], definition).filter((i) => i.severity !== "warning");
  if (problems.length) throw new AppError("VALIDATION_FAILED", problems[0].message, { issues: problems });

  const taken = () => conflict(`A flag with the key “${body.key}” already exists. Keys cannot be reused, even after archiving.`);
  if (await prisma.flag.findUnique({ where: { projectId_key: { projectId: project.id, key: body.key } }, select: { id: true } })) throw taken();

  const audit = auditActorFields(access.actor);
  const createdById = access.actor.type === "user" ? access.actor.userId : access.actor.type === "api_token" ? access.actor.userId : null;
  const json = config as unknown as Prisma.InputJsonValue;
  try {
    await prisma.$transaction(async (tx) => {
      const flag = await tx.flag.create({
        data: {
          projectId: project.id,
          key: body.key,
          name: body.name,
          description: body.description,
          kind: body.kind,
          valueType: body.valueType,
          variations: variations as unknown as Prisma.InputJsonValue,
          controlVariation: body.controlVariation ?? null,
          ownerId: owner?.id ?? null,
          tags: [...new Set(body.tags)],
          lifecycle: body.lifecycle,
          expiresAt,
          clientVisible: body.clientVisible,
          createdById,
        },
      });
      await appendAuditEvent(tx, {
        ...audit,
        projectId: project.id,
        action: "flag.created",
        entityType: "flag",
        entityKey: body.key,
        after: { ...body, variations, expiresAt: expiresAt?.toISOString() ?? null },
      });
      for (const env of environments) {
        await tx.flagEnvironmentConfig.create({ data: { flagId: flag.id, environmentId: env.id, config: json, version: 1, updatedById: createdById } });
        await tx.flagConfigRevision.create({
          data: { flagId: flag.id, environmentId: env.id, version: 1, config: json, variations: variations as unknown as Prisma.InputJsonValue, ...audit },
        });
        await appendAuditEvent(tx, { ...audit, projectId: project.id, environmentId: env.id, action: "flag_config.created", entityType: "flag", entityKey: body.key, after: { ...config, version: 1 } });
        await bumpSnapshotVersion(tx, env.id);
      }
    });
  } catch (error) {
    if (typeof error === "object" && error !== null && (error as { code?: string }).code === "P2002") throw taken();
    throw error;
  }
  await Promise.all(environments.map((env) => getSnapshotStore().reload(env.id)));
  return { key: body.key };
}
