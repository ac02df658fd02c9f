import { beforeAll, describe, expect, test } from "vitest";
import * as flagConfigRoute from "@/app/api/v1/projects/[project]/environments/[env]/flags/[key]/route";
import * as segmentConfigRoute from "@/app/api/v1/projects/[project]/environments/[env]/segments/[key]/route";
import * as segmentRoute from "@/app/api/v1/projects/[project]/segments/[key]/route";
import * as segmentsRoute from "@/app/api/v1/projects/[project]/segments/route";
import * as openapiRoute from "@/app/api/v1/openapi.json/route";
import { getPrisma } from "@/lib/db";
import { evaluateFlag } from "@/lib/evaluation";
import type { FlagConfig, SegmentRule } from "@/lib/evaluation/types";
import { getSnapshotStore } from "@/lib/snapshots/snapshot-store";
import { withAppDatabase } from "./helpers/app-database";
import { callRoute, createProjectFixture, type ProjectFixture } from "./helpers/fixtures";

withAppDatabase();

let fx: ProjectFixture;
let env: Record<string, string>;

beforeAll(async () => {
  fx = await createProjectFixture("segments");
  const rows = await getPrisma().environment.findMany({ where: { projectId: fx.projectId } });
  env = Object.fromEntries(rows.map((row) => [row.key, row.id]));
});

const base = () => `/api/v1/projects/${fx.projectKey}`;

function createSegment(body: unknown) {
  return callRoute(segmentsRoute.POST, { method: "POST", path: `${base()}/segments`, token: fx.byRole.editor.serviceToken, body, params: { project: fx.projectKey } });
}

function segmentCall(method: "GET" | "PATCH" | "DELETE", key: string, body?: unknown) {
  const handler = method === "GET" ? segmentRoute.GET : method === "PATCH" ? segmentRoute.PATCH : segmentRoute.DELETE;
  return callRoute(handler, { method, path: `${base()}/segments/${encodeURIComponent(key)}`, token: fx.byRole.editor.serviceToken, body, params: { project: fx.projectKey, key } });
}

function readMembership(key: string, environment = "development") {
  return callRoute(segmentConfigRoute.GET, {
    method: "GET",
    path: `${base()}/environments/${environment}/segments/${encodeURIComponent(key)}`,
    token: fx.byRole.viewer.serviceToken,
    params: { project: fx.projectKey, env: environment, key },
  });
}

async function putMembership(key: string, body: Record<string, unknown>, environment = "development") {
  const version = body.version ?? (await readMembership(key, environment)).body.version;
  return callRoute(segmentConfigRoute.PUT, {
    method: "PUT",
    path: `${base()}/environments/${environment}/segments/${encodeURIComponent(key)}`,
    token: fx.byRole.editor.serviceToken,
    body: { ...body, version },
    params: { project: fx.projectKey, env: environment, key },
  });
}

async function saveCheckout(config: FlagConfig, environment: string) {
  const path = `${base()}/environments/${environment}/flags/checkout`;
  const params = { project: fx.projectKey, env: environment, key: "checkout" };
  const current = await callRoute(flagConfigRoute.GET, { method: "GET", path, token: fx.byRole.editor.serviceToken, params });
  const response = await callRoute(flagConfigRoute.PUT, { method: "PUT", path, token: fx.byRole.editor.serviceToken, body: { version: current.body.version, config }, params });
  expect(response.status).toBe(200);
}

const usesSegment = (segmentKey: string): FlagConfig => ({
  on: true,
  offVariation: "off",
  targets: [],
  rules: [{ id: "cohort", clauses: [{ attribute: "targetingKey", op: "inSegment", values: [segmentKey] }], serve: { variation: "on" } }],
  fallthrough: { variation: "off" },
  prerequisites: [],
});

async function evaluate(flagKey: string, environment: string, targetingKey: string) {
  const loaded = await getSnapshotStore().get(env[environment]);
  return evaluateFlag(loaded!.compiled, flagKey, { targetingKey });
}

