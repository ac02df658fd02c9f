import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import * as importRoute from "@/app/api/v1/projects/[project]/environments/[env]/import/unleash/route";
import * as openapiRoute from "@/app/api/v1/openapi.json/route";
import { verifyAuditChain } from "@/lib/audit/hash-chain";
import { requireProjectPermission } from "@/lib/auth/access";
import { importUnleashPayload } from "@/lib/imports/import-unleash";
import { unleashPayloadSchema } from "@/lib/schemas/unleash-import";
import { getPrisma } from "@/lib/db";
import { evaluateFlag, toUnleashVariant, unleashContextToSwitchyard } from "@/lib/evaluation";
import type { SpecFile } from "@/lib/evaluation/unleash/conformance-runner";
import { getSnapshotStore } from "@/lib/snapshots/snapshot-store";
import { withAppDatabase } from "./helpers/app-database";
import { callRoute, createProjectFixture, type ProjectFixture } from "./helpers/fixtures";

withAppDatabase();

const specDir = path.join(path.dirname(createRequire(import.meta.url).resolve("@unleash/client-specification/package.json")), "specifications");
const spec = (file: string): SpecFile => ({ name: file, ...JSON.parse(readFileSync(path.join(specDir, file), "utf8")) });

function importInto(fx: ProjectFixture, environment: string, body: unknown, token = fx.byRole.editor.serviceToken) {
  return callRoute(importRoute.POST, {
    method: "POST",
    path: `/api/v1/projects/${fx.projectKey}/environments/${environment}/import/unleash`,
    token,
    body,
    params: { project: fx.projectKey, env: environment },
  });
}

async function environmentId(fx: ProjectFixture, key: string) {
  return (await getPrisma().environment.findUniqueOrThrow({ where: { projectId_key: { projectId: fx.projectId, key } } })).id;
}

/** Every case of a specification file, evaluated through the evaluation service's snapshot of `environment`. */
async function expectSpecResults(fx: ProjectFixture, file: SpecFile, environment = "development") {
  const loaded = await getSnapshotStore().get(await environmentId(fx, environment));
  const flags = new Map(loaded!.snapshot.flags.map((f) => [f.key, f]));
  const failures: string[] = [];
  for (const t of file.tests ?? []) {
    const result = evaluateFlag(loaded!.compiled, t.toggleName, unleashContextToSwitchyard(t.context), { defaultValue: false });
    if (result.value !== t.expectedResult) failures.push(`${t.description}: isEnabled ${String(result.value)}, expected ${String(t.expectedResult)}`);
  }
  for (const t of file.variantTests ?? []) {
    const result = evaluateFlag(loaded!.compiled, t.toggleName, unleashContextToSwitchyard(t.context), { defaultValue: false });
    const view = toUnleashVariant(result, flags.get(t.toggleName));
    try {
      expect(view).toEqual(t.expectedResult);
    } catch {
      failures.push(`${t.description}: getVariant ${JSON.stringify(view)}, expected ${JSON.stringify(t.expectedResult)}`);
    }
  }
  expect(failures).toEqual([]);
  return (file.tests?.length ?? 0) + (file.variantTests?.length ?? 0);
}

const SPEC_FILES = [
  "08-variants.json",
  "09-strategy-constraints.json",
  "12-custom-stickiness.json",
  "13-constraint-operators.json",
  "15-global-constraints.json",
  "16-strategy-variants.json",
  "17-dependent-features.json",
  "18-utf8-flag-names.json",
];

