/**
 * The flag impact preview route: the edited configuration is replayed against the contexts seen
 * recently (exposure events), counted by dashboard dimension, for the flag and its dependents.
 * Also the flag page's other reads and writes added with it: dependencies both ways, the
 * variations editor's action and archiving. The session cookie is the one thing replaced: the route reads the signed-in person from it.
 */
import { beforeAll, describe, expect, test, vi } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { getPrisma, type Prisma } from "@/lib/db";
import type { FlagConfig } from "@/lib/evaluation/types";
import { getSnapshotStore } from "@/lib/snapshots/snapshot-store";
import * as impactRoute from "@/app/api/console/projects/[project]/environments/[env]/flags/[key]/impact/route";
import * as recentRoute from "@/app/api/console/projects/[project]/environments/[env]/recent-contexts/route";
import * as dependenciesRoute from "@/app/api/console/projects/[project]/flags/[key]/dependencies/route";
import { executeAction } from "@/lib/actions/define-action";
import { archiveFlagDefinition, createFlagDefinition, updateFlagVariationsDefinition } from "@/lib/flags/flag-actions";
import { withAppDatabase } from "./helpers/app-database";
import { callRoute, createProjectFixture, type ProjectFixture } from "./helpers/fixtures";

const session = vi.hoisted(() => ({ actor: null as Extract<Actor, { type: "user" }> | null }));
vi.mock("@/lib/auth/session", () => ({ getSessionActor: async () => session.actor }));

withAppDatabase();

let fx: ProjectFixture;
const now = new Date();
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);
const OFF_FOR_ALL: FlagConfig = { on: true, offVariation: "off", targets: [], rules: [], fallthrough: { variation: "off" }, prerequisites: [] };
const PRO_ON: FlagConfig = { ...OFF_FOR_ALL, rules: [{ id: "pro", clauses: [{ attribute: "plan", op: "in", values: ["pro", "enterprise"] }], serve: { variation: "on" } }] };

function preview(body: unknown, options: { env?: string; key?: string; rawBody?: string } = {}) {
  const params = { project: fx.projectKey, env: options.env ?? "development", key: options.key ?? "checkout" };
  return callRoute(impactRoute.POST, { method: "POST", path: `/api/console/projects/${params.project}/environments/${params.env}/flags/${params.key}/impact`, body, rawBody: options.rawBody, params });
}

async function addFlag(key: string, config: FlagConfig) {
  const environments = await getPrisma().environment.findMany({ where: { projectId: fx.projectId } });
  await getPrisma().flag.create({
    data: {
      projectId: fx.projectId,
      key,
      name: `Flag ${key}`,
      kind: "release",
      valueType: "boolean",
      variations: [
        { key: "on", value: true },
        { key: "off", value: false },
      ],
      configs: { create: environments.map((env) => ({ environmentId: env.id, config: config as unknown as Prisma.InputJsonValue })) },
    },
  });
  // Written behind the services' back: publish new snapshots as they would.
  for (const env of environments) {
    await getPrisma().environment.update({ where: { id: env.id }, data: { snapshotVersion: { increment: 1 } } });
    await getSnapshotStore().reload(env.id);
  }
}

beforeAll(async () => {
  fx = await createProjectFixture("flagimpact");
  // `upsell` requires checkout to serve `on`, then serves `on`.
  await addFlag("upsell", { ...OFF_FOR_ALL, fallthrough: { variation: "on" }, prerequisites: [{ flagKey: "checkout", variation: "on" }] });
  const development = await getPrisma().environment.findFirstOrThrow({ where: { projectId: fx.projectId, key: "development" } });
  const exposure = (contextKey: string, attributes: Record<string, unknown>, at: Date) => ({ environmentId: development.id, flagKey: "checkout", variationKey: "off", contextKey, attributes: attributes as Prisma.InputJsonValue, timestamp: at });
  await getPrisma().exposureEvent.createMany({
    data: [
      exposure("u1", { plan: "pro", country: "ca" }, minutesAgo(5)),
      exposure("u2", { plan: "enterprise", country: "us" }, minutesAgo(6)),
      exposure("u3", { plan: "free", country: "ca" }, minutesAgo(7)),
      // u3 was pro an hour ago: only the latest exposure counts.
      exposure("u3", { plan: "pro", country: "ca" }, minutesAgo(60)),
      exposure("u4", { country: "us" }, minutesAgo(8)),
      // Too old.
      exposure("u5", { plan: "pro", country: "ca" }, new Date(now.getTime() - 8 * 86_400_000)),
    ],
  });
});

