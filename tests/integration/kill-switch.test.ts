/**
 * The kill switch (emergency overrides): applied at once even where review is required, with
 * everything that must come with it, and the follow-up that must come after it.
 */
import { beforeAll, describe, expect, test } from "vitest";
import * as killRoute from "@/app/api/v1/projects/[project]/environments/[env]/flags/[key]/kill/route";
import * as openapiRoute from "@/app/api/v1/openapi.json/route";
import * as ofrepRoute from "@/app/ofrep/v1/evaluate/flags/[key]/route";
import { executeAction } from "@/lib/actions/define-action";
import { requireProjectPermission } from "@/lib/auth/access";
import { getPrisma } from "@/lib/db";
import type { FlagConfig } from "@/lib/evaluation/types";
import { updateFlagConfig } from "@/lib/flags/update-flag-config";
import { countOpenFollowUps, listOverrides, listUnacknowledgedFlagOverrides } from "@/lib/overrides/list-overrides";
import { applyChangeRequest, cancelChangeRequest } from "@/lib/change-requests/apply-change-request";
import { readChangeRequest } from "@/lib/change-requests/change-request-view";
import { reviewChangeRequest } from "@/lib/change-requests/review-change-request";
import { acknowledgeOverrideDefinition, pullKillSwitchDefinition, revertOverrideDefinition, reviewOverrideDefinition } from "@/lib/overrides/override-actions";
import { pullKillSwitch } from "@/lib/overrides/pull-kill-switch";
import { createSdkKey } from "@/lib/sdk-keys/manage-sdk-keys";
import { getSnapshotStore } from "@/lib/snapshots/snapshot-store";
import { withAppDatabase } from "./helpers/app-database";
import { callRoute, createProjectFixture, insertBooleanFlag, mutableState, type ProjectFixture } from "./helpers/fixtures";

withAppDatabase();

let fx: ProjectFixture;
let env: Record<string, { id: string; name: string }>;
let productionKey: string;
let webhookId: string;

/** On, with a target, a rule and a prerequisite-free fallthrough serving `on`. */
const LIVE: FlagConfig = {
  on: true,
  offVariation: "off",
  targets: [{ variation: "off", values: ["blocked-user"] }],
  rules: [{ id: "pro", clauses: [{ attribute: "plan", op: "in", values: ["pro"] }], serve: { variation: "on" } }],
  fallthrough: { variation: "on" },
  prerequisites: [],
};

let flagCounter = 0;
/** A fresh boolean flag, LIVE in every environment (inserted directly: production refuses saves). */
async function liveFlag(config: FlagConfig = LIVE): Promise<string> {
  const key = `kill-${flagCounter++}`;
  await insertBooleanFlag(fx.projectId, key, Object.fromEntries(Object.values(env).map((e) => [e.id, config])), "operational");
  return key;
}

async function configOf(flagKey: string, environmentKey = "production") {
  const row = await getPrisma().flagEnvironmentConfig.findFirstOrThrow({ where: { flag: { projectId: fx.projectId, key: flagKey }, environment: { key: environmentKey } } });
  return { version: row.version, config: row.config as unknown as FlagConfig };
}

function kill(flagKey: string, body: unknown, token = fx.byRole.editor.serviceToken, environmentKey = "production") {
  return callRoute(killRoute.POST, {
    method: "POST",
    path: `/api/v1/projects/${fx.projectKey}/environments/${environmentKey}/flags/${flagKey}/kill`,
    token,
    body,
    params: { project: fx.projectKey, env: environmentKey, key: flagKey },
  });
}