describe("segment definitions", () => {
  test("create: empty in every environment, with audit entries and new snapshots", async () => {
    const before = await getPrisma().environment.findMany({ where: { projectId: fx.projectId }, orderBy: { sortOrder: "asc" } });
    const response = await createSegment({ key: "beta-testers", name: "Beta testers", tags: ["beta"], ownerEmail: fx.byRole.editor.user.email });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ key: "beta-testers", name: "Beta testers", tags: ["beta"], owner: { email: fx.byRole.editor.user.email }, usedBy: [] });
    expect(response.body.environments).toEqual(
      ["development", "staging", "production"].map((key) => expect.objectContaining({ key, version: 1, includedCount: 0, excludedCount: 0, ruleCount: 0 })),
    );
    const after = await getPrisma().environment.findMany({ where: { projectId: fx.projectId }, orderBy: { sortOrder: "asc" } });
    expect(after.map((e) => e.snapshotVersion)).toEqual(before.map((e) => e.snapshotVersion + 1));
    const actions = await getPrisma().auditEvent.findMany({ where: { projectId: fx.projectId, entityKey: "beta-testers" }, orderBy: { id: "asc" } });
    expect(actions.map((a) => a.action)).toEqual(["segment.created", "segment_config.created", "segment_config.created", "segment_config.created"]);
    expect((await getSnapshotStore().get(env.production))!.snapshot.segments.map((s) => s.key)).toContain("beta-testers");
  });

  test.each([
    ["a key with a slash", { key: "a/b", name: "x" }, "key", 400],
    ["a key with spaces", { key: "a b", name: "x" }, "key", 400],
    ["no name", { key: "nameless", name: "" }, "name", 400],
    ["an unknown owner", { key: "owned", name: "x", ownerEmail: "ghost@example.test" }, "ownerEmail", 400],
  ])("%s is refused", async (_label, body, field, status) => {
    const response = await createSegment(body);
    expect(response.status).toBe(status);
    expect(Object.keys(response.body.error.details.fields)).toContain(field);
  });

  test("a taken key is a 409; Unicode keys work", async () => {
    expect((await createSegment({ key: "beta-testers", name: "Again" })).status).toBe(409);
    const unicode = await createSegment({ key: "Kunden-Österreich-🇦🇹", name: "Österreich" });
    expect(unicode.status).toBe(201);
    expect((await segmentCall("GET", "Kunden-Österreich-🇦🇹")).body.key).toBe("Kunden-Österreich-🇦🇹");
  });

  test("list pages in key order and filters", async () => {
    for (const key of ["list-a", "list-b", "list-c"]) await createSegment({ key, name: key, tags: key === "list-b" ? ["vip"] : [] });
    const first = await callRoute(segmentsRoute.GET, { method: "GET", path: `${base()}/segments?query=list-&limit=2`, token: fx.byRole.viewer.serviceToken, params: { project: fx.projectKey } });
    expect(first.body.segments.map((s: { key: string }) => s.key)).toEqual(["list-a", "list-b"]);
    const second = await callRoute(segmentsRoute.GET, {
      method: "GET",
      path: `${base()}/segments?query=list-&limit=2&cursor=${first.body.nextCursor}`,
      token: fx.byRole.viewer.serviceToken,
      params: { project: fx.projectKey },
    });
    expect(second.body).toMatchObject({ segments: [{ key: "list-c" }], nextCursor: null });
    const tagged = await callRoute(segmentsRoute.GET, { method: "GET", path: `${base()}/segments?tag=vip`, token: fx.byRole.viewer.serviceToken, params: { project: fx.projectKey } });
    expect(tagged.body.segments.map((s: { key: string }) => s.key)).toEqual(["list-b"]);
  });

  test("patch changes name, description, owner and tags, audited, without a snapshot", async () => {
    const versions = async () => (await getPrisma().environment.findMany({ where: { projectId: fx.projectId } })).map((e) => e.snapshotVersion);
    const before = await versions();
    const response = await segmentCall("PATCH", "list-a", { name: "List A", description: "the first", tags: ["x", "x"], ownerEmail: fx.byRole.admin.user.email });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ key: "list-a", name: "List A", description: "the first", tags: ["x"], owner: { email: fx.byRole.admin.user.email } });
    expect(await versions()).toEqual(before);
    const audit = await getPrisma().auditEvent.findFirstOrThrow({ where: { entityKey: "list-a" }, orderBy: { id: "desc" } });
    expect(audit).toMatchObject({ action: "segment.updated", before: { name: "list-a" }, after: { name: "List A" } });
    expect((await segmentCall("PATCH", "list-a", { ownerEmail: "ghost@example.test" })).status).toBe(400);
    expect((await segmentCall("PATCH", "nope", { name: "x" })).status).toBe(404);
  });
});

