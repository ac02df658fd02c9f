/**
 * The segments console: its actions as the console calls them (schema, role, the REST services
 * underneath), its reads (list with where each segment is used, the segment page), and the impact
 * preview that replays recently seen contexts against the current and the edited membership.
 */
import { beforeAll, describe, expect, test } from "vitest";
import { executeAction } from "@/lib/actions/define-action";
import { requireProjectPermission, type ProjectAccess } from "@/lib/auth/access";
import { getPrisma, type Prisma } from "@/lib/db";
import type { FlagConfig, SegmentRule } from "@/lib/evaluation/types";
import { previewSegmentImpact } from "@/lib/segments/preview-segment-impact";
import { createSegmentDefinition, deleteSegmentDefinition, saveSegmentConfigDefinition, updateSegmentDefinition } from "@/lib/segments/segment-actions";
import { listSegmentsForConsole, loadSegmentPage } from "@/lib/segments/segment-console-data";
import { getSnapshotStore } from "@/lib/snapshots/snapshot-store";
import { withAppDatabase } from "./helpers/app-database";
import { createProjectFixture, type ProjectFixture } from "./helpers/fixtures";

withAppDatabase();

let fx: ProjectFixture;
let access: ProjectAccess;
const editor = () => fx.byRole.editor.user;

const PRO_RULE: SegmentRule = { id: "pro", clauses: [{ attribute: "plan", op: "in", values: ["pro", "enterprise"] }] };

async function createSegment(key: string) {
  const result = await executeAction(createSegmentDefinition, { projectKey: fx.projectKey, key, name: `Segment ${key}`, tags: ["console"] }, editor());
  expect(result).toMatchObject({ ok: true });
}

async function version(segmentKey: string, env = "development") {
  const row = await getPrisma().segmentEnvironmentConfig.findFirstOrThrow({ where: { segment: { projectId: fx.projectId, key: segmentKey }, environment: { key: env } } });
  return row.version;
}

function saveConfig(segmentKey: string, body: Record<string, unknown>, env = "development") {
  return executeAction(saveSegmentConfigDefinition, { projectKey: fx.projectKey, environmentKey: env, segmentKey, included: [], excluded: [], rules: [], ...body }, editor());
}

/** Points the fixture's `checkout` flag at a segment in one environment: segment members get `on`. */
async function useSegmentIn(flagKey: string, segmentKey: string, env: string) {
  const row = await getPrisma().flagEnvironmentConfig.findFirstOrThrow({ where: { flag: { projectId: fx.projectId, key: flagKey }, environment: { key: env } } });
  const config: FlagConfig = {
    ...(row.config as unknown as FlagConfig),
    on: true,
    rules: [{ id: `use-${segmentKey}`, clauses: [{ attribute: "targetingKey", op: "inSegment", values: [segmentKey] }], serve: { variation: "on" } }],
    fallthrough: { variation: "off" },
  };
  await getPrisma().flagEnvironmentConfig.update({ where: { id: row.id }, data: { config: config as unknown as Prisma.InputJsonValue } });
  // Written behind the services' back: publish a new snapshot version as they would.
  await getPrisma().environment.update({ where: { id: row.environmentId }, data: { snapshotVersion: { increment: 1 } } });
  await getSnapshotStore().reload(row.environmentId);
}

beforeAll(async () => {
  fx = await createProjectFixture("segcon");
  access = await requireProjectPermission(editor(), fx.projectKey, "segments:write");
});

