/**
 * The flag page's services and actions: saving from the builder (test cases guard the save,
 * the confirmation is recorded in the reason; review, conflict and validation refusals carry what
 * the UI shows), test case CRUD, the create service the REST API shares, and the page's reads.
 */
import { beforeAll, describe, expect, test } from "vitest";
import { executeAction } from "@/lib/actions/define-action";
import { requireProjectPermission } from "@/lib/auth/access";
import { getPrisma } from "@/lib/db";
import type { FlagConfig } from "@/lib/evaluation/types";
import { createFlag } from "@/lib/flags/create-flag";
import { createFlagBodySchema } from "@/lib/schemas/flag";
import { createFlagDefinition, saveFlagConfigDefinition, updateFlagSettingsDefinition } from "@/lib/flags/flag-actions";
import { loadFlagHistory, loadFlagPageData, loadFlagTestCases, loadTargetingData, isFlagKeyTaken } from "@/lib/flags/flag-page-data";
import { changeFlagTestCase, createFlagTestCase, removeFlagTestCase } from "@/lib/flags/flag-test-cases";
import { saveFlagConfig } from "@/lib/flags/save-flag-config";
import { withAppDatabase } from "./helpers/app-database";
import { createProjectFixture, type ProjectFixture } from "./helpers/fixtures";

withAppDatabase();

let fx: ProjectFixture;
beforeAll(async () => {
  fx = await createProjectFixture("console");
});

const editor = () => requireProjectPermission(fx.byRole.editor.user, fx.projectKey, "flags:write");

async function current(env = "development") {
  const row = await getPrisma().flagEnvironmentConfig.findFirstOrThrow({ where: { flag: { projectId: fx.projectId, key: "checkout" }, environment: { key: env } } });
  return { version: row.version, config: row.config as unknown as FlagConfig };
}

const proRule = (serve: string): FlagConfig["rules"][number] => ({ id: "rule-pro", clauses: [{ attribute: "plan", op: "in", values: ["pro", "enterprise"] }], serve: { variation: serve } });

describe("saving from the builder", () => {
  test("test cases guard the save; a confirmed save records which ones break", async () => {
    const access = await editor();
    const { id } = await createFlagTestCase(access, "checkout", { name: "Pro user gets on", description: "", context: { targetingKey: "u1", plan: "pro" }, expected: { development: "on" } });
    const start = await current();
    // Pro users get `on`: the test case passes, the save goes through without a confirmation.
    const saved = await saveFlagConfig(access, { environmentKey: "development", flagKey: "checkout", config: { ...start.config, rules: [proRule("on")] }, expectedVersion: start.version, reason: "Pro first", acceptFailingTestCases: false });
    expect(saved.version).toBe(start.version + 1);

    // Serving `off` to pro users breaks it: refused, with the failing case named.
    const breaking = { ...start.config, rules: [proRule("off")] };
    const refused = await executeAction(saveFlagConfigDefinition, { projectKey: fx.projectKey, environmentKey: "development", flagKey: "checkout", config: breaking, expectedVersion: saved.version }, fx.byRole.editor.user);
    expect(refused).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED", details: { failingTestCases: [{ id, name: "Pro user gets on", expected: "on", actual: "off" }] } } });
    expect((await current()).version).toBe(saved.version);

    // Confirmed: saved, and the audit entry's reason says which case breaks.
    const confirmed = await executeAction(saveFlagConfigDefinition, { projectKey: fx.projectKey, environmentKey: "development", flagKey: "checkout", config: breaking, expectedVersion: saved.version, reason: "Pause for pro", acceptFailingTestCases: true }, fx.byRole.editor.user);
    expect(confirmed).toMatchObject({ ok: true, data: { version: saved.version + 1 } });
    const event = await getPrisma().auditEvent.findFirstOrThrow({ where: { projectId: fx.projectId, action: "flag_config.updated", entityKey: "checkout" }, orderBy: { id: "desc" } });
    expect(event.reason).toBe("Pause for pro — Saved with 1 failing test case: “Pro user gets on” expects on, gets off.");
    expect(event.actorLabel).toBe(fx.byRole.editor.user.email);

    // Test cases only count in the environments they expect something in.
    const staging = await current("staging");
    await expect(saveFlagConfig(access, { environmentKey: "staging", flagKey: "checkout", config: breaking, expectedVersion: staging.version, acceptFailingTestCases: false })).resolves.toMatchObject({ version: staging.version + 1 });
    await removeFlagTestCase(access, "checkout", id);
  });

  test("in a protected environment the save files a change request and changes nothing live", async () => {
    const before = await current("production");
    const result = await executeAction(saveFlagConfigDefinition, { projectKey: fx.projectKey, environmentKey: "production", flagKey: "checkout", config: { ...before.config, on: !before.config.on }, expectedVersion: before.version, reason: "Launch" }, fx.byRole.editor.user);
    expect(result).toMatchObject({ ok: true, data: { version: before.version, changeRequest: { number: expect.any(Number), path: expect.stringMatching(/\/production\/change-requests\/\d+$/) } } });
    expect(await current("production")).toEqual(before);
    const request = await getPrisma().changeRequest.findFirstOrThrow({ where: { projectId: fx.projectId }, include: { items: true }, orderBy: { number: "desc" } });
    expect(request).toMatchObject({ status: "open", description: "Launch", title: "Change flag checkout in Production", items: [{ entityKey: "checkout", baseVersion: before.version }] });
    await getPrisma().changeRequest.delete({ where: { id: request.id } });
  });

  test("a stale version is a conflict carrying the current configuration", async () => {
    const now = await current();
    const result = await executeAction(saveFlagConfigDefinition, { projectKey: fx.projectKey, environmentKey: "development", flagKey: "checkout", config: now.config, expectedVersion: now.version - 1 }, fx.byRole.editor.user);
    expect(result).toMatchObject({ ok: false, error: { code: "CONFLICT", details: { currentVersion: now.version, current: { offVariation: now.config.offVariation } } } });
  });

  test("the engine's validation issues come back with their paths", async () => {
    const now = await current();
    const config: FlagConfig = {
      ...now.config,
      rules: [
        {
          id: "r1",
          clauses: [{ attribute: "email", op: "matches", values: ["(a+)+$"] }],
          serve: { rollout: { weights: [{ variation: "on", weight: 60_000 }, { variation: "off", weight: 30_000 }] } },
        },
      ],
    };
    const result = await executeAction(saveFlagConfigDefinition, { projectKey: fx.projectKey, environmentKey: "development", flagKey: "checkout", config, expectedVersion: now.version }, fx.byRole.editor.user);
    expect(result.ok).toBe(false);
    const issues = (result as { error: { details: { issues: { path: unknown[]; code: string }[] } } }).error.details.issues;
    expect(issues.map((i) => i.path.join("."))).toEqual(expect.arrayContaining(["rules.0.clauses.0.values.0", "rules.0.serve.rollout.weights"]));
  });
});

