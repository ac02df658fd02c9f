import { afterEach, beforeAll, describe, expect, test } from "vitest";
import * as flagConfigRoute from "@/app/api/v1/projects/[project]/environments/[env]/flags/[key]/route";
import * as flagRoute from "@/app/api/v1/projects/[project]/flags/[key]/route";
import * as flagsRoute from "@/app/api/v1/projects/[project]/flags/route";
import * as openapiRoute from "@/app/api/v1/openapi.json/route";
import { replaceFlagConfig } from "@/lib/data/flag-configs";
import { getPrisma } from "@/lib/db";
import { evaluateFlag } from "@/lib/evaluation";
import type { FlagConfig } from "@/lib/evaluation/types";
import { getSnapshotStore } from "@/lib/snapshots/snapshot-store";
import { withAppDatabase } from "./helpers/app-database";
import { callRoute, createProjectFixture, type ProjectFixture } from "./helpers/fixtures";

withAppDatabase();

let fx: ProjectFixture;
let env: Record<string, string>;

beforeAll(async () => {
  fx = await createProjectFixture("flags");
  const rows = await getPrisma().environment.findMany({ where: { projectId: fx.projectId } });
  env = Object.fromEntries(rows.map((row) => [row.key, row.id]));
});

afterEach(async () => {
  // Policy tests change these; every test starts from the defaults.
  await getPrisma().environment.updateMany({
    where: { projectId: fx.projectId },
    data: { requireExpiry: false, maxFlagLifetimeDays: null, requireOwner: false },
  });
});

const flagsPath = () => `/api/v1/projects/${fx.projectKey}/flags`;

function createFlag(body: unknown, token = fx.byRole.editor.serviceToken) {
  return callRoute(flagsRoute.POST, { method: "POST", path: flagsPath(), token, body, params: { project: fx.projectKey } });
}

function listFlags(query: Record<string, string>) {
  const search = new URLSearchParams(query).toString();
  return callRoute(flagsRoute.GET, { method: "GET", path: `${flagsPath()}?${search}`, token: fx.byRole.viewer.serviceToken, params: { project: fx.projectKey } });
}

function flagCall(method: "GET" | "PATCH" | "DELETE", key: string, body?: unknown) {
  const handler = method === "GET" ? flagRoute.GET : method === "PATCH" ? flagRoute.PATCH : flagRoute.DELETE;
  return callRoute(handler, {
    method,
    path: `${flagsPath()}/${encodeURIComponent(key)}`,
    token: fx.byRole.editor.serviceToken,
    body,
    params: { project: fx.projectKey, key },
  });
}

async function readConfig(key: string, environment = "development") {
  const response = await callRoute(flagConfigRoute.GET, {
    method: "GET",
    path: `/api/v1/projects/${fx.projectKey}/environments/${environment}/flags/${encodeURIComponent(key)}`,
    token: fx.byRole.viewer.serviceToken,
    params: { project: fx.projectKey, env: environment, key },
  });
  return response.body as { version: number; config: FlagConfig };
}

async function saveConfig(key: string, config: FlagConfig, environment = "development") {
  const { version } = await readConfig(key, environment);
  return callRoute(flagConfigRoute.PUT, {
    method: "PUT",
    path: `/api/v1/projects/${fx.projectKey}/environments/${environment}/flags/${encodeURIComponent(key)}`,
    token: fx.byRole.editor.serviceToken,
    body: { version, config },
    params: { project: fx.projectKey, env: environment, key },
  });
}

async function evaluate(key: string, environment = "development", context: Record<string, unknown> = { targetingKey: "u-1" }) {
  const loaded = await getSnapshotStore().get(env[environment]);
  return evaluateFlag(loaded!.compiled, key, context);
}

const snapshotVersions = async () =>
  Object.fromEntries((await getPrisma().environment.findMany({ where: { projectId: fx.projectId } })).map((e) => [e.key, e.snapshotVersion]));

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