describe("POST …/flags/{key}/impact", () => {
  test("a viewer may read it; counts are those of the seeded exposures, by dimension, with dependents", async () => {
    session.actor = fx.byRole.viewer.user;
    const response = await preview(PRO_ON);
    expect(response.status).toBe(200);
    const impact = response.body;
    expect(impact.sample).toEqual({ contexts: 4, days: 7, limit: 10_000 });
    expect(impact.dimensions).toEqual(["country", "plan"]);
    expect(impact.flag.changed).toBe(2);
    expect(impact.flag.transitions).toEqual([{ from: "off", to: "on", count: 2 }]);
    expect(impact.flag.byDimension).toEqual([
      {
        dimension: "country",
        values: [
          { value: "ca", seen: 2, changed: 1 },
          { value: "us", seen: 2, changed: 1 },
        ],
      },
      {
        dimension: "plan",
        values: [
          { value: "enterprise", seen: 1, changed: 1 },
          { value: "pro", seen: 1, changed: 1 },
          { value: "(not set)", seen: 1, changed: 0 },
          { value: "free", seen: 1, changed: 0 },
        ],
      },
    ]);
    expect(impact.dependents).toEqual([expect.objectContaining({ flagKey: "upsell", flagName: "Flag upsell", changed: 2, transitions: [{ from: "off", to: "on", count: 2 }] })]);
    expect(impact.privateAttributes).toEqual([]);
  });

  test("the saved configuration itself changes nobody", async () => {
    session.actor = fx.byRole.editor.user;
    const response = await preview(OFF_FOR_ALL);
    expect(response.status).toBe(200);
    expect(response.body.flag.changed).toBe(0);
    expect(response.body.dependents).toEqual([]);
  });

  test("private attributes are never dimensions, and rules on them are pointed out", async () => {
    session.actor = fx.byRole.viewer.user;
    await getPrisma().attribute.update({ where: { projectId_key: { projectId: fx.projectId, key: "country" } }, data: { sensitivity: "private" } });
    try {
      const response = await preview({ ...OFF_FOR_ALL, rules: [{ id: "mail", clauses: [{ attribute: "email", op: "endsWith", values: ["@corp.test"] }], serve: { variation: "on" } }] });
      expect(response.status).toBe(200);
      expect(response.body.dimensions).toEqual(["plan"]);
      expect(response.body.flag.byDimension.map((d: { dimension: string }) => d.dimension)).toEqual(["plan"]);
      expect(response.body.privateAttributes).toEqual(["email"]);
      expect(response.body.flag.changed).toBe(0);
    } finally {
      await getPrisma().attribute.update({ where: { projectId_key: { projectId: fx.projectId, key: "country" } }, data: { sensitivity: "public" } });
    }
  });

  test("an environment without exposures has an empty sample", async () => {
    session.actor = fx.byRole.viewer.user;
    const response = await preview(PRO_ON, { env: "production" });
    expect(response.status).toBe(200);
    expect(response.body.sample.contexts).toBe(0);
    expect(response.body.flag.changed).toBe(0);
  });

  test("a bad body is a 400 naming the field, never a 500", async () => {
    session.actor = fx.byRole.viewer.user;
    const missing = await preview({ on: true });
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe("VALIDATION_FAILED");
    const wrongType = await preview({ ...PRO_ON, rules: "everyone" });
    expect(wrongType.status).toBe(400);
    expect(Object.keys(wrongType.body.error.details.fields)).toContain("rules");
    const notJson = await preview(undefined, { rawBody: "{not json" });
    expect(notJson.status).toBe(400);
  });

  test("unknown flags and environments are 404; no session is 401; outsiders are refused", async () => {
    session.actor = fx.byRole.viewer.user;
    expect((await preview(PRO_ON, { key: "nope" })).status).toBe(404);
    expect((await preview(PRO_ON, { env: "nope" })).status).toBe(404);
    session.actor = null;
    expect((await preview(PRO_ON)).status).toBe(401);
    const other = await createProjectFixture("other");
    session.actor = other.byRole.admin.user;
    expect([403, 404]).toContain((await preview(PRO_ON)).status);
  });
});

