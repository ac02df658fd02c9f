/**
 * Demo data for a fresh Switchyard (the data itself is in prisma/demo-data.ts). `seedDemo` writes
 * only into an empty database (no projects) and only when SWITCHYARD_DEMO is not "0"; everything
 * is written in one transaction, so a failure leaves nothing half-seeded, and an advisory lock
 * makes two instances starting at once seed once.
 *
 * Every configuration is stored as version 1 with its FlagConfigRevision / SegmentConfigRevision,
 * and a single "demo.seeded" system event starts the audit chain.
 */
import bcrypt from "bcryptjs";
import { appendAuditEvent } from "../lib/audit/append-audit-event";
import type { Prisma, PrismaClient } from "../lib/db/generated/client";
import {
  DEMO_ATTRIBUTES,
  DEMO_ENVIRONMENTS,
  DEMO_FLAGS,
  DEMO_METRICS,
  DEMO_PASSWORD,
  DEMO_PROJECT,
  DEMO_ROLLOUT_TEMPLATES,
  DEMO_SEGMENTS,
  DEMO_USERS,
  type DemoRole,
} from "./demo-data";

export { DEMO_PASSWORD, DEMO_PROJECT, DEMO_USERS } from "./demo-data";

type Env = Record<string, string | undefined>;

export interface SeedDemoOptions {
  /** Default process.env (reads SWITCHYARD_DEMO). */
  env?: Env;
  /** The seed's notion of now (flag ages and expiry dates are relative to it). */
  now?: Date;
  /** bcrypt cost; default 10. */
  bcryptCost?: number;
}

export interface SeedCounts {
  users: number;
  environments: number;
  flags: number;
  flagConfigs: number;
  segments: number;
  segmentConfigs: number;
  attributes: number;
  metrics: number;
  rolloutTemplates: number;
}

export type SeedDemoResult =
  | { seeded: false; reason: "disabled" | "not-empty" }
  | { seeded: true; projectKey: string; counts: SeedCounts };

/** Arbitrary constant naming the seed's advisory lock. */
const SEED_LOCK_KEY = 0x5_7a1d_0002;
const SEED_ACTOR = { actorType: "system" as const, actorId: null, actorLabel: "Demo seed" };
const DAY = 24 * 60 * 60 * 1000;

export function demoSeedEnabled(env: Env = process.env): boolean {
  return env.SWITCHYARD_DEMO?.trim() !== "0";
}

const json = (value: unknown) => value as Prisma.InputJsonValue;