describe("POST /api/v1/projects/{project}/flags", () => {
  test("creates a boolean flag with on/off, off everywhere, with revisions, audit and new snapshots", async () => {
    const before = await snapshotVersions();
    const response = await createFlag({ key: "new-checkout", name: "New checkout", kind: "release", tags: ["checkout", "checkout", "web"] });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      key: "new-checkout",
      valueType: "boolean",
      variations: [{ key: "on", value: true }, { key: "off", value: false }],
      lifecycle: "active",
      clientVisible: false,
      owner: null,
      tags: ["checkout", "web"],
    });
    expect(response.body.environments).toEqual([
      expect.objectContaining({ key: "development", on: false, version: 1 }),
      expect.objectContaining({ key: "staging", on: false, version: 1 }),
      expect.objectContaining({ key: "production", on: false, version: 1 }),
    ]);
    const config = await readConfig("new-checkout", "production");
    expect(config).toMatchObject({ version: 1, config: { on: false, offVariation: "off", fallthrough: { variation: "off" }, rules: [], targets: [] } });

    const prisma = getPrisma();
    const flag = await prisma.flag.findUniqueOrThrow({ where: { projectId_key: { projectId: fx.projectId, key: "new-checkout" } } });
    expect(await prisma.flagConfigRevision.count({ where: { flagId: flag.id, version: 1 } })).toBe(3);
    const audit = await prisma.auditEvent.findMany({ where: { projectId: fx.projectId, entityKey: "new-checkout" }, orderBy: { id: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["flag.created", "flag_config.created", "flag_config.created", "flag_config.created"]);
    expect(audit[0].actorLabel).toBe("token:editor service");
    const after = await snapshotVersions();
    for (const key of Object.keys(before)) expect(after[key]).toBe(before[key] + 1);

    // The evaluation service serves it at once: off.
    expect(await evaluate("new-checkout")).toMatchObject({ value: false, variationKey: "off", reason: "OFF" });
  });

  test("a Unicode key works through creation, reads and evaluation", async () => {
    const key = "früh-zugang.ß-🚀";
    expect((await createFlag({ key, name: "Früher Zugang", kind: "permission" })).status).toBe(201);
    expect((await flagCall("GET", key)).body.key).toBe(key);
    expect((await readConfig(key)).config.offVariation).toBe("off");
    expect((await evaluate(key)).variationKey).toBe("off");
  });

  test("typed variations: string flags serve their values; off is the variation keyed off, else the last", async () => {
    const response = await createFlag({
      key: "button-colour",
      name: "Button colour",
      kind: "experiment",
      valueType: "string",
      variations: [
        { key: "blue", value: "#00f" },
        { key: "green", value: "#0f0" },
      ],
      controlVariation: "blue",
    });
    expect(response.status).toBe(201);
    expect(response.body.controlVariation).toBe("blue");
    expect((await readConfig("button-colour")).config.offVariation).toBe("green");
    expect(await evaluate("button-colour")).toMatchObject({ value: "#0f0", variationKey: "green" });
  });

  test.each([
    ["a key with a slash", { key: "a/b" }, "key"],
    ["a key with a space", { key: "a b" }, "key"],
    ["a key with a tab", { key: "a\tb" }, "key"],
    ["an empty key", { key: "" }, "key"],
    ["a key of 201 characters", { key: "k".repeat(201) }, "key"],
    ["no name", { name: "  " }, "name"],
    ["an unknown kind", { kind: "toggle" }, "kind"],
    ["a number in a string flag", { valueType: "string", variations: [{ key: "a", value: "x" }, { key: "b", value: 2 }] }, "variations.1.value"],
    ["a string in a number flag", { valueType: "number", variations: [{ key: "a", value: 1 }, { key: "b", value: "2" }] }, "variations.1.value"],
    ["a string in a boolean flag", { variations: [{ key: "on", value: "true" }, { key: "off", value: false }] }, "variations.0.value"],
    ["a string flag without variations", { valueType: "string" }, "variations"],
    ["one variation", { variations: [{ key: "on", value: true }] }, "variations"],
    ["duplicate variation keys", { variations: [{ key: "on", value: true }, { key: "on", value: false }] }, "variations.1.key"],
    ["an unknown control variation", { controlVariation: "maybe" }, "controlVariation"],
    ["a malformed expiry", { expiresAt: "next tuesday" }, "expiresAt"],
    ["an expiry in the past", { expiresAt: "2020-01-01" }, "expiresAt"],
    ["an unknown owner", { ownerEmail: "nobody@example.test" }, "ownerEmail"],
    ["an owner who is not a member", { ownerEmail: "outsider@example.test" }, "ownerEmail"],
  ])("%s is a 400 naming the field", async (_label, overrides, field) => {
    await getPrisma().user.upsert({ where: { email: "outsider@example.test" }, update: {}, create: { email: "outsider@example.test", name: "Outsider" } });
    const before = await getPrisma().flag.count();
    const response = await createFlag({ key: "bad-input", name: "Bad input", kind: "release", ...overrides });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe("VALIDATION_FAILED");
    expect(Object.keys(response.body.error.details.fields)).toContain(field);
    expect(await getPrisma().flag.count()).toBe(before);
  });

  test("an existing key (even archived) is a 409", async () => {
    expect((await createFlag({ key: "taken", name: "Taken", kind: "operational" })).status).toBe(201);
    const again = await createFlag({ key: "taken", name: "Again", kind: "operational" });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("CONFLICT");
    expect((await flagCall("DELETE", "taken")).status).toBe(200);
    const archived = await createFlag({ key: "taken", name: "Again", kind: "operational" });
    expect(archived.status).toBe(409);
    expect(archived.body.error.message).toMatch(/archived/);
  });

  test("expiry is required for release and experiment flags where a policy says so, within its maximum lifetime", async () => {
    await getPrisma().environment.update({ where: { id: env.production }, data: { requireExpiry: true, maxFlagLifetimeDays: 30 } });
    const missing = await createFlag({ key: "needs-expiry", name: "Needs expiry", kind: "release" });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details.fields.expiresAt).toMatch(/Production requires release flags to have an expiry date/);
    const tooLate = await createFlag({ key: "needs-expiry", name: "Needs expiry", kind: "experiment", expiresAt: inDays(45) });
    expect(tooLate.status).toBe(400);
    expect(tooLate.body.error.details.fields.expiresAt).toMatch(/at most 30 days/);
    // Operational and permission flags live as long as they are needed.
    expect((await createFlag({ key: "kill-search", name: "Kill search", kind: "operational" })).status).toBe(201);
    const ok = await createFlag({ key: "needs-expiry", name: "Needs expiry", kind: "release", expiresAt: inDays(20).slice(0, 10) });
    expect(ok.status).toBe(201);
    expect(ok.body.expiresAt).toBe(`${inDays(20).slice(0, 10)}T00:00:00.000Z`);
    // Clearing it later is refused too, and so is moving it past the limit.
    expect((await flagCall("PATCH", "needs-expiry", { expiresAt: null })).status).toBe(400);
    expect((await flagCall("PATCH", "needs-expiry", { expiresAt: inDays(60) })).body.error.details.fields.expiresAt).toMatch(/30 days/);
    // Editing something else is not blocked by the policy.
    expect((await flagCall("PATCH", "needs-expiry", { description: "still fine" })).status).toBe(200);
  });

  test("an owner is required where a policy says so; owners are members, by email", async () => {
    await getPrisma().environment.update({ where: { id: env.staging }, data: { requireOwner: true } });
    const missing = await createFlag({ key: "owned", name: "Owned", kind: "permission" });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details.fields.ownerEmail).toMatch(/Staging requires every flag to have an owner/);
    const email = fx.byRole.editor.user.email.toUpperCase();
    const ok = await createFlag({ key: "owned", name: "Owned", kind: "permission", ownerEmail: email });
    expect(ok.status).toBe(201);
    expect(ok.body.owner).toEqual({ email: fx.byRole.editor.user.email, name: fx.byRole.editor.user.name });
    expect((await flagCall("PATCH", "owned", { ownerEmail: null })).status).toBe(400);
  });
});