describe("creating and editing", () => {
  test("an editor creates a segment, empty in every environment, and edits its details", async () => {
    await createSegment("beta");
    const configs = await getPrisma().segmentEnvironmentConfig.findMany({ where: { segment: { projectId: fx.projectId, key: "beta" } } });
    expect(configs).toHaveLength(3);
    expect(configs.every((c) => (c.included as unknown[]).length === 0 && c.version === 1)).toBe(true);
    const updated = await executeAction(updateSegmentDefinition, { projectKey: fx.projectKey, segmentKey: "beta", description: "Beta users", ownerEmail: editor().email }, editor());
    expect(updated).toMatchObject({ ok: true, data: { description: "Beta users", owner: { email: editor().email } } });
  });

  test("a viewer can do neither", async () => {
    const result = await executeAction(createSegmentDefinition, { projectKey: fx.projectKey, key: "nope", name: "Nope" }, fx.byRole.viewer.user);
    expect(result).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
  });

  test("100,000 pasted keys (the most a list takes) with duplicates are saved once each, with a revision, an audit entry and a new snapshot", async () => {
    const pasted = Array.from({ length: 99_998 }, (_, i) => `user-${i}`);
    const development = await getPrisma().environment.findFirstOrThrow({ where: { projectId: fx.projectId, key: "development" } });
    const result = await saveConfig("beta", { version: await version("beta"), included: [...pasted, "user-1", "user-2"], excluded: ["user-2"], rules: [PRO_RULE], reason: "beta wave 1" });
    expect(result).toMatchObject({ ok: true, data: { version: 2, removedDuplicates: { included: 2, excluded: 0 }, counts: { included: 99_998, excluded: 1 } } });
    expect((result as { data: { warnings: { code: string }[] } }).data.warnings.map((w) => w.code)).toEqual(["key_included_and_excluded"]);
    expect((await getPrisma().environment.findUniqueOrThrow({ where: { id: development.id } })).snapshotVersion).toBeGreaterThan(development.snapshotVersion);
    const audit = await getPrisma().auditEvent.findFirstOrThrow({ where: { projectId: fx.projectId, entityKey: "beta", action: "segment_config.updated" }, orderBy: { id: "desc" } });
    expect(audit).toMatchObject({ reason: "beta wave 1", diff: { entity: "segment", included: { addedCount: 99_998, removedCount: 0 }, excluded: { addedCount: 1, removedCount: 0 }, rules: [expect.objectContaining({ change: "added" })] } });
    expect(await getPrisma().segmentConfigRevision.count({ where: { segment: { key: "beta", projectId: fx.projectId }, version: 2 } })).toBe(1);
  });

  test("long key lists may arrive as JSON text (React's action decoder refuses huge arrays)", async () => {
    await createSegment("as-text");
    const keys = ["a", "b", "a"];
    expect(await saveConfig("as-text", { version: 1, included: JSON.stringify(keys), excluded: "[]" })).toMatchObject({ ok: true, data: { counts: { included: 2, excluded: 0 } } });
    expect(await saveConfig("as-text", { version: 2, included: "not json" })).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED", fieldErrors: { included: expect.any(String) } } });
  });

  test("a stale version is a conflict; invalid rules are refused with the engine's issues; production needs review", async () => {
    expect(await saveConfig("beta", { version: 1, included: ["x"] })).toMatchObject({ ok: false, error: { code: "CONFLICT", message: expect.stringContaining("since you started") } });
    const badRule: SegmentRule = { id: "bad", clauses: [{ attribute: "plan", op: "matches", values: ["(a+)+$"] }] };
    const invalid = await saveConfig("beta", { version: await version("beta"), rules: [badRule] });
    expect(invalid).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED", details: { issues: [expect.objectContaining({ path: ["rules", 0, "clauses", 0, "values", 0] })] } } });
    // Production requires review: the save files a change request; the live membership stays.
    const productionVersion = await version("beta", "production");
    expect(await saveConfig("beta", { version: productionVersion, included: ["x"] }, "production")).toMatchObject({ ok: true, data: { version: productionVersion, changeRequest: { number: expect.any(Number) } } });
    expect(await version("beta", "production")).toBe(productionVersion);
  });
});

