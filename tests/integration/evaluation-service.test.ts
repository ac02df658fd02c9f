import { beforeAll, describe, expect, test } from "vitest";
import * as bulkRoute from "@/app/ofrep/v1/evaluate/flags/route";
import * as singleRoute from "@/app/ofrep/v1/evaluate/flags/[key]/route";
import * as snapshotRoute from "@/app/api/v1/sdk/snapshot/route";
import * as streamRoute from "@/app/api/v1/sdk/stream/route";
import { requireProjectPermission, type ProjectAccess } from "@/lib/auth/access";
import { getPrisma } from "@/lib/db";
import { compileSnapshot, compilePackedSnapshot, evaluateFlag } from "@/lib/evaluation";
import type { FlagConfig } from "@/lib/evaluation/types";
import { readFlagConfig } from "@/lib/flags/read-flag-config";
import { updateFlagConfig } from "@/lib/flags/update-flag-config";
import { createSdkKey, revokeSdkKey } from "@/lib/sdk-keys/manage-sdk-keys";
import { withAppDatabase } from "./helpers/app-database";
import { createProjectFixture, type ProjectFixture } from "./helpers/fixtures";

withAppDatabase();

let fx: ProjectFixture;
let editor: ProjectAccess;
let serverKey: string;
let clientKey: string;

const PRO_RULE: FlagConfig = {
  on: true,
  offVariation: "off",
  targets: [{ variation: "on", values: ["vip-1"] }],
  rules: [{ id: "pro-users", clauses: [{ attribute: "plan", op: "in", values: ["pro", "enterprise"] }], serve: { variation: "on" } }],
  fallthrough: { variation: "off" },
  prerequisites: [],
};

async function ofrep(path: string, init: { key?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { "content-type": "application/json", ...init.headers };
  if (init.key) headers.authorization = `Bearer ${init.key}`;
  const request = new Request(`http://localhost${path}`, { method: "POST", headers, body: init.raw ?? JSON.stringify(init.body ?? {}) });
  const flagKey = path.match(/\/flags\/([^?]+)/)?.[1];
  const response = flagKey
    ? await singleRoute.POST(request, { params: Promise.resolve({ key: decodeURIComponent(flagKey) }) })
    : await bulkRoute.POST(request);
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
}

async function save(config: FlagConfig, env = "development") {
  const { version } = await readFlagConfig(editor, env, "checkout");
  return updateFlagConfig(editor, { environmentKey: env, flagKey: "checkout", config, expectedVersion: version });
}

beforeAll(async () => {
  fx = await createProjectFixture("eval");
  editor = await requireProjectPermission(fx.byRole.editor.user, fx.projectKey, "flags:write");
  const admin = await requireProjectPermission(fx.byRole.admin.user, fx.projectKey, "sdkkeys:write");
  serverKey = (await createSdkKey(admin, { environmentKey: "development", kind: "server", name: "server" })).key;
  clientKey = (await createSdkKey(admin, { environmentKey: "development", kind: "client", name: "web" })).key;
  await save(PRO_RULE);
});

describe("OFREP single flag", () => {
  test("a rule match answers TARGETING_MATCH with the rule and versions in metadata", async () => {
    const response = await ofrep("/ofrep/v1/evaluate/flags/checkout", { key: serverKey, body: { context: { targetingKey: "u1", plan: "pro" } } });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ key: "checkout", value: true, variant: "on", reason: "TARGETING_MATCH", metadata: { ruleId: "pro-users" } });
    for (const value of Object.values(response.body.metadata)) expect(["string", "number", "boolean"]).toContain(typeof value);
  });

  test("X-API-Key works as well as Bearer; the fallthrough is DEFAULT", async () => {
    const response = await ofrep("/ofrep/v1/evaluate/flags/checkout", { headers: { "x-api-key": serverKey }, body: { context: { targetingKey: "u2", plan: "free" } } });
    expect(response.body).toMatchObject({ value: false, variant: "off", reason: "DEFAULT" });
  });

  test.each([
    ["unknown flag", "/ofrep/v1/evaluate/flags/nope", { context: {} }, undefined, 404, "FLAG_NOT_FOUND"],
    ["invalid JSON", "/ofrep/v1/evaluate/flags/checkout", undefined, "{oops", 400, "PARSE_ERROR"],
    ["context not an object", "/ofrep/v1/evaluate/flags/checkout", { context: [1, 2] }, undefined, 400, "INVALID_CONTEXT"],
    ["targetingKey not a string", "/ofrep/v1/evaluate/flags/checkout", { context: { targetingKey: 42 } }, undefined, 400, "INVALID_CONTEXT"],
  ])("%s → %i %s", async (_label, path, body, raw, status, errorCode) => {
    const response = await ofrep(path, { key: serverKey, body, raw });
    expect(response.status).toBe(status);
    expect(response.body.errorCode).toBe(errorCode);
  });

  test("no key or an unknown key is 401 without a body", async () => {
    for (const key of [undefined, "sy_srv_not-a-key"]) {
      const response = await ofrep("/ofrep/v1/evaluate/flags/checkout", { key, body: {} });
      expect(response.status).toBe(401);
      expect(response.body).toBeNull();
    }
  });

  test("a client key only sees client-visible flags", async () => {
    expect((await ofrep("/ofrep/v1/evaluate/flags/checkout", { key: clientKey, body: {} })).status).toBe(404);
    await getPrisma().flag.updateMany({ where: { projectId: fx.projectId, key: "checkout" }, data: { clientVisible: true } });
    await save(PRO_RULE); // any change republishes the snapshot
    const response = await ofrep("/ofrep/v1/evaluate/flags/checkout", { key: clientKey, body: { context: { plan: "pro" } } });
    expect(response.body).toMatchObject({ value: true, reason: "TARGETING_MATCH" });
  });

  test("a rollout by targeting key without one answers TARGETING_KEY_MISSING", async () => {
    await save({ ...PRO_RULE, fallthrough: { rollout: { weights: [{ variation: "on", weight: 50_000 }, { variation: "off", weight: 50_000 }] } } });
    const missing = await ofrep("/ofrep/v1/evaluate/flags/checkout", { key: serverKey, body: { context: { plan: "free" } } });
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ key: "checkout", errorCode: "TARGETING_KEY_MISSING" });
    const split = await ofrep("/ofrep/v1/evaluate/flags/checkout", { key: serverKey, body: { context: { targetingKey: "someone", plan: "free" } } });
    expect(split.body.reason).toBe("SPLIT");
    await save(PRO_RULE);
  });
});