describe("test cases", () => {
  test("expectations must name real environments and variations; names are unique per flag", async () => {
    const access = await editor();
    await expect(createFlagTestCase(access, "checkout", { name: "x", description: "", context: {}, expected: { moon: "on" } })).rejects.toMatchObject({ code: "VALIDATION_FAILED", details: { fields: { "expected.moon": expect.any(String) } } });
    await expect(createFlagTestCase(access, "checkout", { name: "x", description: "", context: {}, expected: { development: "maybe" } })).rejects.toMatchObject({ details: { fields: { "expected.development": expect.stringContaining("not one of") } } });
    const a = await createFlagTestCase(access, "checkout", { name: "Free user", description: "", context: { targetingKey: "u9", plan: "free" }, expected: { development: "off" } });
    await expect(createFlagTestCase(access, "checkout", { name: "Free user", description: "", context: {}, expected: { development: "off" } })).rejects.toMatchObject({ details: { fields: { name: expect.stringContaining("already has") } } });
    await changeFlagTestCase(access, "checkout", a.id, { name: "Free user in Europe", description: "d", context: { targetingKey: "u9", plan: "free", country: "DE" }, expected: { development: "off", staging: "off" } });
    const list = await loadFlagTestCases(access, "checkout");
    expect(list.find((t) => t.id === a.id)).toMatchObject({ name: "Free user in Europe", context: { country: "DE" }, expected: { staging: "off" } });
    await removeFlagTestCase(access, "checkout", a.id);
    await expect(removeFlagTestCase(access, "checkout", a.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(changeFlagTestCase(access, "checkout", a.id, { name: "gone", description: "", context: {}, expected: { development: "on" } })).rejects.toMatchObject({ code: "CONFLICT" });
  });

  test("a viewer can read but not write them", async () => {
    const result = await executeAction(createFlagDefinition, { projectKey: fx.projectKey, flag: { key: "nope", name: "Nope", kind: "operational" } }, fx.byRole.viewer.user);
    expect(result).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
  });
});

describe("creating a flag (the service POST /flags uses too)", () => {
  test("boolean flags get on/off, start off everywhere, and are audited", async () => {
    const access = await editor();
    await createFlag(access, createFlagBodySchema.parse({ key: "new-checkout", name: "New checkout", kind: "operational", tags: ["a", "a", "b"], clientVisible: true, ownerEmail: fx.byRole.editor.user.email }));
    const page = await loadFlagPageData(access, "new-checkout");
    expect(page.flag).toMatchObject({ key: "new-checkout", tags: ["a", "b"], clientVisible: true, owner: { email: fx.byRole.editor.user.email } });
    expect(page.flag.variations.map((v) => v.key)).toEqual(["on", "off"]);
    expect(page.environments.map((e) => [e.key, e.config?.on, e.config?.offVariation, e.version])).toEqual([
      ["development", false, "off", 1],
      ["staging", false, "off", 1],
      ["production", false, "off", 1],
    ]);
    expect(await isFlagKeyTaken(access, "new-checkout")).toBe(true);
    const history = await loadFlagHistory(access, "new-checkout");
    expect(history.map((h) => h.action)).toEqual(["flag_config.created", "flag_config.created", "flag_config.created", "flag.created"]);
    expect(history[0].environmentKey).toBe("production");
  });

  test("typed variations, a taken key, and policies reported at their fields", async () => {
    const access = await editor();
    await getPrisma().environment.updateMany({ where: { projectId: fx.projectId, key: "production" }, data: { requireExpiry: true, maxFlagLifetimeDays: 30, requireOwner: true } });
    const body = { key: "rate-limit", name: "Rate limit", description: "", kind: "release" as const, valueType: "number" as const, variations: [{ key: "low", value: 10 }, { key: "high", value: 100 }], tags: [], clientVisible: false, lifecycle: "active" as const };
    await expect(createFlag(access, createFlagBodySchema.parse(body))).rejects.toMatchObject({ code: "VALIDATION_FAILED", details: { fields: { ownerEmail: expect.stringContaining("owner"), expiresAt: expect.stringContaining("expiry") } } });
    const tooLate = new Date(Date.now() + 40 * 86_400_000).toISOString().slice(0, 10);
    await expect(createFlag(access, createFlagBodySchema.parse({ ...body, ownerEmail: fx.byRole.editor.user.email, expiresAt: tooLate }))).rejects.toMatchObject({ details: { fields: { expiresAt: expect.stringContaining("at most 30 days") } } });
    const fine = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    await createFlag(access, createFlagBodySchema.parse({ ...body, ownerEmail: fx.byRole.editor.user.email, expiresAt: fine }));
    const page = await loadFlagPageData(access, "rate-limit");
    expect(page.environments[0].config?.offVariation).toBe("high");
    await expect(createFlag(access, createFlagBodySchema.parse({ ...body, ownerEmail: fx.byRole.editor.user.email, expiresAt: fine }))).rejects.toMatchObject({ code: "CONFLICT" });
    await getPrisma().environment.updateMany({ where: { projectId: fx.projectId, key: "production" }, data: { requireExpiry: false, maxFlagLifetimeDays: null, requireOwner: false } });
  });

  test("the action's schema types the variations", async () => {
    const result = await executeAction(createFlagDefinition, { projectKey: fx.projectKey, flag: { key: "bad", name: "Bad", kind: "release", valueType: "string", variations: [{ key: "a", value: 1 }, { key: "a", value: "x" }] } }, fx.byRole.editor.user);
    expect(result).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED", fieldErrors: { "flag.variations.0.value": expect.stringContaining("not a string"), "flag.variations.1.key": expect.stringContaining("Two variations") } } });
  });
});

test("settings change through the same service as the REST PATCH, audited; archiving is not offered here", async () => {
  const input = { projectKey: fx.projectKey, flagKey: "checkout", changes: { tags: ["payments", "web"], lifecycle: "rolling_out", ownerEmail: fx.byRole.approver.user.email, reason: "Rollout starts" } };
  expect(await executeAction(updateFlagSettingsDefinition, input, fx.byRole.viewer.user)).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
  expect(await executeAction(updateFlagSettingsDefinition, input, fx.byRole.editor.user)).toMatchObject({ ok: true });
  const access = await editor();
  expect((await loadFlagPageData(access, "checkout")).flag).toMatchObject({ tags: ["payments", "web"], lifecycle: "rolling_out", owner: { email: fx.byRole.approver.user.email } });
  const [latest] = await loadFlagHistory(access, "checkout");
  expect(latest).toMatchObject({ action: "flag.updated", reason: "Rollout starts", after: { tags: ["payments", "web"], lifecycle: "rolling_out" } });
  const archive = await executeAction(updateFlagSettingsDefinition, { ...input, changes: { lifecycle: "archived" } }, fx.byRole.editor.user);
  expect(archive).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED", fieldErrors: { "changes.lifecycle": expect.any(String) } } });
  const unknownOwner = await executeAction(updateFlagSettingsDefinition, { ...input, changes: { ownerEmail: "ghost@example.test" } }, fx.byRole.editor.user);
  expect(unknownOwner).toMatchObject({ ok: false, error: { fieldErrors: { ownerEmail: expect.stringContaining("No member") } } });
});

test("the targeting data offers the catalog with descriptions, segments with names, and the environment's flags", async () => {
  const access = await requireProjectPermission(fx.byRole.viewer.user, fx.projectKey, "project:read");
  const data = await loadTargetingData(access, "development");
  expect(data.catalog.map((a) => a.key).sort()).toEqual(["country", "email", "plan"]);
  expect(data.flags.map((f) => f.key)).toContain("checkout");
  await expect(loadTargetingData(access, "moon")).rejects.toMatchObject({ code: "NOT_FOUND" });
});
