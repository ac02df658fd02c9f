/**
 * Settings → Attributes (lib/attributes): the catalog's actions as the console calls them
 * (schema, role, service), audit entries, and the guard that keeps catalog changes from breaking
 * rules: forbidding, retyping, narrowing or removing an attribute that rules use is refused with
 * those rules listed, and allowed once they have changed.
 */
import { beforeAll, describe, expect, test } from "vitest";
import { executeAction } from "@/lib/actions/define-action";
import { createAttributeDefinition, deleteAttributeDefinition, updateAttributeDefinition } from "@/lib/attributes/attribute-actions";
import type { BrokenRule } from "@/lib/attributes/check-catalog-change";
import { getPrisma, type Prisma } from "@/lib/db";
import type { FlagConfig, SegmentRule } from "@/lib/evaluation/types";
import { withAppDatabase } from "./helpers/app-database";
import { createProjectFixture, type ProjectFixture } from "./helpers/fixtures";

withAppDatabase();

let fx: ProjectFixture;
const admin = () => fx.byRole.admin.user;

const base = { type: "string", description: "", allowedValues: [], sensitivity: "public", dashboardDimension: false, verifiedSource: "" };
const create = (fields: Record<string, unknown>) => executeAction(createAttributeDefinition, { projectKey: fx.projectKey, ...base, ...fields }, admin());
const update = (fields: Record<string, unknown>) => executeAction(updateAttributeDefinition, { projectKey: fx.projectKey, ...base, ...fields }, admin());
const remove = (key: string) => executeAction(deleteAttributeDefinition, { projectKey: fx.projectKey, key }, admin());

async function attribute(key: string) {
  return getPrisma().attribute.findUnique({ where: { projectId_key: { projectId: fx.projectId, key } } });
}

async function lastAudit(key: string) {
  return getPrisma().auditEvent.findFirst({ where: { projectId: fx.projectId, entityType: "attribute", entityKey: key }, orderBy: { id: "desc" } });
}

async function setFlagRules(env: string, rules: FlagConfig["rules"], flagKey = "checkout") {
  const row = await getPrisma().flagEnvironmentConfig.findFirstOrThrow({ where: { flag: { projectId: fx.projectId, key: flagKey }, environment: { key: env } } });
  await getPrisma().flagEnvironmentConfig.update({ where: { id: row.id }, data: { config: { ...(row.config as object), rules } as unknown as Prisma.InputJsonValue } });
}

async function setSegmentRules(env: string, key: string, rules: SegmentRule[]) {
  const segment = await getPrisma().segment.upsert({
    where: { projectId_key: { projectId: fx.projectId, key } },
    update: {},
    create: { projectId: fx.projectId, key, name: key },
  });
  const environments = await getPrisma().environment.findMany({ where: { projectId: fx.projectId } });
  for (const e of environments) {
    await getPrisma().segmentEnvironmentConfig.upsert({
      where: { segmentId_environmentId: { segmentId: segment.id, environmentId: e.id } },
      update: e.key === env ? { rules: rules as unknown as Prisma.InputJsonValue } : {},
      create: { segmentId: segment.id, environmentId: e.id, rules: (e.key === env ? rules : []) as unknown as Prisma.InputJsonValue },
    });
  }
}

beforeAll(async () => {
  fx = await createProjectFixture("attrs");
});