describe("segment membership per environment", () => {
  test("100,000 keys are stored, de-duplicated, and served by the evaluation service", async () => {
    const included = Array.from({ length: 100_000 }, (_, i) => `user-${i}`);
    const response = await putMembership("beta-testers", { included, excluded: ["user-5", "user-5", "blocked"], reason: "beta wave 1" });
    expect(response.status).toBe(200);
    expect(response.body.version).toBe(2);
    expect(response.body.included).toHaveLength(100_000);
    expect(response.body.excluded).toEqual(["user-5", "blocked"]);
    expect(response.body.removedDuplicates).toEqual({ included: 0, excluded: 1 });
    expect(response.body.warnings).toEqual([expect.objectContaining({ code: "key_included_and_excluded", path: ["included", 5] })]);

    const revision = await getPrisma().segmentConfigRevision.findFirstOrThrow({ where: { environmentId: env.development, version: 2, segment: { key: "beta-testers" } } });
    expect((revision.included as string[]).length).toBe(100_000);
    const audit = await getPrisma().auditEvent.findFirstOrThrow({ where: { entityKey: "beta-testers", action: "segment_config.updated" }, orderBy: { id: "desc" } });
    expect(audit).toMatchObject({ reason: "beta wave 1", diff: { entity: "segment", included: { addedCount: 100_000, removedCount: 0 }, excluded: { addedCount: 2, removedCount: 0 }, rules: [] } });

    await saveCheckout(usesSegment("beta-testers"), "development");
    expect(await evaluate("checkout", "development", "user-99999")).toMatchObject({ value: true, reason: "RULE_MATCH" });
    expect(await evaluate("checkout", "development", "user-5")).toMatchObject({ value: false, reason: "FALLTHROUGH" });
    expect(await evaluate("checkout", "development", "user-100000")).toMatchObject({ value: false });
    expect((await segmentCall("GET", "beta-testers")).body.environments[0]).toMatchObject({ key: "development", version: 2, includedCount: 100_000, excludedCount: 2 });
  });

  test("duplicates in a pasted list are removed in first-seen order", async () => {
    const response = await putMembership("list-b", { included: ["b", "a", "b", "c", "a"], excluded: [] });
    expect(response.body).toMatchObject({ included: ["b", "a", "c"], removedDuplicates: { included: 2, excluded: 0 } });
  });

  test("more than 100,000 keys, or empty keys, are a 400", async () => {
    const tooMany = await putMembership("list-b", { included: Array.from({ length: 100_001 }, (_, i) => `k${i}`) });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.details.fields).toHaveProperty("included");
    const empty = await putMembership("list-b", { included: ["fine", ""] });
    expect(empty.status).toBe(400);
    expect(empty.body.error.details.fields).toHaveProperty(["included.1"]);
  });

  test("a stale version is a 409 carrying the current membership", async () => {
    const current = (await readMembership("list-c")).body;
    expect((await putMembership("list-c", { version: current.version, included: ["first"] })).status).toBe(200);
    const stale = await putMembership("list-c", { version: current.version, included: ["second"] });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe("CONFLICT");
    expect(stale.body.error.details).toMatchObject({ currentVersion: current.version + 1, current: { included: ["first"] } });
    expect((await readMembership("list-c")).body.included).toEqual(["first"]);
  });

  test.each<[string, SegmentRule[], string]>([
    ["an attribute outside the catalog", [{ id: "r1", clauses: [{ attribute: "shoe-size", op: "gt", values: [42] }] }], "attribute_unknown"],
    ["a value not allowed by the catalog", [{ id: "r1", clauses: [{ attribute: "plan", op: "in", values: ["platinum"] }] }], "value_not_allowed"],
    ["itself", [{ id: "r1", clauses: [{ attribute: "", op: "inSegment", values: ["list-a"] }] }], "segment_cycle"],
    ["an unknown segment", [{ id: "r1", clauses: [{ attribute: "", op: "notInSegment", values: ["nope"] }] }], "segment_unknown"],
  ])("rules using %s are refused with issues", async (_label, rules, code) => {
    const response = await putMembership("list-a", { rules });
    expect(response.status).toBe(400);
    expect(response.body.error.details.issues).toEqual(expect.arrayContaining([expect.objectContaining({ code })]));
  });

  test("rules are validated, saved and evaluated", async () => {
    const rules: SegmentRule[] = [{ id: "paying", match: "any", clauses: [{ attribute: "plan", op: "in", values: ["pro", "enterprise"] }] }];
    const response = await putMembership("list-a", { rules }, "staging");
    expect(response.status).toBe(200);
    await saveCheckout(usesSegment("list-a"), "staging");
    const loaded = await getSnapshotStore().get(env.staging);
    expect(evaluateFlag(loaded!.compiled, "checkout", { targetingKey: "x", plan: "pro" })).toMatchObject({ value: true });
    expect(evaluateFlag(loaded!.compiled, "checkout", { targetingKey: "x", plan: "free" })).toMatchObject({ value: false });
  });

  test("production requires review: the save is refused and nothing changes", async () => {
    const before = (await readMembership("list-a", "production")).body;
    const response = await putMembership("list-a", { included: ["someone"] }, "production");
    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe("REVIEW_REQUIRED");
    expect(response.body.error.message).toMatch(/Production requires review/);
    expect((await readMembership("list-a", "production")).body).toEqual(before);
  });

  test("unknown segments and environments are 404", async () => {
    expect((await readMembership("nope")).status).toBe(404);
    expect((await readMembership("list-a", "qa")).status).toBe(404);
  });
});