async function ofrep(flagKey: string, key: string, context: Record<string, unknown>) {
  const request = new Request(`http://localhost/ofrep/v1/evaluate/flags/${flagKey}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify({ context }),
  });
  const response = await ofrepRoute.POST(request, { params: Promise.resolve({ key: flagKey }) });
  return { status: response.status, body: await response.json() };
}

const access = (role: "editor" | "approver" | "admin" | "viewer") => requireProjectPermission(fx.byRole[role].user, fx.projectKey, "project:read");

beforeAll(async () => {
  fx = await createProjectFixture("kill");
  const rows = await getPrisma().environment.findMany({ where: { projectId: fx.projectId } });
  env = Object.fromEntries(rows.map((row) => [row.key, { id: row.id, name: row.name }]));
  expect(rows.find((r) => r.key === "production")!.requireReview).toBe(true);
  const admin = await requireProjectPermission(fx.byRole.admin.user, fx.projectKey, "sdkkeys:write");
  productionKey = (await createSdkKey(admin, { environmentKey: "production", kind: "server", name: "server" })).key;
  webhookId = (
    await getPrisma().webhook.create({
      data: { projectId: fx.projectId, name: "on-call", url: "http://127.0.0.1:9/hook", secret: "s3cret", events: ["kill_switch.pulled"] },
    })
  ).id;
});

describe("pulling the kill switch in an environment that requires review", () => {
  test("an editor turns a production flag off at once, with the version, audit entry, override, event and snapshot", async () => {
    const flagKey = await liveFlag();
    const before = await configOf(flagKey);
    // Warm the in-memory snapshot so "at once" means the reload, not a first load.
    expect((await ofrep(flagKey, productionKey, { targetingKey: "u1", plan: "pro" })).body).toMatchObject({ value: true, reason: "TARGETING_MATCH" });
    const snapshotBefore = (await getSnapshotStore().get(env.production.id))!.snapshot.version;

    const result = await executeAction(
      pullKillSwitchDefinition,
      { projectKey: fx.projectKey, environmentKey: "production", flagKey, action: "turn_off", reason: "  Checkout errors spiking  ", confirmEnvironment: "production" },
      fx.byRole.editor.user,
    );
    expect(result).toMatchObject({ ok: true, data: { outcome: "applied", fromVersion: before.version, toVersion: before.version + 1 } });
    if (!result.ok || result.data.outcome !== "applied") throw new Error("not applied");

    // The configuration: off, everything else kept (turning it back on restores the targeting).
    const after = await configOf(flagKey);
    expect(after).toEqual({ version: before.version + 1, config: { ...LIVE, on: false } });
    const revisions = await getPrisma().flagConfigRevision.findMany({ where: { flag: { key: flagKey, projectId: fx.projectId }, environmentId: env.production.id }, orderBy: { version: "asc" } });
    expect(revisions.map((r) => [r.version, (r.config as { on: boolean }).on])).toEqual([
      [before.version, true],
      [before.version + 1, false],
    ]);

    // Served at once, by this instance's snapshot and OFREP.
    expect((await getSnapshotStore().peek(env.production.id))!.snapshot.version).toBeGreaterThan(snapshotBefore);
    expect((await ofrep(flagKey, productionKey, { targetingKey: "u1", plan: "pro" })).body).toMatchObject({ value: false, variant: "off", reason: "DISABLED" });

    // The audit entry: the incident, with before, after, reason and the structured diff.
    const audit = await getPrisma().auditEvent.findFirstOrThrow({ where: { projectId: fx.projectId, entityKey: flagKey, action: "kill_switch.pulled" } });
    expect(audit).toMatchObject({
      environmentId: env.production.id,
      actorType: "user",
      actorId: fx.byRole.editor.user.userId,
      reason: "Checkout errors spiking",
      before: { ...LIVE, version: before.version },
      after: { ...LIVE, on: false, version: before.version + 1 },
      diff: { entity: "flag", on: { before: true, after: false } },
    });

    // The override, whose follow-up review is open.
    const override = await getPrisma().emergencyOverride.findUniqueOrThrow({ where: { id: result.data.overrideId } });
    expect(override).toMatchObject({
      environmentId: env.production.id,
      action: "turn_off",
      variationKey: null,
      reason: "Checkout errors spiking",
      fromVersion: before.version,
      toVersion: before.version + 1,
      pulledById: fx.byRole.editor.user.userId,
      actorLabel: fx.byRole.editor.user.email,
      auditEventId: audit.id,
      acknowledgedAt: null,
      reviewedAt: null,
    });

    // The announcement, queued for the subscribed webhook in the same transaction.
    const delivery = await getPrisma().webhookDelivery.findFirstOrThrow({ where: { webhookId, event: "kill_switch.pulled", payload: { path: ["data", "overrideId"], equals: override.id } } });
    expect(delivery.payload).toMatchObject({
      type: "kill_switch.pulled",
      environmentKey: "production",
      title: `Kill switch pulled on ${flagKey} in Production`,
      actorLabel: fx.byRole.editor.user.email,
      data: { flagKey, action: "turn_off", reason: "Checkout errors spiking", fromVersion: before.version, toVersion: before.version + 1 },
    });
    expect((delivery.payload as { summary: string }).summary).toContain("Turns the flag off.");
  });

  test("serving one variation to everyone drops targets, rules and prerequisites; the previous configuration stays in the history", async () => {
    const flagKey = await liveFlag();
    const before = await configOf(flagKey);
    const response = await kill(flagKey, { reason: "Bad rule", action: "serve_variation", variation: "off" });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ outcome: "applied", toVersion: before.version + 1 });
    expect((await configOf(flagKey)).config).toEqual({ on: true, offVariation: "off", targets: [], rules: [], fallthrough: { variation: "off" }, prerequisites: [] });
    // Even the individually targeted and rule-matched contexts get it.
    expect((await ofrep(flagKey, productionKey, { targetingKey: "u2", plan: "pro" })).body).toMatchObject({ value: false, variant: "off" });
    const audit = await getPrisma().auditEvent.findFirstOrThrow({ where: { projectId: fx.projectId, entityKey: flagKey, action: "kill_switch.pulled" } });
    // The pre-override configuration is what a revert restores.
    expect(audit.before).toEqual({ ...LIVE, version: before.version });
    const override = await getPrisma().emergencyOverride.findUniqueOrThrow({ where: { id: response.body.overrideId } });
    expect(override).toMatchObject({ action: "serve_variation", variationKey: "off", actorType: "api_token", pulledById: null, actorLabel: "token:editor service" });
  });

  test("pulling it on a flag already off answers so, and records nothing", async () => {
    const flagKey = await liveFlag({ ...LIVE, on: false });
    const before = await mutableState(fx.projectId);
    const overrides = await getPrisma().emergencyOverride.count();
    const response = await kill(flagKey, { reason: "Just in case" });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ outcome: "unchanged", version: 1, message: expect.stringContaining("already off") });
    expect(await mutableState(fx.projectId)).toEqual(before);
    expect(await getPrisma().emergencyOverride.count()).toBe(overrides);
    // Serving the variation a flag already serves to everyone is the same.
    const everyone = await liveFlag({ ...LIVE, targets: [], rules: [], fallthrough: { variation: "on" } });
    expect((await kill(everyone, { reason: "x", action: "serve_variation", variation: "on" })).body).toMatchObject({ outcome: "unchanged" });
  });

  test("API tokens need not type the environment; people must, exactly", async () => {
    const flagKey = await liveFlag();
    const input = { projectKey: fx.projectKey, environmentKey: "production", flagKey, action: "turn_off", reason: "Outage" };
    const state = await mutableState(fx.projectId);
    for (const confirmEnvironment of [undefined, "", "Production", "staging"]) {
      const result = await executeAction(pullKillSwitchDefinition, { ...input, confirmEnvironment }, fx.byRole.admin.user);
      expect(result).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED", fieldErrors: { confirmEnvironment: expect.stringContaining("production") } } });
    }
    // A token that sends a wrong confirmation is refused too.
    const wrong = await kill(flagKey, { reason: "Outage", confirmEnvironment: "staging" });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.details.fields.confirmEnvironment).toContain("production");
    expect(await mutableState(fx.projectId)).toEqual(state);
    // Environments without review need no confirmation from people either.
    const dev = await executeAction(pullKillSwitchDefinition, { ...input, environmentKey: "development" }, fx.byRole.editor.user);
    expect(dev).toMatchObject({ ok: true, data: { outcome: "applied" } });
    expect((await kill(flagKey, { reason: "Outage" })).status).toBe(201);
  });
});

describe("bad input changes nothing and answers a clear 400", () => {
  test.each([
    ["a blank reason", { reason: "   " }, "reason"],
    ["no reason", {}, "reason"],
    ["a reason that is too long", { reason: "x".repeat(1001) }, "reason"],
    ["serve without a variation", { reason: "r", action: "serve_variation" }, "variation"],
    ["an unknown variation", { reason: "r", action: "serve_variation", variation: "maybe" }, "variation"],
    ["an unknown action", { reason: "r", action: "explode" }, "action"],
  ])("%s", async (_label, body, field) => {
    const flagKey = await liveFlag();
    const before = await mutableState(fx.projectId);
    const response = await kill(flagKey, body);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe("VALIDATION_FAILED");
    expect(response.body.error.details.fields[field]).toEqual(expect.any(String));
    expect(await mutableState(fx.projectId)).toEqual(before);
  });

  test("an unknown variation names the flag's variations", async () => {
    const response = await kill(await liveFlag(), { reason: "r", action: "serve_variation", variation: "maybe" });
    expect(response.body.error.details.fields.variation).toMatch(/has no variation “maybe”; its variations are “on”, “off”/);
  });

  test("an unknown flag or environment is a 404, malformed JSON a 400", async () => {
    expect((await kill("no-such-flag", { reason: "r" })).status).toBe(404);
    expect((await kill(await liveFlag(), { reason: "r" }, fx.byRole.editor.serviceToken, "nowhere")).status).toBe(404);
    const raw = await callRoute(killRoute.POST, {
      method: "POST",
      path: "/kill",
      token: fx.byRole.editor.serviceToken,
      rawBody: "{oops",
      params: { project: fx.projectKey, env: "production", key: "checkout" },
    });
    expect(raw.status).toBe(400);
  });
});

describe("who may pull it", () => {
  test.each([
    ["viewer", false],
    ["editor", true],
    ["approver", true],
    ["admin", true],
  ] as const)("a %s (console and token)", async (role, allowed) => {
    const flagKey = await liveFlag();
    const before = await mutableState(fx.projectId);
    const result = await executeAction(
      pullKillSwitchDefinition,
      { projectKey: fx.projectKey, environmentKey: "production", flagKey, action: "turn_off", reason: "r", confirmEnvironment: "production" },
      fx.byRole[role].user,
    );
    const response = await kill(flagKey, { reason: "r" }, fx.byRole[role].serviceToken);
    if (allowed) {
      expect(result).toMatchObject({ ok: true, data: { outcome: "applied" } });
      expect(response.status).toBe(200); // already off by the console call
    } else {
      expect(result).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
      expect(response.status).toBe(403);
      expect(await mutableState(fx.projectId)).toEqual(before);
    }
  });
});

describe("concurrency", () => {
  test("two identical pulls at once: one applies, the other sees it already off; one version, one override", async () => {
    const flagKey = await liveFlag();
    const before = await configOf(flagKey);
    const responses = await Promise.all([kill(flagKey, { reason: "first" }), kill(flagKey, { reason: "second" })]);
    expect(responses.map((r) => r.status).sort()).toEqual([200, 201]);
    expect((await configOf(flagKey)).version).toBe(before.version + 1);
    expect(await getPrisma().emergencyOverride.count({ where: { flag: { key: flagKey, projectId: fx.projectId } } })).toBe(1);
  });

  test("different pulls at once both apply, one after the other; nothing is lost", async () => {
    const flagKey = await liveFlag();
    const before = await configOf(flagKey);
    const responses = await Promise.all([
      kill(flagKey, { reason: "off", action: "turn_off" }),
      kill(flagKey, { reason: "serve off", action: "serve_variation", variation: "off" }),
    ]);
    expect(responses.map((r) => r.status)).toEqual([201, 201]);
    const overrides = await getPrisma().emergencyOverride.findMany({ where: { flag: { key: flagKey, projectId: fx.projectId } }, orderBy: { toVersion: "asc" } });
    // A chain: each started from the version the other wrote.
    expect(overrides.map((o) => [o.fromVersion, o.toVersion])).toEqual([
      [before.version, before.version + 1],
      [before.version + 1, before.version + 2],
    ]);
    expect((await configOf(flagKey)).version).toBe(before.version + 2);
  });

  test("a save started before the pull is refused as a conflict, never overwriting it", async () => {
    const flagKey = await liveFlag();
    const before = await configOf(flagKey, "development");
    const editor = await requireProjectPermission(fx.byRole.editor.user, fx.projectKey, "flags:write");
    await pullKillSwitch(editor, { environmentKey: "development", flagKey, action: "turn_off", reason: "stop" });
    await expect(
      updateFlagConfig(editor, { environmentKey: "development", flagKey, config: { ...LIVE, rules: [] }, expectedVersion: before.version }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    expect((await configOf(flagKey, "development")).config.on).toBe(false);
  });
});

describe("the follow-up", () => {
  async function pulledBy(role: "editor" | "approver") {
    const flagKey = await liveFlag();
    const pulled = await pullKillSwitch(await access(role), { environmentKey: "production", flagKey, action: "turn_off", reason: "incident 42", confirmEnvironment: "production" });
    if (pulled.outcome !== "applied") throw new Error("not applied");
    return { flagKey, overrideId: pulled.overrideId };
  }

  test("the banner stays until someone with flags:write acknowledges it; audited", async () => {
    const { flagKey, overrideId } = await pulledBy("editor");
    const banner = await listUnacknowledgedFlagOverrides(await access("viewer"), flagKey);
    expect(banner).toEqual([expect.objectContaining({ id: overrideId, reason: "incident 42", environment: expect.objectContaining({ name: "Production" }), pulledBy: expect.stringContaining(fx.byRole.editor.user.email) })]);

    const state = await mutableState(fx.projectId);
    expect(await executeAction(acknowledgeOverrideDefinition, { projectKey: fx.projectKey, overrideId }, fx.byRole.viewer.user)).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    expect(await mutableState(fx.projectId)).toEqual(state);

    const acknowledged = await executeAction(acknowledgeOverrideDefinition, { projectKey: fx.projectKey, overrideId }, fx.byRole.editor.user);
    expect(acknowledged).toMatchObject({ ok: true, data: { acknowledgedBy: expect.stringContaining(fx.byRole.editor.user.email), reviewedAt: null } });
    expect(await listUnacknowledgedFlagOverrides(await access("viewer"), flagKey)).toEqual([]);
    // Acknowledging again changes nothing and records nothing more.
    await executeAction(acknowledgeOverrideDefinition, { projectKey: fx.projectKey, overrideId }, fx.byRole.admin.user);
    const entries = await getPrisma().auditEvent.findMany({ where: { projectId: fx.projectId, entityKey: flagKey, action: "kill_switch.acknowledged" } });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actorId: fx.byRole.editor.user.userId, after: { overrideId } });
  });

  test("only an approver other than the puller reviews it; then it leaves the open list and the count", async () => {
    const { flagKey, overrideId } = await pulledBy("approver");
    const openBefore = await countOpenFollowUps(await access("viewer"));
    expect((await listOverrides(await access("viewer"))).open.map((o) => o.id)).toContain(overrideId);
    const input = { projectKey: fx.projectKey, overrideId, note: "Root cause: a bad rule. Reverted through CR." };
    const state = await mutableState(fx.projectId);

    // The puller cannot review their own, an editor cannot review at all.
    expect(await executeAction(reviewOverrideDefinition, input, fx.byRole.approver.user)).toMatchObject({ ok: false, error: { code: "FORBIDDEN", message: expect.stringContaining("You pulled") } });
    expect(await executeAction(reviewOverrideDefinition, input, fx.byRole.editor.user)).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    expect(await executeAction(reviewOverrideDefinition, { ...input, note: "  " }, fx.byRole.admin.user)).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED", fieldErrors: { note: expect.any(String) } } });
    expect(await mutableState(fx.projectId)).toEqual(state);

    const reviewed = await executeAction(reviewOverrideDefinition, input, fx.byRole.admin.user);
    expect(reviewed).toMatchObject({ ok: true, data: { reviewNote: input.note, reviewedBy: expect.stringContaining(fx.byRole.admin.user.email) } });
    expect(await countOpenFollowUps(await access("viewer"))).toBe(openBefore - 1);
    const lists = await listOverrides(await access("viewer"));
    expect(lists.open.map((o) => o.id)).not.toContain(overrideId);
    expect(lists.past.map((o) => o.id)).toContain(overrideId);
    expect(await getPrisma().auditEvent.findFirst({ where: { projectId: fx.projectId, entityKey: flagKey, action: "kill_switch.reviewed" } })).toMatchObject({
      actorId: fx.byRole.admin.user.userId,
      reason: input.note,
      after: { overrideId, note: input.note },
    });
    // Reviewed once: a second review is a conflict.
    expect(await executeAction(reviewOverrideDefinition, { ...input, note: "again" }, fx.byRole.approver.user)).toMatchObject({ ok: false });
    const other = await executeAction(reviewOverrideDefinition, { ...input, note: "again" }, fx.byRole.admin.user);
    expect(other).toMatchObject({ ok: false, error: { code: "CONFLICT" } });
  });

  test("reverting is a change request: the configuration from before, reviewed, applied; one live revert per override", async () => {
    const { flagKey, overrideId } = await pulledBy("editor");
    expect((await configOf(flagKey)).config.on).toBe(false);
    const input = { projectKey: fx.projectKey, overrideId };
    const state = await mutableState(fx.projectId);
    expect(await executeAction(revertOverrideDefinition, input, fx.byRole.viewer.user)).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    expect(await mutableState(fx.projectId)).toEqual(state);

    const proposed = await executeAction(revertOverrideDefinition, input, fx.byRole.editor.user);
    if (!proposed.ok) throw new Error(proposed.error.message);
    const { number } = proposed.data;
    expect(proposed.data).toMatchObject({ status: "open", path: `/${fx.projectKey}/production/change-requests/${number}` });
    // Nothing changed yet: production requires review.
    expect((await configOf(flagKey)).config.on).toBe(false);
    const request = await readChangeRequest(await access("viewer"), number);
    expect(request).toMatchObject({ title: expect.stringContaining(`Revert kill switch on ${flagKey}`), description: expect.stringContaining("incident 42") });
    expect(request.items).toEqual([expect.objectContaining({ entityKey: flagKey, baseVersion: 2, proposed: expect.objectContaining({ on: true, rules: LIVE.rules }) })]);
    expect((request.items[0].diff as { summary: string[] }).summary.join(" ")).toMatch(/on/i);
    expect((await listOverrides(await access("viewer"))).open.find((o) => o.id === overrideId)?.changeRequest).toEqual({ number, status: "open" });

    // A second revert while this one is live is refused and stores nothing.
    const again = await executeAction(revertOverrideDefinition, input, fx.byRole.approver.user);
    expect(again).toMatchObject({ ok: false, error: { code: "CONFLICT", message: expect.stringContaining(`#${number}`) } });

    await reviewChangeRequest(await access("approver"), number, { decision: "approve", body: "" });
    expect(await applyChangeRequest(await access("editor"), number)).toMatchObject({ status: "applied" });
    const after = await configOf(flagKey);
    expect(after).toEqual({ version: 3, config: LIVE });
    expect(await executeAction(revertOverrideDefinition, input, fx.byRole.editor.user)).toMatchObject({ ok: false, error: { code: "CONFLICT" } });
  });

  test("a cancelled revert can be proposed again; a flag already back as it was has nothing to revert", async () => {
    const { flagKey, overrideId } = await pulledBy("editor");
    const first = await proposeRevert(overrideId);
    await cancelChangeRequest(await access("editor"), first);
    const second = await proposeRevert(overrideId);
    expect(second).toBeGreaterThan(first);
    await cancelChangeRequest(await access("editor"), second);

    // Someone turned it back on by hand (here: directly): the revert would change nothing.
    const row = await getPrisma().flagEnvironmentConfig.findFirstOrThrow({ where: { flag: { projectId: fx.projectId, key: flagKey }, environment: { key: "production" } } });
    await getPrisma().flagEnvironmentConfig.update({ where: { id: row.id }, data: { config: LIVE as object, version: { increment: 1 } } });
    const nothing = await executeAction(revertOverrideDefinition, { projectKey: fx.projectKey, overrideId }, fx.byRole.editor.user);
    expect(nothing).toMatchObject({ ok: false, error: { code: "CONFLICT", message: expect.stringContaining("nothing to revert") } });
  });

  async function proposeRevert(overrideId: string): Promise<number> {
    const result = await executeAction(revertOverrideDefinition, { projectKey: fx.projectKey, overrideId }, fx.byRole.editor.user);
    if (!result.ok) throw new Error(result.error.message);
    return result.data.number;
  }

  test("an override of another project is not found", async () => {
    const { overrideId } = await pulledBy("editor");
    const other = await createProjectFixture("kill-other");
    expect(await executeAction(acknowledgeOverrideDefinition, { projectKey: other.projectKey, overrideId }, other.byRole.admin.user)).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
  });
});

test("the OpenAPI document describes the kill switch", async () => {
  const document = await openapiRoute.GET().json();
  const operation = document.paths["/api/v1/projects/{project}/environments/{env}/flags/{key}/kill"].post;
  expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(["200", "201", "400", "403", "404", "409"]));
  expect(document.components.schemas.KillSwitchRequest.required).toEqual(["reason"]);
});