describe("OFREP bulk", () => {
  test("answers every flag with an ETag, 304 when nothing changed, and a new ETag after a change", async () => {
    const context = { context: { targetingKey: "u3", plan: "pro" } };
    const first = await ofrep("/ofrep/v1/evaluate/flags", { key: serverKey, body: context });
    expect(first.status).toBe(200);
    expect(first.body.flags).toEqual([expect.objectContaining({ key: "checkout", value: true })]);
    expect(first.body.eventStreams[0]).toMatchObject({ type: "sse", url: expect.stringContaining("/ofrep/v1/stream?token=") });
    const etag = first.headers.get("etag")!;
    const again = await ofrep("/ofrep/v1/evaluate/flags", { key: serverKey, body: context, headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
    await save({ ...PRO_RULE, rules: [] });
    const changed = await ofrep("/ofrep/v1/evaluate/flags", { key: serverKey, body: context, headers: { "if-none-match": etag } });
    expect(changed.status).toBe(200);
    expect(changed.body.flags[0]).toMatchObject({ value: false });
    expect(changed.headers.get("etag")).not.toBe(etag);
    await save(PRO_RULE);
  });
});

describe("saving configurations", () => {
  test("a stale version is a conflict that carries the current configuration", async () => {
    const { version } = await readFlagConfig(editor, "development", "checkout");
    await expect(updateFlagConfig(editor, { environmentKey: "development", flagKey: "checkout", config: PRO_RULE, expectedVersion: version - 1 })).rejects.toMatchObject({
      code: "CONFLICT",
      details: { currentVersion: version },
    });
  });

  test("two concurrent saves from the same version: exactly one wins", async () => {
    const { version } = await readFlagConfig(editor, "development", "checkout");
    const results = await Promise.allSettled([
      updateFlagConfig(editor, { environmentKey: "development", flagKey: "checkout", config: { ...PRO_RULE, on: false }, expectedVersion: version }),
      updateFlagConfig(editor, { environmentKey: "development", flagKey: "checkout", config: { ...PRO_RULE, rules: [] }, expectedVersion: version }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.find((r) => r.status === "rejected")).toMatchObject({ reason: { code: "CONFLICT" } });
    expect((await readFlagConfig(editor, "development", "checkout")).version).toBe(version + 1);
    await save(PRO_RULE);
  });

  test("invalid configurations are refused with every problem and where it is", async () => {
    const bad: FlagConfig = {
      ...PRO_RULE,
      rules: [{ id: "r", clauses: [{ attribute: "email", op: "matches", values: ["(a+)+$"] }], serve: { variation: "nope" } }],
      fallthrough: { rollout: { weights: [{ variation: "on", weight: 10_000 }, { variation: "off", weight: 10_000 }] } },
    };
    const error = await save(bad).catch((e) => e);
    expect(error.code).toBe("VALIDATION_FAILED");
    const paths = error.details.issues.map((issue: { path: (string | number)[] }) => issue.path.join("."));
    expect(paths).toEqual(expect.arrayContaining(["rules.0.serve.variation", "fallthrough.rollout.weights"]));
    expect(paths.some((p: string) => p.startsWith("rules.0.clauses.0"))).toBe(true);
  });

  test("an environment that requires review refuses direct saves", async () => {
    await expect(save(PRO_RULE, "production")).rejects.toMatchObject({ code: "REVIEW_REQUIRED" });
  });

  test("each save records a revision and an audit entry", async () => {
    const before = await getPrisma().flagConfigRevision.count({ where: { flag: { projectId: fx.projectId } } });
    await save({ ...PRO_RULE, on: false });
    await save(PRO_RULE);
    expect(await getPrisma().flagConfigRevision.count({ where: { flag: { projectId: fx.projectId } } })).toBe(before + 2);
    const audit = await getPrisma().auditEvent.findFirst({ where: { projectId: fx.projectId, action: "flag_config.updated" }, orderBy: { id: "desc" } });
    expect(audit).toMatchObject({ entityKey: "checkout", actorLabel: fx.byRole.editor.user.email, after: { on: true } });
  });
});

describe("SDK endpoints", () => {
  const get = (handler: (r: Request) => Promise<Response>, key: string, headers: Record<string, string> = {}, signal?: AbortSignal, query = "") =>
    handler(new Request(`http://localhost/api/v1/sdk/x${query}`, { headers: { authorization: `Bearer ${key}`, ...headers }, signal }));

  test("?format=2 serves the packed snapshot under its own ETag; it evaluates like format 1", async () => {
    const plain = await get(snapshotRoute.GET, serverKey, {}, undefined, "?format=1");
    const packedResponse = await get(snapshotRoute.GET, serverKey, {}, undefined, "?format=2");
    expect(packedResponse.status).toBe(200);
    const etag = packedResponse.headers.get("etag")!;
    expect(etag).toMatch(/:f2"$/);
    expect(etag).not.toBe(plain.headers.get("etag"));
    const packed = await packedResponse.json();
    expect(packed).toMatchObject({ format: 2, projectKey: fx.projectKey, environmentKey: "development", version: expect.any(Number) });
    expect(packed.flags).toBeUndefined();
    const f1 = compileSnapshot(await plain.json());
    const f2 = compilePackedSnapshot(packed);
    for (const context of [{ targetingKey: "vip-1" }, { targetingKey: "u1", plan: "pro" }, { targetingKey: "u2", plan: "free" }]) {
      expect(evaluateFlag(f2, "checkout", context)).toEqual(evaluateFlag(f1, "checkout", context));
    }
    expect(evaluateFlag(f2, "checkout", { targetingKey: "u1", plan: "pro" })).toMatchObject({ value: true, ruleId: "pro-users" });
    // Each format answers 304 only to its own ETag.
    expect((await get(snapshotRoute.GET, serverKey, { "if-none-match": etag }, undefined, "?format=2")).status).toBe(304);
    expect((await get(snapshotRoute.GET, serverKey, { "if-none-match": etag })).status).toBe(200);
  });

  test("an unknown format is a 400 naming the parameter, on the snapshot and the stream", async () => {
    for (const handler of [snapshotRoute.GET, streamRoute.GET]) {
      for (const query of ["?format=3", "?format=packed"]) {
        const response = await get(handler, serverKey, {}, undefined, query);
        expect(response.status).toBe(400);
        const body = await response.json();
        expect(body.error.code).toBe("VALIDATION_FAILED");
        expect(JSON.stringify(body.error.details)).toContain("format must be 1");
      }
    }
  });

  test("the stream with ?format=2 puts the packed snapshot", async () => {
    const abort = new AbortController();
    const response = await get(streamRoute.GET, serverKey, {}, abort.signal, "?format=2");
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    while (!/event: put\ndata: .*\n\n/.test(text)) text += decoder.decode((await reader.read()).value);
    const put = JSON.parse(text.match(/event: put\ndata: (.*)\n/)![1]);
    expect(put).toMatchObject({ format: 2, environmentKey: "development" });
    expect(evaluateFlag(compilePackedSnapshot(put), "checkout", { targetingKey: "vip-1" })).toMatchObject({ value: true, reason: "TARGET_MATCH" });
    abort.abort();
  });

  test("the snapshot has an ETag and answers 304; client keys may not download it", async () => {
    const response = await get(snapshotRoute.GET, serverKey);
    expect(response.status).toBe(200);
    const snapshot = await response.json();
    expect(snapshot).toMatchObject({ projectKey: fx.projectKey, environmentKey: "development", flags: [expect.objectContaining({ key: "checkout" })] });
    expect((await get(snapshotRoute.GET, serverKey, { "if-none-match": response.headers.get("etag")! })).status).toBe(304);
    expect((await get(snapshotRoute.GET, clientKey)).status).toBe(403);
  });

  test("the stream sends the snapshot, then a patch for each change", async () => {
    const abort = new AbortController();
    const response = await get(streamRoute.GET, serverKey, {}, abort.signal);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    const readUntil = async (pattern: RegExp) => {
      while (!pattern.test(text)) text += decoder.decode((await reader.read()).value);
    };
    await readUntil(/event: put\n/);
    await save({ ...PRO_RULE, on: false });
    await readUntil(/event: patch\ndata: .*\n\n/);
    const patch = JSON.parse(text.match(/event: patch\ndata: (.*)\n/)![1]);
    expect(patch.upsertFlags).toEqual([expect.objectContaining({ key: "checkout", config: expect.objectContaining({ on: false }) })]);
    abort.abort();
    await save(PRO_RULE);
  });

  test("a revoked key stops working within a second", async () => {
    const admin = await requireProjectPermission(fx.byRole.admin.user, fx.projectKey, "sdkkeys:write");
    const doomed = await createSdkKey(admin, { environmentKey: "development", kind: "server", name: "doomed" });
    expect((await ofrep("/ofrep/v1/evaluate/flags/checkout", { key: doomed.key, body: {} })).status).toBe(200);
    await revokeSdkKey(admin, doomed.id);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await ofrep("/ofrep/v1/evaluate/flags/checkout", { key: doomed.key, body: {} })).status).toBe(401);
  });
});

describe("operations endpoints", () => {
  test("metrics count evaluations in Prometheus text format; health reports the loaded snapshots", async () => {
    const metricsRoute = await import("@/app/api/metrics/route");
    const healthRoute = await import("@/app/api/health/route");
    await ofrep("/ofrep/v1/evaluate/flags/checkout", { key: serverKey, body: { context: { targetingKey: "m1", plan: "pro" } } });
    const metrics = await (await metricsRoute.GET()).text();
    expect(metrics).toMatch(/# TYPE switchyard_evaluations_total counter/);
    expect(metrics).toMatch(/switchyard_evaluations_total\{endpoint="single",reason="TARGETING_MATCH"\} [1-9]\d*/);
    expect(metrics).toMatch(/switchyard_snapshot_version\{environment="[^"]+"\} \d+/);
    const health = await (await healthRoute.GET()).json();
    expect(health).toMatchObject({ status: "ok", database: "up", snapshots: { loaded: expect.any(Number) } });
    expect(health.snapshots.loaded).toBeGreaterThan(0);
  });
});