describe("reads", () => {
  test("the list says how big each segment is here and which flags use it, here and elsewhere", async () => {
    await createSegment("staff");
    await useSegmentIn("checkout", "staff", "staging");
    const page = await listSegmentsForConsole(access, "development", { limit: 50 });
    const staff = page.segments.find((s) => s.key === "staff")!;
    expect(staff).toMatchObject({ usedByHere: [], usedIn: ["staging"] });
    const beta = page.segments.find((s) => s.key === "beta")!;
    expect(beta.environments.find((e) => e.key === "development")).toMatchObject({ includedCount: 99_998, excludedCount: 1, ruleCount: 1 });
    expect((await listSegmentsForConsole(access, "staging", { limit: 50 })).segments.find((s) => s.key === "staff")?.usedByHere).toEqual(["checkout"]);
  });

  test("the segment page has the membership here, what uses it everywhere, the catalog and the other segments' rules", async () => {
    const page = await loadSegmentPage(access, "staging", "staff");
    expect(page.environment).toEqual({ key: "staging", name: "Staging", requireReview: false });
    expect(page.config).toEqual({ version: 1, included: [], excluded: [], rules: [] });
    expect(page.usage).toEqual([{ kind: "flag", key: "checkout", name: "Checkout", environmentKey: "staging", archived: false }]);
    expect(page.catalog.map((a) => a.key).sort()).toEqual(["country", "email", "plan"]);
    expect(page.otherSegments.map((s) => s.key)).toContain("beta");
    await expect(loadSegmentPage(access, "staging", "missing")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("deleting", () => {
  test("refused while a flag uses it, naming the flag and environment; allowed once nothing does", async () => {
    const refused = await executeAction(deleteSegmentDefinition, { projectKey: fx.projectKey, segmentKey: "staff" }, editor());
    expect(refused).toMatchObject({
      ok: false,
      error: { code: "CONFLICT", message: "Segment “staff” cannot be deleted: it is used by flag “checkout” (staging). Remove it from their rules first.", details: { usedBy: [{ flagKey: "checkout", environmentKey: "staging", archived: false }] } },
    });
    expect(await getPrisma().segment.count({ where: { projectId: fx.projectId, key: "staff" } })).toBe(1);
    await createSegment("temporary");
    expect(await executeAction(deleteSegmentDefinition, { projectKey: fx.projectKey, segmentKey: "temporary" }, editor())).toMatchObject({ ok: true });
    expect(await getPrisma().segment.count({ where: { projectId: fx.projectId, key: "temporary" } })).toBe(0);
  });
});

describe("impact preview", () => {
  const now = new Date();
  const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);

  beforeAll(async () => {
    // Development: checkout serves `on` to the "staff" segment; staff-plus refers to staff.
    await useSegmentIn("checkout", "staff", "development");
    await createSegment("staff-plus");
    await saveConfig("staff-plus", { version: await version("staff-plus"), rules: [{ id: "via", clauses: [{ attribute: "targetingKey", op: "inSegment", values: ["staff"] }] }] });
    const development = await getPrisma().environment.findFirstOrThrow({ where: { projectId: fx.projectId, key: "development" } });
    const staging = await getPrisma().environment.findFirstOrThrow({ where: { projectId: fx.projectId, key: "staging" } });
    const exposure = (environmentId: string, contextKey: string, plan: string, at: Date) => ({ environmentId, flagKey: "checkout", variationKey: "off", contextKey, attributes: { plan }, timestamp: at });
    await getPrisma().exposureEvent.createMany({
      data: [
        exposure(development.id, "u1", "pro", minutesAgo(5)),
        exposure(development.id, "u2", "enterprise", minutesAgo(6)),
        exposure(development.id, "u3", "free", minutesAgo(7)),
        // u3's latest exposure says free; an older one said pro.
        exposure(development.id, "u3", "pro", minutesAgo(60)),
        exposure(development.id, "u4", "free", minutesAgo(8)),
        // Too old to count, and another environment.
        exposure(development.id, "u5", "pro", new Date(now.getTime() - 8 * 86_400_000)),
        exposure(staging.id, "u6", "pro", minutesAgo(5)),
      ],
    });
  });

  test("counts the recent contexts that would join or leave and the flags whose variation changes", async () => {
    const impact = await previewSegmentImpact(access, "development", "staff", { included: ["u4"], excluded: ["u2"], rules: [PRO_RULE] }, now);
    expect(impact.sample).toEqual({ contexts: 4, days: 7, limit: 10_000 });
    // u1 (pro) joins by rule, u2 is excluded, u3 is free now, u4 is included.
    expect(impact.membership).toEqual({ before: 0, after: 2, joined: 2, left: 0 });
    expect(impact.flags).toEqual([
      {
        flagKey: "checkout",
        flagName: "Checkout",
        direct: true,
        changed: 2,
        transitions: [{ from: "off", to: "on", count: 2 }],
        // The fixture's dashboard dimensions; exposures carried a plan only.
        byDimension: [
          { dimension: "country", values: [{ value: "(not set)", seen: 4, changed: 2 }] },
          {
            dimension: "plan",
            values: [
              { value: "free", seen: 2, changed: 1 },
              { value: "pro", seen: 1, changed: 1 },
              { value: "enterprise", seen: 1, changed: 0 },
            ],
          },
        ],
      },
    ]);
    expect(impact.usage.flags.map((f) => f.environmentKey).sort()).toEqual(["development", "staging"]);
    expect(impact.usage.segments).toEqual([{ segmentKey: "staff-plus", environmentKey: "development" }]);
    expect(impact.privateAttributes).toEqual([]);
  });

  test("flags affected only through another segment are counted too", async () => {
    await useSegmentIn("checkout", "staff-plus", "development");
    const impact = await previewSegmentImpact(access, "development", "staff", { included: ["u1"], excluded: [], rules: [] }, now);
    expect(impact.flags).toEqual([expect.objectContaining({ flagKey: "checkout", direct: false, changed: 1 })]);
    await useSegmentIn("checkout", "staff", "development");
  });

  test("rules on private attributes are flagged: events never carry them", async () => {
    const impact = await previewSegmentImpact(access, "development", "staff", { included: [], excluded: [], rules: [{ id: "mail", clauses: [{ attribute: "email", op: "endsWith", values: ["@corp.test"] }] }] }, now);
    expect(impact.privateAttributes).toEqual(["email"]);
    expect(impact.membership.after).toBe(0);
  });

  test("without exposures there is nothing to replay, but the affected flags are still listed", async () => {
    const impact = await previewSegmentImpact(access, "staging", "staff", { included: ["someone"], excluded: [], rules: [] }, now);
    expect(impact.sample.contexts).toBe(1);
    const production = await previewSegmentImpact(access, "production", "staff", { included: ["someone"], excluded: [], rules: [] }, now);
    expect(production.sample.contexts).toBe(0);
    expect(production.flags).toEqual([]);
  });
});