describe("GET /api/v1/projects/{project}/flags", () => {
  beforeAll(async () => {
    for (let i = 0; i < 7; i++) {
      const response = await createFlag({
        key: `page-${String(i).padStart(2, "0")}`,
        name: i % 2 ? `Odd page flag ${i}` : `Even page flag ${i}`,
        description: i === 3 ? "Mentions the MAGIC word" : "",
        kind: i < 2 ? "experiment" : "release",
        tags: i % 2 ? ["odd"] : ["even"],
        ...(i === 4 ? { ownerEmail: fx.byRole.admin.user.email } : {}),
      });
      expect(response.status).toBe(201);
    }
  });

  test("pages through matches in key order with opaque cursors", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const response = await listFlags({ query: "page-", limit: "3", ...(cursor ? { cursor } : {}) });
      expect(response.status).toBe(200);
      expect(response.body.flags.length).toBeLessThanOrEqual(3);
      seen.push(...response.body.flags.map((f: { key: string }) => f.key));
      cursor = response.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(["page-00", "page-01", "page-02", "page-03", "page-04", "page-05", "page-06"]);
  });

  test.each([
    [{ query: "magic" }, ["page-03"]],
    [{ query: "ODD PAGE" }, ["page-01", "page-03", "page-05"]],
    [{ query: "page-", kind: "experiment" }, ["page-00", "page-01"]],
    [{ query: "page-", tag: "odd" }, ["page-01", "page-03", "page-05"]],
    [{ query: "no such flag anywhere" }, []],
    [{ query: "page-", owner: "OWNER" }, ["page-04"]],
  ])("filters %j on the server", async (filter, expected) => {
    const query: Record<string, string> = { ...filter };
    if (query.owner) query.owner = fx.byRole.admin.user.email.toUpperCase();
    const response = await listFlags(query);
    expect(response.status).toBe(200);
    expect(response.body.flags.map((f: { key: string }) => f.key)).toEqual(expected);
    expect(response.body.nextCursor).toBeNull();
  });

  test("archived flags are listed only when asked for", async () => {
    expect((await flagCall("DELETE", "page-06")).status).toBe(200);
    expect((await listFlags({ query: "page-06" })).body.flags).toEqual([]);
    const archived = await listFlags({ lifecycle: "archived", query: "page-06" });
    expect(archived.body.flags.map((f: { key: string; lifecycle: string }) => [f.key, f.lifecycle])).toEqual([["page-06", "archived"]]);
  });

  test.each([
    [{ limit: "0" }, "limit"],
    [{ limit: "201" }, "limit"],
    [{ limit: "ten" }, "limit"],
    [{ kind: "toggle" }, "kind"],
    [{ lifecycle: "gone" }, "lifecycle"],
    [{ cursor: "not-a-cursor" }, "cursor"],
  ])("bad parameters %j are a 400 naming them", async (query, field) => {
    const response = await listFlags(query);
    expect(response.status).toBe(400);
    expect(Object.keys(response.body.error.details.fields)).toEqual([field]);
  });
});