describe("DELETE /api/v1/projects/{project}/segments/{key}", () => {
  test("refused while a flag rule or another segment refers to it, naming them; then deleted everywhere", async () => {
    await createSegment({ key: "doomed", name: "Doomed" });
    await createSegment({ key: "wrapper", name: "Wrapper" });
    await saveCheckout(usesSegment("doomed"), "staging");
    expect((await segmentCall("GET", "doomed")).body.usedBy).toEqual([{ flagKey: "checkout", environmentKey: "staging", archived: false }]);

    const refused = await segmentCall("DELETE", "doomed");
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toBe("Segment “doomed” cannot be deleted: it is used by flag “checkout” (staging). Remove it from their rules first.");
    expect(refused.body.error.details.usedBy).toEqual([{ flagKey: "checkout", environmentKey: "staging", archived: false }]);

    await saveCheckout(usesSegment("list-a"), "staging");
    expect((await putMembership("wrapper", { rules: [{ id: "r", clauses: [{ attribute: "", op: "inSegment", values: ["doomed"] }] }] })).status).toBe(200);
    const bySegment = await segmentCall("DELETE", "doomed");
    expect(bySegment.status).toBe(409);
    expect(bySegment.body.error.message).toMatch(/segment “wrapper” \(development\)/);

    expect((await putMembership("wrapper", { rules: [] })).status).toBe(200);
    const deleted = await segmentCall("DELETE", "doomed");
    expect(deleted.status).toBe(204);
    expect((await segmentCall("GET", "doomed")).status).toBe(404);
    for (const id of Object.values(env)) expect((await getSnapshotStore().get(id))!.snapshot.segments.map((s) => s.key)).not.toContain("doomed");
    const audit = await getPrisma().auditEvent.findFirstOrThrow({ where: { entityKey: "doomed" }, orderBy: { id: "desc" } });
    expect(audit.action).toBe("segment.deleted");
    expect(audit.before).toMatchObject({ name: "Doomed", environments: { development: { version: 1 } } });
  });
});

test("the OpenAPI document describes the segment routes", async () => {
  const document = await openapiRoute.GET().json();
  expect(Object.keys(document.paths["/api/v1/projects/{project}/segments"]).sort()).toEqual(["get", "post"]);
  expect(Object.keys(document.paths["/api/v1/projects/{project}/segments/{key}"]).sort()).toEqual(["delete", "get", "patch"]);
  expect(Object.keys(document.paths["/api/v1/projects/{project}/environments/{env}/segments/{key}"]).sort()).toEqual(["get", "put"]);
  expect(document.components.schemas.ReplaceSegmentConfiguration.properties.included.maxItems).toBe(100_000);
});