describe("adding attributes", () => {
  test("an admin adds one; the audit log records it", async () => {
    const result = await create({ key: "tier", type: "number", allowedValues: [1, 2, 3], description: "Loyalty tier", verifiedSource: "CRM", dashboardDimension: true });
    expect(result).toEqual({ ok: true, data: expect.objectContaining({ key: "tier", type: "number", allowedValues: [1, 2, 3] }) });
    expect(await attribute("tier")).toMatchObject({ type: "number", allowedValues: [1, 2, 3], dashboardDimension: true, verifiedSource: "CRM", description: "Loyalty tier" });
    expect(await lastAudit("tier")).toMatchObject({ action: "attribute.created", actorLabel: admin().email, after: expect.objectContaining({ key: "tier", type: "number" }) });
  });

  test("an existing key is refused at the key field", async () => {
    const result = await create({ key: "plan" });
    expect(result).toMatchObject({ ok: false, error: { code: "CONFLICT", fieldErrors: { key: expect.stringContaining("already has") } } });
  });

  test.each([
    [{ key: "bad key" }, "key"],
    [{ key: "n", type: "number", allowedValues: [1, "two"] }, "allowedValues.1"],
    [{ key: "v", type: "semver", allowedValues: ["1.2.0", "banana"] }, "allowedValues.1"],
    [{ key: "b", type: "boolean", allowedValues: [true] }, "allowedValues"],
    [{ key: "d", allowedValues: ["x", "x"] }, "allowedValues.1"],
    [{ key: "p", sensitivity: "private", dashboardDimension: true }, "dashboardDimension"],
  ])("%j is refused at %s", async (fields, path) => {
    const result = await create(fields);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(Object.keys(result.error.fieldErrors ?? {})).toContain(path);
  });

  test("editors and viewers cannot change the catalog", async () => {
    for (const role of ["editor", "approver", "viewer"] as const) {
      const result = await executeAction(createAttributeDefinition, { projectKey: fx.projectKey, ...base, key: `by-${role}` }, fx.byRole[role].user);
      expect(result).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
      expect(await attribute(`by-${role}`)).toBeNull();
    }
  });
});