describe("GET …/environments/{env}/recent-contexts (Evaluate as…)", () => {
  const recent = (query = "", env = "development") =>
    callRoute(recentRoute.GET, { method: "GET", path: `/api/console/projects/${fx.projectKey}/environments/${env}/recent-contexts${query}`, params: { project: fx.projectKey, env } });

  test("newest first, each context once with its latest attributes; a viewer may read them", async () => {
    session.actor = fx.byRole.viewer.user;
    const response = await recent();
    expect(response.status).toBe(200);
    expect(response.body.map((c: { contextKey: string }) => c.contextKey)).toEqual(["u1", "u2", "u3", "u4"]);
    expect(response.body[2]).toMatchObject({ contextKey: "u3", attributes: { plan: "free", country: "ca" } });
    expect((await recent("?limit=2")).body).toHaveLength(2);
  });

  test("an attribute made private since the events were stored is redacted", async () => {
    session.actor = fx.byRole.viewer.user;
    await getPrisma().attribute.update({ where: { projectId_key: { projectId: fx.projectId, key: "country" } }, data: { sensitivity: "private" } });
    try {
      const response = await recent();
      expect(response.body[0]).toEqual({ contextKey: "u1", attributes: { plan: "pro" }, lastSeenAt: expect.any(String) });
      expect(response.body.some((c: { attributes: Record<string, unknown> }) => "country" in c.attributes)).toBe(false);
    } finally {
      await getPrisma().attribute.update({ where: { projectId_key: { projectId: fx.projectId, key: "country" } }, data: { sensitivity: "public" } });
    }
  });

  test("a bad limit is a 400; an unknown environment a 404; none seen is an empty list", async () => {
    session.actor = fx.byRole.viewer.user;
    expect((await recent("?limit=0")).status).toBe(400);
    expect((await recent("?limit=lots")).status).toBe(400);
    expect((await recent("", "nope")).status).toBe(404);
    expect((await recent("", "production")).body).toEqual([]);
  });
});