describe("the Unleash client specification, imported and served by the evaluation service", () => {
  test.each(SPEC_FILES)("%s: imported once, re-imported as updates, evaluates as unleash-client", async (name) => {
    const file = spec(name);
    const fx = await createProjectFixture("unleash");
    const state = file.state as { features: { name: string }[]; segments?: unknown[] };

    const first = await importInto(fx, "development", state);
    expect(first.status).toBe(200);
    expect(first.body.flags).toHaveLength(new Set(state.features.map((f) => f.name)).size);
    expect(first.body.flags.every((f: { action: string }) => f.action === "created")).toBe(true);
    expect(first.body.segments).toHaveLength(state.segments?.length ?? 0);
    expect(await expectSpecResults(fx, file)).toBeGreaterThan(0);

    // New flags exist everywhere, off outside the imported environment.
    const staging = await getSnapshotStore().get(await environmentId(fx, "staging"));
    for (const { key } of first.body.flags) {
      expect(staging!.snapshot.flags.find((f) => f.key === key)?.config).toMatchObject({ on: false, rules: [], targets: [] });
    }

    // The same payload again: every flag and segment is updated in place (a new version), with the same results.
    const second = await importInto(fx, "development", state);
    expect(second.status).toBe(200);
    expect(second.body.flags.every((f: { action: string }) => f.action === "updated")).toBe(true);
    expect(second.body.segments.every((s: { action: string }) => s.action === "updated")).toBe(true);
    const versions = await getPrisma().flagEnvironmentConfig.findMany({
      where: { flag: { projectId: fx.projectId, key: { not: "checkout" } }, environment: { key: "development" } },
      select: { version: true },
    });
    expect(versions.map((v) => v.version)).toEqual(versions.map(() => 2));
    await expectSpecResults(fx, file);

    // The import appends its audit entries in one batch; the hash chain stays intact.
    const events = await getPrisma().auditEvent.findMany({ orderBy: { id: "asc" } });
    expect(verifyAuditChain(events)).toMatchObject({ ok: true, checked: events.length });
  });
});