describe("PATCH /api/v1/projects/{project}/flags/{key}", () => {
  test("changes settings with an audit entry; only evaluation-relevant changes publish a snapshot", async () => {
    await createFlag({ key: "settings", name: "Settings", kind: "release" });
    const before = await snapshotVersions();
    const renamed = await flagCall("PATCH", "settings", { name: "Renamed", description: "New words", tags: ["a", "b"], lifecycle: "rolling_out", ownerEmail: fx.byRole.admin.user.email, reason: "tidy up" });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: "Renamed", description: "New words", tags: ["a", "b"], lifecycle: "rolling_out", owner: { email: fx.byRole.admin.user.email } });
    expect(await snapshotVersions()).toEqual(before);
    const audit = await getPrisma().auditEvent.findFirstOrThrow({ where: { projectId: fx.projectId, entityKey: "settings" }, orderBy: { id: "desc" } });
    expect(audit).toMatchObject({ action: "flag.updated", reason: "tidy up", before: { name: "Settings", owner: null }, after: { name: "Renamed", owner: fx.byRole.admin.user.email } });

    const visible = await flagCall("PATCH", "settings", { clientVisible: true });
    expect(visible.body.clientVisible).toBe(true);
    const after = await snapshotVersions();
    for (const key of Object.keys(before)) expect(after[key]).toBe(before[key] + 1);
    expect((await getSnapshotStore().get(env.development))!.clientVisible.has("settings")).toBe(true);

    // Nothing to change: no write, no audit entry.
    const count = await getPrisma().auditEvent.count();
    expect((await flagCall("PATCH", "settings", { name: "Renamed" })).status).toBe(200);
    expect(await getPrisma().auditEvent.count()).toBe(count);
  });

  test("keys, kinds and value types cannot be changed; unknown flags are 404", async () => {
    const response = await flagCall("PATCH", "settings", { key: "other", kind: "experiment", valueType: "string" });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ key: "settings", kind: "release", valueType: "boolean" });
    expect((await flagCall("PATCH", "no-such-flag", { name: "x" })).status).toBe(404);
    expect((await flagCall("GET", "no-such-flag")).status).toBe(404);
  });

  test("variations: typed, and never removed from under a configuration", async () => {
    await createFlag({
      key: "theme",
      name: "Theme",
      kind: "release",
      valueType: "string",
      variations: [
        { key: "dark", value: "dark" },
        { key: "light", value: "light" },
        { key: "off", value: "classic" },
      ],
    });
    const config: FlagConfig = {
      on: true,
      offVariation: "off",
      targets: [],
      rules: [{ id: "pros", clauses: [{ attribute: "plan", op: "in", values: ["pro"] }], serve: { variation: "dark" } }],
      fallthrough: { variation: "light" },
      prerequisites: [],
    };
    expect((await saveConfig("theme", config)).status).toBe(200);

    const mistyped = await flagCall("PATCH", "theme", { variations: [{ key: "dark", value: 1 }, { key: "light", value: "light" }, { key: "off", value: "classic" }] });
    expect(mistyped.status).toBe(400);
    expect(mistyped.body.error.details.fields).toHaveProperty(["variations.0.value"]);

    const removed = await flagCall("PATCH", "theme", { variations: [{ key: "light", value: "light" }, { key: "off", value: "classic" }] });
    expect(removed.status).toBe(400);
    expect(removed.body.error.code).toBe("VALIDATION_FAILED");
    expect(removed.body.error.details.issues).toEqual([
      expect.objectContaining({ environmentKey: "development", code: "variation_unknown", path: ["rules", 0, "serve", "variation"] }),
    ]);

    // Changing a value production does not serve (it is off there) applies, and development serves it at once.
    const before = await snapshotVersions();
    const changed = await flagCall("PATCH", "theme", {
      variations: [{ key: "dark", value: "midnight" }, { key: "light", value: "light" }, { key: "off", value: "classic" }, { key: "sepia", value: "sepia" }],
    });
    expect(changed.status).toBe(200);
    expect((await snapshotVersions()).development).toBe(before.development + 1);
    expect(await evaluate("theme", "development", { targetingKey: "u1", plan: "pro" })).toMatchObject({ value: "midnight", variationKey: "dark" });

    // Changing what production serves while off needs review there.
    const offChanged = await flagCall("PATCH", "theme", {
      variations: [{ key: "dark", value: "midnight" }, { key: "light", value: "light" }, { key: "off", value: "plain" }, { key: "sepia", value: "sepia" }],
    });
    expect(offChanged.status).toBe(409);
    expect(offChanged.body.error.code).toBe("REVIEW_REQUIRED");
    expect(offChanged.body.error.message).toMatch(/Production/);
    expect((await flagCall("GET", "theme")).body.variations[2]).toEqual({ key: "off", value: "classic" });
  });

  test("a configuration validated against old variations cannot be saved after they changed", async () => {
    await createFlag({ key: "race", name: "Race", kind: "release" });
    const flag = await getPrisma().flag.findUniqueOrThrow({ where: { projectId_key: { projectId: fx.projectId, key: "race" } }, include: { configs: true } });
    const staleVariations = flag.variations;
    expect((await flagCall("PATCH", "race", { variations: [{ key: "on", value: true }, { key: "off", value: false }, { key: "beta", value: true }] })).status).toBe(200);
    const dev = flag.configs.find((c) => c.environmentId === env.development)!;
    const config = { ...(dev.config as unknown as FlagConfig), on: true };
    const saved = await replaceFlagConfig({
      projectId: fx.projectId,
      environmentId: env.development,
      flagId: flag.id,
      flagKey: "race",
      expectedVersion: dev.version,
      before: dev.config as unknown as FlagConfig,
      config,
      variations: staleVariations,
      audit: { actorType: "system", actorId: null, actorLabel: "test" },
      updatedById: null,
    });
    expect(saved).toBeNull();
    expect((await readConfig("race")).version).toBe(dev.version);
  });
});