describe("dependencies, variations and archiving from the flag page", () => {
  const dependencies = (key: string) =>
    callRoute(dependenciesRoute.GET, { method: "GET", path: `/api/console/projects/${fx.projectKey}/flags/${key}/dependencies`, params: { project: fx.projectKey, key } });

  test("both ways in every environment, with where it is still evaluated", async () => {
    session.actor = fx.byRole.viewer.user;
    const checkout = await dependencies("checkout");
    expect(checkout.status).toBe(200);
    const development = checkout.body.find((d: { environmentKey: string }) => d.environmentKey === "development");
    expect(development).toMatchObject({ on: true, needs: [], neededBy: [{ flagKey: "upsell", flagName: "Flag upsell", via: "checkout", variations: ["on"], depth: 1 }] });
    expect(development.lastEvaluatedAt).toBeNull();
    const upsell = (await dependencies("upsell")).body.find((d: { environmentKey: string }) => d.environmentKey === "development");
    expect(upsell).toMatchObject({ needs: [{ flagKey: "checkout", via: "upsell", depth: 1 }], neededBy: [] });
    // An evaluation rollup makes the environment one that still evaluates the flag.
    const environment = await getPrisma().environment.findFirstOrThrow({ where: { projectId: fx.projectId, key: "staging" } });
    const bucketStart = new Date(Math.floor(now.getTime() / 60_000) * 60_000 - 3_600_000);
    await getPrisma().exposureRollup.create({ data: { environmentId: environment.id, flagKey: "checkout", bucketStart, variationKey: "off", count: 3, uniqueCount: 3 } });
    const staging = (await dependencies("checkout")).body.find((d: { environmentKey: string }) => d.environmentKey === "staging");
    expect(staging.lastEvaluatedAt).toBe(bucketStart.toISOString());
    expect((await dependencies("nope")).status).toBe(404);
  });

  test("variations: a used one cannot be removed; added and described ones are saved with an audit entry", async () => {
    const editor = fx.byRole.editor.user;
    const removed = await executeAction(updateFlagVariationsDefinition, { projectKey: fx.projectKey, flagKey: "checkout", variations: [{ key: "off", value: false }] }, editor);
    expect(removed).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED" } });
    const variations = [
      { key: "on", value: true, description: "Everything on" },
      { key: "off", value: false },
      { key: "spare", value: true, name: "Spare" },
    ];
    const added = await executeAction(updateFlagVariationsDefinition, { projectKey: fx.projectKey, flagKey: "checkout", variations, reason: "a spare" }, editor);
    expect(added).toMatchObject({ ok: true });
    const row = await getPrisma().flag.findFirstOrThrow({ where: { projectId: fx.projectId, key: "checkout" } });
    expect(row.variations).toEqual(variations);
    const audit = await getPrisma().auditEvent.findFirstOrThrow({ where: { projectId: fx.projectId, entityKey: "checkout" }, orderBy: { id: "desc" } });
    expect(audit).toMatchObject({ action: "flag.updated", reason: "a spare" });
    // Unused, the spare may go again.
    const dropped = await executeAction(updateFlagVariationsDefinition, { projectKey: fx.projectKey, flagKey: "checkout", variations: variations.slice(0, 2) }, editor);
    expect(dropped).toMatchObject({ ok: true });
  });

  test("variations: a served value cannot change where review is required; bad input is a field error", async () => {
    const editor = fx.byRole.editor.user;
    const reviewed = await getPrisma().environment.findMany({ where: { projectId: fx.projectId, requireReview: true } });
    expect(reviewed.length).toBeGreaterThan(0);
    // checkout is on everywhere and its fallthrough serves `off`.
    const revalued = await executeAction(updateFlagVariationsDefinition, { projectKey: fx.projectKey, flagKey: "checkout", variations: [{ key: "on", value: true }, { key: "off", value: true }] }, editor);
    expect(revalued).toMatchObject({ ok: false, error: { code: "REVIEW_REQUIRED" } });
    const bad = await executeAction(updateFlagVariationsDefinition, { projectKey: fx.projectKey, flagKey: "checkout", variations: "on,off" }, editor);
    expect(bad).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED" } });
  });

  test("archiving is refused while another flag requires it, then allowed", async () => {
    const editor = fx.byRole.editor.user;
    const refused = await executeAction(archiveFlagDefinition, { projectKey: fx.projectKey, flagKey: "checkout" }, editor);
    expect(refused).toMatchObject({ ok: false, error: { code: "CONFLICT" } });
    // upsell is on in production, which requires review: archiving it there needs a change request.
    const onWhereReviewed = await executeAction(archiveFlagDefinition, { projectKey: fx.projectKey, flagKey: "upsell" }, editor);
    expect(onWhereReviewed).toMatchObject({ ok: false, error: { code: "REVIEW_REQUIRED" } });
    const created = await executeAction(createFlagDefinition, { projectKey: fx.projectKey, flag: { key: "retired", name: "Retired", kind: "operational", ownerEmail: fx.byRole.editor.user.email } }, editor);
    expect(created.ok, JSON.stringify(created)).toBe(true);
    const archived = await executeAction(archiveFlagDefinition, { projectKey: fx.projectKey, flagKey: "retired", reason: "done" }, editor);
    expect(archived.ok, JSON.stringify(archived)).toBe(true);
    expect((await getPrisma().flag.findFirstOrThrow({ where: { projectId: fx.projectId, key: "retired" } })).lifecycle).toBe("archived");
  });
});