export async function seedDemo(prisma: PrismaClient, options: SeedDemoOptions = {}): Promise<SeedDemoResult> {
  if (!demoSeedEnabled(options.env)) return { seeded: false, reason: "disabled" };
  if ((await prisma.project.count()) > 0) return { seeded: false, reason: "not-empty" };

  const now = options.now ?? new Date();
  // Hash outside the transaction: bcrypt is slow on purpose.
  const passwordHash = await bcrypt.hash(DEMO_PASSWORD, options.bcryptCost ?? 10);

  return prisma.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${SEED_LOCK_KEY})`);
      if ((await tx.project.count()) > 0) return { seeded: false, reason: "not-empty" } as const;

      const userIds = {} as Record<DemoRole, string>;
      for (const user of DEMO_USERS) {
        // A person may already exist (e.g. signed in through OIDC before any project existed).
        const row = await tx.user.upsert({
          where: { email: user.email },
          update: {},
          create: { email: user.email, name: user.name, passwordHash, createdAt: new Date(now.getTime() - 200 * DAY) },
        });
        userIds[user.role] = row.id;
      }

      const project = await tx.project.create({
        data: {
          ...DEMO_PROJECT,
          createdAt: new Date(now.getTime() - 200 * DAY),
          environments: {
            create: DEMO_ENVIRONMENTS.map((env) => ({
              ...env,
              allowlistOnlyFirstStage: env.allowlistOnlyFirstStage ? json(env.allowlistOnlyFirstStage) : undefined,
            })),
          },
          memberships: { create: DEMO_USERS.map((user) => ({ userId: userIds[user.role], role: user.role })) },
          attributes: {
            create: DEMO_ATTRIBUTES.map((attribute) => ({
              ...attribute,
              allowedValues: attribute.allowedValues ? json(attribute.allowedValues) : undefined,
            })),
          },
          metricDefinitions: { create: DEMO_METRICS.map((metric) => ({ ...metric })) },
          rolloutTemplates: {
            create: DEMO_ROLLOUT_TEMPLATES.map((template) => ({
              ...template,
              stages: json(template.stages),
              guardrails: json(template.guardrails),
              createdById: userIds.admin,
            })),
          },
        },
        include: { environments: true },
      });
      const environmentIds = Object.fromEntries(project.environments.map((env) => [env.key, env.id]));

      let segmentConfigs = 0;
      for (const segment of DEMO_SEGMENTS) {
        const createdAt = new Date(now.getTime() - 150 * DAY);
        const perEnvironment = DEMO_ENVIRONMENTS.map((env) => ({
          environmentId: environmentIds[env.key],
          included: json(env.key === "development" ? [...segment.included, ...(segment.developmentIncluded ?? [])] : segment.included),
          excluded: json(segment.excluded),
          rules: json(segment.rules),
        }));
        segmentConfigs += perEnvironment.length;
        await tx.segment.create({
          data: {
            projectId: project.id,
            key: segment.key,
            name: segment.name,
            description: segment.description,
            ownerId: userIds[segment.owner],
            reviewCadenceDays: segment.reviewCadenceDays,
            lastReviewedAt: new Date(now.getTime() - 20 * DAY),
            lastReviewedById: userIds.approver,
            createdAt,
            configs: {
              create: perEnvironment.map((c) => ({ ...c, version: 1, updatedAt: createdAt, updatedById: userIds[segment.owner] })),
            },
            revisions: {
              create: perEnvironment.map((c) => ({ ...c, version: 1, createdAt, ...SEED_ACTOR })),
            },
          },
        });
      }

      let flagConfigs = 0;
      for (const flag of DEMO_FLAGS) {
        const createdAt = new Date(now.getTime() - flag.createdDaysAgo * DAY);
        const perEnvironment = DEMO_ENVIRONMENTS.map((env) => ({
          environmentId: environmentIds[env.key],
          config: json(flag.configs[env.key]),
        }));
        flagConfigs += perEnvironment.length;
        await tx.flag.create({
          data: {
            projectId: project.id,
            key: flag.key,
            name: flag.name,
            description: flag.description,
            kind: flag.kind,
            valueType: flag.valueType,
            variations: json(flag.variations),
            controlVariation: flag.controlVariation ?? null,
            ownerId: userIds[flag.owner],
            tags: flag.tags,
            lifecycle: flag.lifecycle,
            expiresAt: flag.expiresInDays === undefined ? null : new Date(now.getTime() + flag.expiresInDays * DAY),
            clientVisible: flag.clientVisible,
            createdAt,
            updatedAt: createdAt,
            createdById: userIds[flag.owner],
            configs: {
              create: perEnvironment.map((c) => ({ ...c, version: 1, updatedAt: createdAt, updatedById: userIds[flag.owner] })),
            },
            revisions: {
              create: perEnvironment.map((c) => ({
                ...c,
                version: 1,
                variations: json(flag.variations),
                createdAt,
                ...SEED_ACTOR,
              })),
            },
          },
        });
      }

      const counts: SeedCounts = {
        users: DEMO_USERS.length,
        environments: DEMO_ENVIRONMENTS.length,
        flags: DEMO_FLAGS.length,
        flagConfigs,
        segments: DEMO_SEGMENTS.length,
        segmentConfigs,
        attributes: DEMO_ATTRIBUTES.length,
        metrics: DEMO_METRICS.length,
        rolloutTemplates: DEMO_ROLLOUT_TEMPLATES.length,
      };
      await appendAuditEvent(tx, {
        ...SEED_ACTOR,
        projectId: project.id,
        action: "demo.seeded",
        entityType: "project",
        entityKey: project.key,
        after: { counts },
        reason: "Demo data for a fresh installation (SWITCHYARD_DEMO=0 skips it).",
        createdAt: now,
      });
      return { seeded: true, projectKey: project.key, counts } as const;
    },
    // PGlite runs the statements one by one; a few hundred of them take a few seconds at most.
    { timeout: 120_000, maxWait: 30_000 },
  );
}