describe("changing attributes", () => {
  test("the audit entry holds only what changed; saving unchanged writes nothing", async () => {
    await create({ key: "locale", description: "Language" });
    expect(await update({ key: "locale", description: "Language and region", verifiedSource: "Browser" })).toMatchObject({ ok: true });
    expect(await lastAudit("locale")).toMatchObject({
      action: "attribute.updated",
      before: { description: "Language", verifiedSource: "" },
      after: { description: "Language and region", verifiedSource: "Browser" },
    });
    const audits = await getPrisma().auditEvent.count({ where: { entityKey: "locale" } });
    expect(await update({ key: "locale", description: "Language and region", verifiedSource: "Browser" })).toMatchObject({ ok: true });
    expect(await getPrisma().auditEvent.count({ where: { entityKey: "locale" } })).toBe(audits);
  });

  test("an unknown attribute is not found", async () => {
    expect(await update({ key: "nothing-here" })).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
  });

  test("forbidding an attribute that rules use is refused with those rules; once they change, it goes through", async () => {
    await create({ key: "age", type: "number" });
    await setFlagRules("development", [
      { id: "r-adults", description: "Adults only", clauses: [{ attribute: "age", op: "gte", values: [18] }], serve: { variation: "on" } },
    ]);
    await setSegmentRules("staging", "by-age", [{ id: "s1", clauses: [{ attribute: "age", op: "lt", values: [30] }] }]);
    const audits = await getPrisma().auditEvent.count({ where: { entityKey: "age" } });

    const refused = await update({ key: "age", type: "number", sensitivity: "forbidden" });
    expect(refused).toMatchObject({ ok: false, error: { code: "CONFLICT", message: expect.stringMatching(/^Marking as forbidden “age” would break 2 rules in flag “checkout” \(Development\), segment “by-age” \(Staging\)/) } });
    const broken = (refused as { error: { details: { brokenRules: BrokenRule[] } } }).error.details.brokenRules;
    expect(broken).toEqual([
      expect.objectContaining({ kind: "flag", key: "checkout", environmentKey: "development", ruleIndex: 0, ruleId: "r-adults", ruleDescription: "Adults only", message: expect.stringContaining("forbidden") }),
      expect.objectContaining({ kind: "segment", key: "by-age", environmentKey: "staging", ruleIndex: 0, ruleId: "s1" }),
    ]);
    expect((await attribute("age"))?.sensitivity).toBe("public");
    expect(await getPrisma().auditEvent.count({ where: { entityKey: "age" } })).toBe(audits);

    await setFlagRules("development", []);
    await setSegmentRules("staging", "by-age", []);
    expect(await update({ key: "age", type: "number", sensitivity: "forbidden" })).toMatchObject({ ok: true });
    expect(await attribute("age")).toMatchObject({ sensitivity: "forbidden" });
    expect(await lastAudit("age")).toMatchObject({ before: { sensitivity: "public" }, after: { sensitivity: "forbidden" } });
  });

  test("archived flags do not block (they are not evaluated)", async () => {
    await create({ key: "legacy-attr" });
    await getPrisma().flag.create({
      data: {
        projectId: fx.projectId,
        key: "old-flag",
        name: "Old",
        kind: "release",
        valueType: "boolean",
        lifecycle: "archived",
        variations: [{ key: "on", value: true }, { key: "off", value: false }],
      },
    });
    const environments = await getPrisma().environment.findMany({ where: { projectId: fx.projectId } });
    const flag = await getPrisma().flag.findFirstOrThrow({ where: { projectId: fx.projectId, key: "old-flag" } });
    await getPrisma().flagEnvironmentConfig.create({
      data: {
        flagId: flag.id,
        environmentId: environments[0].id,
        config: { on: true, offVariation: "off", targets: [], prerequisites: [], fallthrough: { variation: "off" }, rules: [{ id: "x", clauses: [{ attribute: "legacy-attr", op: "in", values: ["a"] }], serve: { variation: "on" } }] },
      },
    });
    expect(await update({ key: "legacy-attr", sensitivity: "forbidden" })).toMatchObject({ ok: true });
  });

  test("a new type the rules' operators do not fit is refused", async () => {
    await create({ key: "app", type: "semver" });
    await setFlagRules("production", [{ id: "r-new-app", clauses: [{ attribute: "app", op: "semverGte", values: ["2.0.0"] }], serve: { variation: "on" } }]);
    const refused = await update({ key: "app", type: "string" });
    expect(refused).toMatchObject({ ok: false, error: { code: "CONFLICT", message: expect.stringMatching(/^Changing “app” would break 1 rule in flag “checkout” \(Production\)/) } });
    expect((await attribute("app"))?.type).toBe("semver");
    await setFlagRules("production", []);
  });

  test("removing an allowed value a rule compares with is refused; other values may go", async () => {
    await setFlagRules("staging", [{ id: "r-pro", clauses: [{ attribute: "plan", op: "in", values: ["pro"] }], serve: { variation: "on" } }]);
    const plan = { key: "plan", dashboardDimension: true };
    const refused = await update({ ...plan, allowedValues: ["free", "enterprise"] });
    expect(refused).toMatchObject({ ok: false, error: { code: "CONFLICT" } });
    expect((refused as { error: { details: { brokenRules: BrokenRule[] } } }).error.details.brokenRules[0].message).toContain("not one of the allowed values");
    expect(await update({ ...plan, allowedValues: ["pro", "enterprise"] })).toMatchObject({ ok: true });
    await setFlagRules("staging", []);
  });

  test("a stale edit does not overwrite a newer one", async () => {
    const { updateAttributeRow } = await import("@/lib/data/attributes");
    const row = await attribute("locale");
    expect(
      await updateAttributeRow({
        projectId: fx.projectId,
        key: "locale",
        expectedUpdatedAt: new Date(row!.updatedAt.getTime() - 1000),
        next: { ...base, key: "locale", type: "string", sensitivity: "public", description: "lost" } as never,
        before: {},
        after: {},
        audit: { actorType: "system", actorId: null, actorLabel: "test" },
      }),
    ).toBe(false);
    expect((await attribute("locale"))?.description).toBe("Language and region");
  });
});

describe("removing attributes", () => {
  test("refused while a rule uses it; removed with an audit entry once unused", async () => {
    await create({ key: "cohort" });
    await setSegmentRules("development", "cohorts", [{ id: "c1", clauses: [{ attribute: "cohort", op: "in", values: ["a"] }] }]);
    const refused = await remove("cohort");
    expect(refused).toMatchObject({ ok: false, error: { code: "CONFLICT", message: expect.stringContaining("Removing “cohort” would break 1 rule in segment “cohorts” (Development)") } });
    expect(await attribute("cohort")).not.toBeNull();
    await setSegmentRules("development", "cohorts", []);
    expect(await remove("cohort")).toMatchObject({ ok: true });
    expect(await attribute("cohort")).toBeNull();
    expect(await lastAudit("cohort")).toMatchObject({ action: "attribute.deleted", before: expect.objectContaining({ key: "cohort" }) });
    expect(await remove("cohort")).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
  });
});