describe("POST …/environments/{env}/import/unleash", () => {
  let fx: ProjectFixture;
  beforeAll(async () => {
    fx = await createProjectFixture("import");
  });

  const toggle = (name: string, extra: Record<string, unknown> = {}) => ({ name, enabled: true, strategies: [{ name: "default", parameters: {} }], ...extra });

  test("records revisions, audit entries and one snapshot version per environment, and explains what it kept", async () => {
    const versions = async () => Object.fromEntries((await getPrisma().environment.findMany({ where: { projectId: fx.projectId } })).map((e) => [e.key, e.snapshotVersion]));
    const before = await versions();
    const response = await importInto(fx, "staging", {
      version: 2,
      features: [
        toggle("new-search", { type: "experiment", description: "Search v2", strategies: [{ name: "default", constraints: [{ contextName: "tenant", operator: "IN", values: ["a", "b"] }] }] }),
        toggle("kill-ads", { type: "kill-switch", enabled: false }),
      ],
      segments: [{ id: 7, name: "internal", constraints: [{ contextName: "tenant", operator: "IN", values: ["internal"] }] }],
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      flags: [
        { key: "new-search", action: "created" },
        { key: "kill-ads", action: "created" },
      ],
      segments: [{ key: "unleash-segment-7", action: "created" }],
    });
    expect(response.body.warnings).toEqual([expect.stringMatching(/^Attribute “tenant” is not in the attribute catalog \(used by “unleash-segment-7”, “new-search”\)/)]);
    const after = await versions();
    for (const key of Object.keys(before)) expect(after[key]).toBe(before[key] + 1);

    const flag = await getPrisma().flag.findUniqueOrThrow({ where: { projectId_key: { projectId: fx.projectId, key: "new-search" } } });
    expect(flag).toMatchObject({ kind: "experiment", valueType: "boolean", description: "Search v2", tags: ["unleash"], lifecycle: "active" });
    expect(await getPrisma().flagConfigRevision.count({ where: { flagId: flag.id } })).toBe(3);
    const audit = await getPrisma().auditEvent.findMany({ where: { projectId: fx.projectId, entityKey: "new-search" }, orderBy: { id: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["flag.created", "flag_config.created", "flag_config.created", "flag_config.created"]);
    expect(audit[0].reason).toBe("Imported from Unleash into Staging");

    const loaded = await getSnapshotStore().get(await environmentId(fx, "staging"));
    expect(evaluateFlag(loaded!.compiled, "new-search", { targetingKey: "u", tenant: "a" })).toMatchObject({ value: true });
    expect(evaluateFlag(loaded!.compiled, "new-search", { targetingKey: "u", tenant: "z" })).toMatchObject({ value: false });
    expect(evaluateFlag(loaded!.compiled, "kill-ads", {})).toMatchObject({ value: false, reason: "OFF" });
  });

  test("updating an existing flag replaces its configuration here only, adding Unleash variants to its variations", async () => {
    const staging = await environmentId(fx, "staging");
    const development = await environmentId(fx, "development");
    const before = await getPrisma().flagEnvironmentConfig.findMany({ where: { flag: { projectId: fx.projectId, key: "checkout" } }, orderBy: { environmentId: "asc" } });
    const response = await importInto(fx, "staging", {
      features: [toggle("checkout", { variants: [{ name: "blue", weight: 1000, stickiness: "default", payload: { type: "string", value: "#00f" } }] })],
    });
    expect(response.status).toBe(200);
    expect(response.body.flags).toEqual([{ key: "checkout", action: "updated" }]);
    const flag = await getPrisma().flag.findUniqueOrThrow({ where: { projectId_key: { projectId: fx.projectId, key: "checkout" } }, include: { configs: true } });
    expect((flag.variations as { key: string }[]).map((v) => v.key)).toEqual(["on", "off", "blue"]);
    const configs = new Map(flag.configs.map((c) => [c.environmentId, c]));
    expect(configs.get(staging)!.version).toBe(before.find((c) => c.environmentId === staging)!.version + 1);
    expect(configs.get(development)!.version).toBe(before.find((c) => c.environmentId === development)!.version);
    const loaded = await getSnapshotStore().get(staging);
    const result = evaluateFlag(loaded!.compiled, "checkout", { targetingKey: "u1", userId: "u1" });
    expect(toUnleashVariant(result, loaded!.snapshot.flags.find((f) => f.key === "checkout"))).toEqual({ name: "blue", enabled: true, feature_enabled: true, payload: { type: "string", value: "#00f" } });
  });

  test("an environment that requires review refuses, and nothing is written", async () => {
    const flags = await getPrisma().flag.count({ where: { projectId: fx.projectId } });
    const response = await importInto(fx, "production", { features: [toggle("prod-only")] });
    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe("REVIEW_REQUIRED");
    expect(await getPrisma().flag.count({ where: { projectId: fx.projectId } })).toBe(flags);
  });

  test.each([
    ["not an object", [1, 2], "_form"],
    ["features not a list", { features: { a: 1 } }, "features"],
    ["a feature without a name", { features: [{ enabled: true, strategies: [] }] }, "features.0.name"],
    ["enabled not a boolean", { features: [{ name: "x", enabled: "yes" }] }, "features.0.enabled"],
    ["a constraint without an operator", { features: [toggle("x", { strategies: [{ name: "default", constraints: [{ contextName: "a", values: ["b"] }] }] })] }, "features.0.strategies.0.constraints.0.operator"],
    ["a variant without a weight", { features: [toggle("x", { variants: [{ name: "a" }] })] }, "features.0.variants.0.weight"],
  ])("an invalid payload (%s) is a 400 naming the field", async (_label, body, field) => {
    const response = await importInto(fx, "development", body);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe("VALIDATION_FAILED");
    expect(Object.keys(response.body.error.details.fields)).toContain(field);
  });

  test("payloads Switchyard cannot hold are refused whole, with every problem", async () => {
    await getPrisma().attribute.create({ data: { projectId: fx.projectId, key: "ssn", type: "string", sensitivity: "forbidden" } });
    await getPrisma().flag.create({
      data: { projectId: fx.projectId, key: "colour", name: "Colour", kind: "release", valueType: "string", variations: [{ key: "a", value: "a" }, { key: "b", value: "b" }] },
    });
    const flags = await getPrisma().flag.count({ where: { projectId: fx.projectId } });
    const response = await importInto(fx, "development", {
      features: [
        toggle("fine-one"),
        toggle("has space"),
        toggle("colour"),
        toggle("uses-ssn", { strategies: [{ name: "default", constraints: [{ contextName: "ssn", operator: "IN", values: ["1"] }] }] }),
      ],
    });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toMatch(/^Nothing was imported/);
    const issues = response.body.error.details.issues as { flagKey: string; code: string }[];
    expect(issues.map((i) => [i.flagKey, i.code])).toEqual([["has space", "invalid"]]);
    // Keys first; once they are fine, the meaning is checked.
    const second = await importInto(fx, "development", { features: [toggle("fine-one"), toggle("colour"), toggle("uses-ssn", { strategies: [{ name: "default", constraints: [{ contextName: "ssn", operator: "IN", values: ["1"] }] }] })] });
    expect(second.status).toBe(400);
    expect((second.body.error.details.issues as { flagKey: string; code: string }[]).map((i) => [i.flagKey, i.code])).toEqual([
      ["colour", "flag_incompatible"],
      ["uses-ssn", "attribute_forbidden"],
    ]);
    expect(await getPrisma().flag.count({ where: { projectId: fx.projectId } })).toBe(flags);
  });

  test("where a policy requires an owner, the person importing owns new flags; a service token cannot import them", async () => {
    await getPrisma().environment.updateMany({ where: { projectId: fx.projectId, key: "staging" }, data: { requireOwner: true } });
    try {
      const byService = await importInto(fx, "development", { features: [toggle("owned-a"), toggle("owned-b")] });
      expect(byService.status).toBe(400);
      expect(byService.body.error.details.issues).toEqual([expect.objectContaining({ code: "owner_required", message: expect.stringMatching(/^2 new flags \(“owned-a”, “owned-b”\) need an owner/) })]);
      const editor = await requireProjectPermission(fx.byRole.editor.user, fx.projectKey, "flags:write");
      const result = await importUnleashPayload(editor, "development", unleashPayloadSchema.parse({ features: [toggle("owned-a")] }));
      expect(result.flags).toEqual([{ key: "owned-a", action: "created" }]);
      const flag = await getPrisma().flag.findUniqueOrThrow({ where: { projectId_key: { projectId: fx.projectId, key: "owned-a" } } });
      expect(flag.ownerId).toBe(fx.byRole.editor.user.userId);
    } finally {
      await getPrisma().environment.updateMany({ where: { projectId: fx.projectId }, data: { requireOwner: false } });
    }
  });

  test("where a policy requires an expiry, imported release flags get one, said in a warning", async () => {
    await getPrisma().environment.updateMany({ where: { projectId: fx.projectId, key: "production" }, data: { requireExpiry: true, maxFlagLifetimeDays: 30 } });
    try {
      const response = await importInto(fx, "development", { features: [toggle("short-lived"), toggle("ops-switch", { type: "operational" })] });
      expect(response.status).toBe(200);
      expect(response.body.warnings).toEqual([expect.stringMatching(/^Flag “short-lived”: environment policy requires release flags to expire; it expires on .* \(30 days\)/)]);
      const flags = await getPrisma().flag.findMany({ where: { projectId: fx.projectId, key: { in: ["short-lived", "ops-switch"] } }, orderBy: { key: "asc" } });
      expect(flags[0].expiresAt).toBeNull();
      expect(flags[1].expiresAt!.getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    } finally {
      await getPrisma().environment.updateMany({ where: { projectId: fx.projectId }, data: { requireExpiry: false, maxFlagLifetimeDays: null } });
    }
  });
});

test("the OpenAPI document describes the import", async () => {
  const document = await openapiRoute.GET().json();
  const operation = document.paths["/api/v1/projects/{project}/environments/{env}/import/unleash"].post;
  expect(operation.requestBody.content["application/json"].schema.$ref).toBe("#/components/schemas/UnleashClientPayload");
  expect(document.components.schemas.UnleashImportResult.properties.warnings.type).toBe("array");
});