describe("configurations of created flags (PUT …/environments/{env}/flags/{key})", () => {
  test("a stale version is a 409 with the current configuration; production requires review", async () => {
    await createFlag({ key: "configured", name: "Configured", kind: "release" });
    const on: FlagConfig = { on: true, offVariation: "off", targets: [], rules: [], fallthrough: { variation: "on" }, prerequisites: [] };
    const { version } = await readConfig("configured");
    expect((await saveConfig("configured", on)).status).toBe(200);
    const stale = await callRoute(flagConfigRoute.PUT, {
      method: "PUT",
      path: `/api/v1/projects/${fx.projectKey}/environments/development/flags/configured`,
      token: fx.byRole.editor.serviceToken,
      body: { version, config: { ...on, on: false } },
      params: { project: fx.projectKey, env: "development", key: "configured" },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: "CONFLICT", details: { currentVersion: version + 1, current: { on: true } } });
    expect(await evaluate("configured")).toMatchObject({ value: true, reason: "FALLTHROUGH" });

    const production = await saveConfig("configured", on, "production");
    expect(production.status).toBe(409);
    expect(production.body.error.code).toBe("REVIEW_REQUIRED");
    expect((await readConfig("configured", "production")).config.on).toBe(false);
  });
});

describe("DELETE /api/v1/projects/{project}/flags/{key} archives", () => {
  test("refused while another flag requires it; then archived, out of every snapshot, and restorable", async () => {
    await createFlag({ key: "parent", name: "Parent", kind: "release" });
    await createFlag({ key: "child", name: "Child", kind: "release" });
    const childConfig: FlagConfig = {
      on: true,
      offVariation: "off",
      targets: [],
      rules: [],
      fallthrough: { variation: "on" },
      prerequisites: [{ flagKey: "parent", variation: "on" }],
    };
    expect((await saveConfig("child", childConfig, "staging")).status).toBe(200);

    const removesOn = await flagCall("PATCH", "parent", { variations: [{ key: "yes", value: true }, { key: "off", value: false }] });
    expect(removesOn.status).toBe(400);
    expect(removesOn.body.error.details.issues).toEqual([
      expect.objectContaining({ environmentKey: "staging", flagKey: "child", code: "prerequisite_variation_removed" }),
    ]);

    const refused = await flagCall("DELETE", "parent");
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/prerequisite of “child” \(staging\)/);
    expect(refused.body.error.details.dependents).toEqual([{ flagKey: "child", environmentKey: "staging" }]);
    expect((await flagCall("GET", "parent")).body.lifecycle).toBe("active");

    expect((await saveConfig("child", { ...childConfig, prerequisites: [] }, "staging")).status).toBe(200);
    const archived = await flagCall("DELETE", "parent");
    expect(archived.status).toBe(200);
    expect(archived.body.lifecycle).toBe("archived");
    expect(await evaluate("parent", "staging")).toMatchObject({ reason: "ERROR", errorCode: "FLAG_NOT_FOUND", value: null });
    expect((await getPrisma().auditEvent.findFirstOrThrow({ where: { entityKey: "parent" }, orderBy: { id: "desc" } })).action).toBe("flag.archived");
    // Idempotent.
    expect((await flagCall("DELETE", "parent")).status).toBe(200);

    const restored = await flagCall("PATCH", "parent", { lifecycle: "active" });
    expect(restored.body.lifecycle).toBe("active");
    expect(await evaluate("parent", "staging")).toMatchObject({ reason: "OFF", variationKey: "off" });
  });

  test("refused while the flag is on in an environment that requires review", async () => {
    await createFlag({ key: "live-in-prod", name: "Live", kind: "release" });
    // As a change request would have done (the REST write refuses production).
    await getPrisma().flagEnvironmentConfig.updateMany({
      where: { flag: { projectId: fx.projectId, key: "live-in-prod" }, environmentId: env.production },
      data: { config: { on: true, offVariation: "off", targets: [], rules: [], fallthrough: { variation: "on" }, prerequisites: [] } },
    });
    const response = await flagCall("DELETE", "live-in-prod");
    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe("REVIEW_REQUIRED");
    expect((await flagCall("GET", "live-in-prod")).body.lifecycle).toBe("active");
  });

  test("a viewer cannot archive", async () => {
    const response = await callRoute(flagRoute.DELETE, {
      method: "DELETE",
      path: `${flagsPath()}/settings`,
      token: fx.byRole.viewer.serviceToken,
      params: { project: fx.projectKey, key: "settings" },
    });
    expect(response.status).toBe(403);
  });
});

test("the OpenAPI document describes the flag routes", async () => {
  const document = await openapiRoute.GET().json();
  expect(document.paths["/api/v1/projects/{project}/flags"]).toHaveProperty("get");
  expect(document.paths["/api/v1/projects/{project}/flags"]).toHaveProperty("post");
  expect(Object.keys(document.paths["/api/v1/projects/{project}/flags/{key}"]).sort()).toEqual(["delete", "get", "patch"]);
  expect(document.components.schemas.Flag.properties.variations).toBeDefined();
  expect(document.components.schemas.CreateFlag.required).toEqual(expect.arrayContaining(["key", "name", "kind"]));
});
