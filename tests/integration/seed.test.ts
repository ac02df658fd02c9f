import bcrypt from "bcryptjs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { verifyAuditChain } from "@/lib/audit/hash-chain";
import type { CatalogAttribute, Flag, FlagConfig, Segment, SegmentRule, Variation } from "@/lib/evaluation/types";
import { validateFlagConfig, validateSegment } from "@/lib/evaluation/validate";
import { catalogAttributeSchema, flagSchema, segmentSchema } from "@/lib/schemas/flag-config";
import { DEMO_PASSWORD, DEMO_USERS, seedDemo } from "@/prisma/seed";
import { type TestDatabase, createTestDatabase, testDbKind } from "./helpers/test-database";

const kind = testDbKind();
let db: TestDatabase;
const NOW = new Date("2026-11-24T12:00:00.000Z");

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.destroy();
});

describe(`demo seed on ${kind}`, () => {
  test("SWITCHYARD_DEMO=0 seeds nothing", async () => {
    expect(await seedDemo(db.prisma, { env: { SWITCHYARD_DEMO: "0" } })).toEqual({ seeded: false, reason: "disabled" });
    expect(await db.prisma.user.count()).toBe(0);
  });

  test("seeds an empty database once; a second run changes nothing", async () => {
    const result = await seedDemo(db.prisma, { env: {}, now: NOW, bcryptCost: 4 });
    expect(result).toMatchObject({ seeded: true, projectKey: "storefront" });
    const counts = async () => ({
      users: await db.prisma.user.count(),
      projects: await db.prisma.project.count(),
      flags: await db.prisma.flag.count(),
      configs: await db.prisma.flagEnvironmentConfig.count(),
      revisions: await db.prisma.flagConfigRevision.count(),
      segments: await db.prisma.segment.count(),
      audit: await db.prisma.auditEvent.count(),
    });
    const first = await counts();
    expect(first).toMatchObject({ users: 4, projects: 1, segments: 3, audit: 1 });
    expect(first.flags).toBeGreaterThanOrEqual(28);
    expect(first.configs).toBe(first.flags * 3);
    expect(first.revisions).toBe(first.configs);

    expect(await seedDemo(db.prisma, { env: {} })).toEqual({ seeded: false, reason: "not-empty" });
    expect(await counts()).toEqual(first);
  });

  test("environments carry the policy: production needs one approval", async () => {
    const envs = await db.prisma.environment.findMany({ orderBy: { sortOrder: "asc" } });
    expect(envs.map((e) => e.key)).toEqual(["development", "staging", "production"]);
    expect(envs.map((e) => [e.requireReview, e.requiredApprovals])).toEqual([
      [false, 0],
      [false, 0],
      [true, 1],
    ]);
  });

  test("demo users sign in with the demo password and have the role their name says", async () => {
    const members = await db.prisma.membership.findMany({ include: { user: true } });
    expect(members).toHaveLength(DEMO_USERS.length);
    for (const demo of DEMO_USERS) {
      const member = members.find((m) => m.user.email === demo.email)!;
      expect(member.role).toBe(demo.role);
      expect(member.user.passwordHash).toMatch(/^\$2[aby]\$/);
      expect(await bcrypt.compare(DEMO_PASSWORD, member.user.passwordHash!)).toBe(true);
    }
  });

  test("every flag covers every kind and value type, with the flags the demo promises", async () => {
    const flags = await db.prisma.flag.findMany();
    expect(new Set(flags.map((f) => f.kind))).toEqual(new Set(["release", "experiment", "operational", "permission"]));
    expect(new Set(flags.map((f) => f.valueType))).toEqual(new Set(["boolean", "string", "number", "json"]));
    expect(new Set(flags.map((f) => f.lifecycle))).toEqual(
      new Set(["draft", "active", "rolling_out", "released", "deprecated", "archived"]),
    );
    const keys = flags.map((f) => f.key);
    expect(keys).toEqual(expect.arrayContaining(["new-search", "checkout-redesign", "payments-circuit-breaker", "admin-bulk-export"]));
    expect(flags.some((f) => f.expiresAt && f.expiresAt < NOW)).toBe(true);

    const checkout = await db.prisma.flagEnvironmentConfig.findFirstOrThrow({
      where: { flag: { key: "checkout-redesign" }, environment: { key: "production" } },
    });
    const fallthrough = (checkout.config as unknown as FlagConfig).fallthrough;
    expect(fallthrough).toEqual({
      rollout: {
        weights: [
          { variation: "classic", weight: 33000 },
          { variation: "single-page", weight: 33000 },
          { variation: "accordion", weight: 34000 },
        ],
      },
    });
    const search = await db.prisma.flagEnvironmentConfig.findFirstOrThrow({
      where: { flag: { key: "new-search" }, environment: { key: "production" } },
    });
    expect(JSON.stringify(search.config)).toContain("paid-north-america");
  });

  test("production follows its own policy: owners everywhere, expiry within 180 days for releases and experiments", async () => {
    const flags = await db.prisma.flag.findMany();
    for (const flag of flags) {
      expect(flag.ownerId, flag.key).not.toBeNull();
      if (flag.kind === "release" || flag.kind === "experiment") {
        expect(flag.expiresAt, flag.key).not.toBeNull();
        const lifetimeDays = (flag.expiresAt!.getTime() - flag.createdAt.getTime()) / 86_400_000;
        expect(lifetimeDays, flag.key).toBeLessThanOrEqual(180);
      }
    }
  });

  test("every stored configuration, segment and attribute passes the app's schemas and the engine's validator", async () => {
    const project = await db.prisma.project.findUniqueOrThrow({
      where: { key: "storefront" },
      include: {
        environments: true,
        attributes: true,
        flags: { include: { configs: true } },
        segments: { include: { configs: true } },
      },
    });
    const catalog: CatalogAttribute[] = project.attributes.map((a) =>
      catalogAttributeSchema.parse({
        key: a.key,
        type: a.type,
        sensitivity: a.sensitivity,
        allowedValues: a.allowedValues ?? undefined,
        description: a.description,
        dashboardDimension: a.dashboardDimension,
      }),
    );
    expect(catalog.map((a) => a.key)).toEqual(
      expect.arrayContaining(["plan", "country", "region", "device", "appVersion", "signupDate", "email"]),
    );
    expect(project.attributes.filter((a) => a.dashboardDimension).map((a) => a.key).sort()).toEqual(["device", "plan", "region"]);
    expect(project.attributes.find((a) => a.key === "email")?.sensitivity).toBe("private");
    expect(project.attributes.find((a) => a.key === "appVersion")?.type).toBe("semver");
    expect(project.attributes.find((a) => a.key === "signupDate")?.type).toBe("date");

    const problems: string[] = [];
    for (const env of project.environments) {
      const segments: Segment[] = project.segments.map((s) => {
        const c = s.configs.find((x) => x.environmentId === env.id)!;
        expect(c.version).toBe(1);
        return segmentSchema.parse({
          key: s.key,
          included: c.included as string[],
          excluded: c.excluded as string[],
          rules: c.rules as unknown as SegmentRule[],
        }) as Segment;
      });
      for (const segment of segments) {
        for (const issue of validateSegment(segment, catalog, segments)) {
          if (issue.severity !== "warning") problems.push(`${env.key} segment ${segment.key}: ${issue.message}`);
        }
      }
      const flags: Flag[] = project.flags.map((f) => {
        const c = f.configs.find((x) => x.environmentId === env.id)!;
        expect(c.version).toBe(1);
        return flagSchema.parse({
          key: f.key,
          kind: f.kind,
          valueType: f.valueType,
          variations: f.variations as unknown as Variation[],
          controlVariation: f.controlVariation ?? undefined,
          config: c.config,
        }) as Flag;
      });
      for (const flag of flags) {
        for (const issue of validateFlagConfig(flag.config, catalog, segments, flags, flag)) {
          if (issue.severity !== "warning") problems.push(`${env.key} ${flag.key} ${issue.path.join(".")}: ${issue.message}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  test("each configuration is version 1 with an identical revision", async () => {
    const configs = await db.prisma.flagEnvironmentConfig.findMany({ include: { flag: true } });
    const revisions = await db.prisma.flagConfigRevision.findMany();
    for (const config of configs) {
      const revision = revisions.find((r) => r.flagId === config.flagId && r.environmentId === config.environmentId)!;
      expect(revision).toMatchObject({ version: 1, actorType: "system", actorLabel: "Demo seed" });
      expect(revision.config).toEqual(config.config);
      expect(revision.variations).toEqual(config.flag.variations);
    }
    expect(await db.prisma.segmentConfigRevision.count()).toBe(await db.prisma.segmentEnvironmentConfig.count());
  });

  test("the seed's audit event starts a valid hash chain", async () => {
    const events = await db.prisma.auditEvent.findMany({ orderBy: { id: "asc" } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: "demo.seeded", actorType: "system", entityKey: "storefront" });
    expect(verifyAuditChain(events)).toMatchObject({ ok: true, checked: 1 });
  });

  test("a database that already has a project is never seeded", async () => {
    const other = await createTestDatabase();
    try {
      await other.prisma.project.create({ data: { key: "mine", name: "Mine" } });
      expect(await seedDemo(other.prisma, { env: {} })).toEqual({ seeded: false, reason: "not-empty" });
      expect(await other.prisma.flag.count()).toBe(0);
      expect(await other.prisma.user.count()).toBe(0);
    } finally {
      await other.destroy();
    }
  });
});
