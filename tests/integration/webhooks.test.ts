/**
 * Webhooks end to end against a real local HTTP receiver: what is sent (signature, headers,
 * formats), when it is sent again (backoff, timeout, giving up), that several workers never send
 * one delivery twice, and what is refused (non-http URLs, private hosts) without changing state.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import * as webhooksRoute from "@/app/api/v1/projects/[project]/webhooks/route";
import * as webhookRoute from "@/app/api/v1/projects/[project]/webhooks/[id]/route";
import * as deliveriesRoute from "@/app/api/v1/projects/[project]/webhooks/[id]/deliveries/route";
import * as openapiRoute from "@/app/api/v1/openapi.json/route";
import { executeAction } from "@/lib/actions/define-action";
import { requireProjectPermission, type ProjectAccess } from "@/lib/auth/access";
import { claimDueDeliveries, recordDeliveryAttempt, CLAIM_MARGIN_MS } from "@/lib/data/webhooks";
import { getPrisma } from "@/lib/db";
import { deliverDueWebhooks } from "@/lib/notifications/deliver-due-webhooks";
import { createWebhook, listDeliveriesJson } from "@/lib/notifications/manage-webhooks";
import type { ProjectEventType } from "@/lib/notifications/project-events";
import { publishProjectEvent } from "@/lib/notifications/publish-project-event";
import { RETRY_BASE_MS } from "@/lib/notifications/retry-policy";
import { decryptWebhookSecret } from "@/lib/notifications/webhook-secret";
import { verifyWebhookSignature } from "@/lib/notifications/webhook-signature";
import { createWebhookDefinition, redeliverWebhookDefinition, rotateWebhookSecretDefinition, sendTestWebhookDefinition, updateWebhookDefinition, deleteWebhookDefinition } from "@/lib/notifications/webhook-actions";
import { pullKillSwitch } from "@/lib/overrides/pull-kill-switch";
import { runSchedulerTick } from "@/lib/scheduler/scheduler";
import { withAppDatabase } from "./helpers/app-database";
import { callRoute, createProjectFixture, mutableState, type ProjectFixture } from "./helpers/fixtures";
import { startWebhookReceiver } from "./helpers/webhook-receiver";

withAppDatabase();

let fx: ProjectFixture;
let admin: ProjectAccess;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

beforeAll(async () => {
  process.env.WEBHOOK_ALLOW_PRIVATE = "1";
  process.env.NEXTAUTH_URL = "https://switchyard.example.test";
  fx = await createProjectFixture("hooks");
  admin = await requireProjectPermission(fx.byRole.admin.user, fx.projectKey, "webhooks:write");
  receiver = await startWebhookReceiver();
});

afterAll(async () => {
  await receiver.close();
});

afterEach(async () => {
  process.env.WEBHOOK_ALLOW_PRIVATE = "1";
  receiver.received.length = 0;
  receiver.replies.length = 0;
  // Each test starts with no other webhook subscribed and no leftover retries to send.
  await getPrisma().webhook.updateMany({ where: { projectId: fx.projectId }, data: { enabled: false } });
  await getPrisma().webhookDelivery.updateMany({ where: { status: "pending" }, data: { status: "failed", nextAttemptAt: null } });
});

async function hook(overrides: Partial<Parameters<typeof createWebhook>[1]> = {}) {
  return createWebhook(admin, { name: "receiver", url: receiver.url, events: ["kill_switch.pulled"], format: "json", enabled: true, timeoutMs: 2000, maxAttempts: 8, ...overrides });
}

async function publish(type: ProjectEventType = "kill_switch.pulled", at = new Date()) {
  await getPrisma().$transaction((tx) =>
    publishProjectEvent(
      tx,
      { type, projectId: fx.projectId, environmentKey: "production", title: "Kill switch pulled on checkout in Production", summary: "Reason: <payments down> & more", link: `/${fx.projectKey}/production/flags/checkout`, actorLabel: "alice@example.test", data: { flagKey: "checkout" } },
      at,
    ),
  );
}

async function deliveriesOf(webhookId: string) {
  return getPrisma().webhookDelivery.findMany({ where: { webhookId }, include: { attemptLog: { orderBy: { attempt: "asc" } } }, orderBy: { createdAt: "asc" } });
}

describe("delivery", () => {
  test("a subscribed event is POSTed once with headers and a signature that verifies with the secret shown at creation", async () => {
    const created = await hook();
    const stored = await getPrisma().webhook.findUniqueOrThrow({ where: { id: created.id } });
    expect(stored.secret).not.toContain(created.secret);
    expect(await decryptWebhookSecret(stored.secret)).toBe(created.secret);

    const now = new Date();
    await publish("kill_switch.pulled", now);
    await publish("change_request.opened", now); // not subscribed
    const results = await deliverDueWebhooks(now);
    expect(results).toEqual([expect.objectContaining({ status: "succeeded", responseStatus: 200 })]);
    expect(receiver.received).toHaveLength(1);

    const [{ headers, body }] = receiver.received;
    const [delivery] = await deliveriesOf(created.id);
    expect(headers["x-switchyard-event"]).toBe("kill_switch.pulled");
    expect(headers["x-switchyard-delivery"]).toBe(delivery.id);
    expect(headers["content-type"]).toBe("application/json");
    const timestamp = headers["x-switchyard-timestamp"] as string;
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(60);
    const signature = headers["x-switchyard-signature"] as string;
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(created.secret, timestamp, body, signature)).toBe(true);
    expect(verifyWebhookSignature(created.secret, timestamp, body + " ", signature)).toBe(false);
    expect(verifyWebhookSignature("whsec_wrong", timestamp, body, signature)).toBe(false);

    expect(JSON.parse(body)).toMatchObject({
      id: delivery.id,
      type: "kill_switch.pulled",
      title: "Kill switch pulled on checkout in Production",
      url: `https://switchyard.example.test/${fx.projectKey}/production/flags/checkout`,
      actor: "alice@example.test",
      data: { flagKey: "checkout" },
    });
    expect(delivery).toMatchObject({ status: "succeeded", attempts: 1, responseStatus: 200, responseBody: "ok", nextAttemptAt: null });
    expect(delivery.attemptLog).toEqual([expect.objectContaining({ attempt: 1, responseStatus: 200, error: null })]);
    expect(await deliverDueWebhooks(new Date(now.getTime() + 3_600_000))).toEqual([]);
  });

  test("a 500 is retried after a jittered backoff, then succeeds; each attempt is logged", async () => {
    const created = await hook();
    receiver.replies.push({ status: 500, body: "boom ".repeat(1000) });
    const now = new Date();
    await publish("kill_switch.pulled", now);

    const [first] = await deliverDueWebhooks(now, { random: () => 0.5 });
    expect(first).toMatchObject({ status: "pending", responseStatus: 500, error: "The receiver answered 500." });
    const [pending] = await deliveriesOf(created.id);
    // Full jitter over [0, base): random 0.5 → half the base delay.
    expect(pending.nextAttemptAt!.getTime() - now.getTime()).toBe(RETRY_BASE_MS / 2);
    expect(pending.responseBody!.length).toBe(2048);

    expect(await deliverDueWebhooks(new Date(now.getTime() + RETRY_BASE_MS / 2 - 1))).toEqual([]);
    const [second] = await deliverDueWebhooks(pending.nextAttemptAt!);
    expect(second).toMatchObject({ status: "succeeded", attempt: 2, responseStatus: 200 });
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[0].headers["x-switchyard-delivery"]).toBe(receiver.received[1].headers["x-switchyard-delivery"]);
    const [done] = await deliveriesOf(created.id);
    expect(done.attemptLog.map((a) => [a.attempt, a.responseStatus])).toEqual([
      [1, 500],
      [2, 200],
    ]);
  });

  test("a receiver that does not answer in time is a failed attempt after the webhook's timeout", async () => {
    const created = await hook({ timeoutMs: 600 });
    receiver.replies.push("hang");
    const now = new Date();
    await publish("kill_switch.pulled", now);
    const started = Date.now();
    const [result] = await deliverDueWebhooks(now);
    const took = Date.now() - started;
    expect(result).toMatchObject({ status: "pending", responseStatus: null, error: "Timed out after 600 ms." });
    expect(took).toBeGreaterThanOrEqual(590);
    expect(took).toBeLessThan(5000);
    const [delivery] = await deliveriesOf(created.id);
    expect(delivery.durationMs).toBeGreaterThanOrEqual(590);
  });

  test("after maxAttempts failures the delivery is failed and no longer sent", async () => {
    const created = await hook({ maxAttempts: 3 });
    for (let i = 0; i < 5; i++) receiver.replies.push({ status: 503 });
    let now = new Date();
    await publish("kill_switch.pulled", now);
    const statuses: string[] = [];
    for (let i = 0; i < 4; i++) {
      const results = await deliverDueWebhooks(now);
      statuses.push(...results.map((r) => r.status));
      now = new Date(now.getTime() + 2 * 3_600_000);
    }
    expect(statuses).toEqual(["pending", "pending", "failed"]);
    expect(receiver.received).toHaveLength(3);
    const [delivery] = await deliveriesOf(created.id);
    expect(delivery).toMatchObject({ status: "failed", attempts: 3, responseStatus: 503, nextAttemptAt: null });
    expect(delivery.attemptLog).toHaveLength(3);
  });

  test("two workers at once never send a delivery twice (FOR UPDATE SKIP LOCKED claims)", async () => {
    const created = await hook();
    const slow = await startWebhookReceiver({ status: 200, delayMs: 20 });
    try {
      await getPrisma().webhook.update({ where: { id: created.id }, data: { url: slow.url } });
      const now = new Date();
      for (let i = 0; i < 30; i++) await publish("kill_switch.pulled", now);
      const [a, b] = await Promise.all([deliverDueWebhooks(now, { limit: 20 }), deliverDueWebhooks(now, { limit: 20 })]);
      const rest = await deliverDueWebhooks(now, { limit: 20 });
      const ids = [...a, ...b, ...rest].map((r) => r.id);
      expect(ids).toHaveLength(30);
      expect(new Set(ids).size).toBe(30);
      const sent = slow.received.map((r) => r.headers["x-switchyard-delivery"]);
      expect(sent).toHaveLength(30);
      expect(new Set(sent).size).toBe(30);
      expect(await getPrisma().webhookDelivery.count({ where: { webhookId: created.id, status: "succeeded", attempts: 1 } })).toBe(30);
    } finally {
      await slow.close();
    }
  });

  test("a claim is a lease: nobody retakes it until the request's deadline has passed, and the late worker's result is then ignored", async () => {
    const created = await hook({ timeoutMs: 1000 });
    const now = new Date();
    await publish("kill_switch.pulled", now);
    const [claimed] = await claimDueDeliveries(now, 10);
    expect(claimed).toMatchObject({ webhookId: created.id, attempt: 1 });
    expect(await claimDueDeliveries(new Date(now.getTime() + 1000 + CLAIM_MARGIN_MS - 1), 10)).toEqual([]);
    const [retaken] = await claimDueDeliveries(new Date(now.getTime() + 1000 + CLAIM_MARGIN_MS), 10);
    expect(retaken).toMatchObject({ id: claimed.id, attempt: 2 });
    const late = { startedAt: now, durationMs: 5, responseStatus: 200, responseBody: "", error: null, status: "succeeded" as const, nextAttemptAt: null };
    expect(await recordDeliveryAttempt(claimed, late)).toBe(false);
    expect(await recordDeliveryAttempt(retaken, late)).toBe(true);
  });

  test("the Slack format posts {text, blocks} with a readable sentence and a link to the console", async () => {
    await hook({ format: "slack" });
    const now = new Date();
    await publish("kill_switch.pulled", now);
    await deliverDueWebhooks(now);
    const message = JSON.parse(receiver.received[0].body);
    const link = `https://switchyard.example.test/${fx.projectKey}/production/flags/checkout`;
    expect(Object.keys(message).sort()).toEqual(["blocks", "text"]);
    expect(message.text).toBe(`Kill switch pulled on checkout in Production — by alice@example.test (${link})`);
    expect(message.blocks[0]).toEqual({ type: "section", text: { type: "mrkdwn", text: `*<${link}|Kill switch pulled on checkout in Production>*\nReason: &lt;payments down&gt; &amp; more` } });
    expect(message.blocks[1]).toMatchObject({ type: "context", elements: [{ type: "mrkdwn", text: "kill_switch.pulled · production · by alice@example.test" }] });
  });

  test("disabled webhooks get nothing queued; events from real actions are queued in their transaction", async () => {
    const off = await hook({ enabled: false });
    const on = await hook();
    const pulled = await pullKillSwitch(admin, { environmentKey: "development", flagKey: "checkout", action: "turn_off", reason: "webhook test" });
    expect(pulled.outcome).toBe("applied");
    expect(await deliveriesOf(off.id)).toHaveLength(0);
    const [queued] = await deliveriesOf(on.id);
    expect(queued).toMatchObject({ event: "kill_switch.pulled", status: "pending" });
    expect((queued.payload as { title: string }).title).toMatch(/checkout/);
  });

  test("flag.expiring is announced by the scheduler once per flag and expiry day", async () => {
    const created = await hook({ events: ["flag.expiring"] });
    const now = new Date();
    await getPrisma().flag.update({ where: { projectId_key: { projectId: fx.projectId, key: "checkout" } }, data: { expiresAt: new Date(now.getTime() + 3 * 86_400_000) } });
    try {
      const first = await runSchedulerTick(now);
      expect(first.expiringFlagsAnnounced).toBeGreaterThanOrEqual(1);
      await runSchedulerTick(new Date(now.getTime() + 60_000));
      const deliveries = await deliveriesOf(created.id);
      expect(deliveries).toHaveLength(1);
      expect(deliveries[0].payload).toMatchObject({ type: "flag.expiring", data: { flagKey: "checkout", daysLeft: 3 } });
    } finally {
      await getPrisma().flag.update({ where: { projectId_key: { projectId: fx.projectId, key: "checkout" } }, data: { expiresAt: null } });
    }
  });
});

describe("the SSRF guard", () => {
  test("a private host is refused at save without WEBHOOK_ALLOW_PRIVATE, and nothing is stored", async () => {
    delete process.env.WEBHOOK_ALLOW_PRIVATE;
    const before = await mutableState(fx.projectId);
    for (const url of ["http://127.0.0.1:8080/hook", "http://localhost/hook", "http://169.254.169.254/latest/meta-data", "http://[::1]/x", "http://10.0.0.5/x"]) {
      const result = await executeAction(createWebhookDefinition, { projectKey: fx.projectKey, name: "internal", url, events: ["kill_switch.pulled"] }, fx.byRole.admin.user);
      expect(result, url).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED", fieldErrors: { url: expect.stringMatching(/private or local address/) } } });
    }
    const rest = await callRoute(webhooksRoute.POST, { method: "POST", path: "/x", token: fx.byRole.admin.serviceToken, params: { project: fx.projectKey }, body: { name: "x", url: "http://127.0.0.1/", events: ["flag.expiring"] } });
    expect(rest.status).toBe(400);
    expect(rest.body.error.details.fields.url).toMatch(/WEBHOOK_ALLOW_PRIVATE/);
    expect(await mutableState(fx.projectId)).toEqual(before);
  });

  test("a private host is refused again at delivery time (the setting was lifted after saving)", async () => {
    const created = await hook();
    const now = new Date();
    await publish("kill_switch.pulled", now);
    delete process.env.WEBHOOK_ALLOW_PRIVATE;
    const [result] = await deliverDueWebhooks(now);
    expect(result).toMatchObject({ status: "pending", responseStatus: null, error: expect.stringMatching(/127\.0\.0\.1.*private or local/) });
    expect(receiver.received).toHaveLength(0);
    const [delivery] = await deliveriesOf(created.id);
    expect(delivery.attemptLog[0].error).toMatch(/private/);
  });
});

describe("bad input and management", () => {
  test.each(["ftp://example.com/hook", "file:///etc/passwd", "javascript:alert(1)", "not a url", "gopher://example.com"])("%s is refused as not http(s), nothing changes", async (url) => {
    const before = await mutableState(fx.projectId);
    const result = await executeAction(createWebhookDefinition, { projectKey: fx.projectKey, name: "bad", url, events: ["kill_switch.pulled"] }, fx.byRole.admin.user);
    expect(result).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED", fieldErrors: { url: "Enter an http:// or https:// URL." } } });
    const rest = await callRoute(webhooksRoute.POST, { method: "POST", path: "/x", token: fx.byRole.admin.serviceToken, params: { project: fx.projectKey }, body: { name: "bad", url, events: ["kill_switch.pulled"] } });
    expect(rest.status).toBe(400);
    expect(rest.body.error.details.fields.url).toBe("Enter an http:// or https:// URL.");
    expect(await mutableState(fx.projectId)).toEqual(before);
  });

  test("unknown events, absurd timeouts and empty updates are refused with field errors", async () => {
    const bad = await executeAction(createWebhookDefinition, { projectKey: fx.projectKey, name: "x", url: receiver.url, events: ["flag.deleted"], timeoutMs: 10 }, fx.byRole.admin.user);
    expect(bad).toMatchObject({ ok: false, error: { fieldErrors: { "events.0": expect.stringMatching(/Choose events/), timeoutMs: "Use at least 500 ms." } } });
    const created = await hook();
    const empty = await callRoute(webhookRoute.PATCH, { method: "PATCH", path: "/x", token: fx.byRole.admin.serviceToken, params: { project: fx.projectKey, id: created.id }, body: {} });
    expect(empty.status).toBe(400);
    const missing = await callRoute(webhookRoute.PATCH, { method: "PATCH", path: "/x", token: fx.byRole.admin.serviceToken, params: { project: fx.projectKey, id: "nope" }, body: { name: "x" } });
    expect(missing.status).toBe(404);
  });

  test("REST: create (secret once), list (no secret), update, delivery log, delete — each audited", async () => {
    const token = fx.byRole.admin.serviceToken;
    const created = await callRoute(webhooksRoute.POST, { method: "POST", path: "/x", token, params: { project: fx.projectKey }, body: { name: "rest hook", url: receiver.url, events: ["change_request.opened", "kill_switch.pulled"] } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: "rest hook", format: "json", enabled: true, timeoutMs: 5000, maxAttempts: 8, secret: expect.stringMatching(/^whsec_/) });
    const id = created.body.id as string;
    const listed = await callRoute(webhooksRoute.GET, { method: "GET", path: "/x", token: fx.byRole.viewer.serviceToken, params: { project: fx.projectKey } });
    expect(listed.status).toBe(200);
    const row = listed.body.webhooks.find((w: { id: string }) => w.id === id);
    expect(row).toBeDefined();
    expect(JSON.stringify(listed.body)).not.toContain("secret");
    // A viewer sees the origin only (paths may hold the receiver's secret); an admin the whole URL.
    expect(row.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/… \(#[0-9a-f]{8}\)$/);
    const asAdmin = await callRoute(webhooksRoute.GET, { method: "GET", path: "/x", token, params: { project: fx.projectKey } });
    expect(asAdmin.body.webhooks.find((w: { id: string }) => w.id === id).url).toBe(created.body.url);

    const patched = await callRoute(webhookRoute.PATCH, { method: "PATCH", path: "/x", token, params: { project: fx.projectKey, id }, body: { format: "slack", timeoutMs: 1500 } });
    expect(patched).toMatchObject({ status: 200, body: { format: "slack", timeoutMs: 1500, name: "rest hook" } });

    const now = new Date();
    await publish("change_request.opened", now);
    await deliverDueWebhooks(now);
    const log = await callRoute(deliveriesRoute.GET, { method: "GET", path: "/x?limit=5", token: fx.byRole.viewer.serviceToken, params: { project: fx.projectKey, id } });
    expect(log.status).toBe(200);
    expect(log.body.deliveries).toEqual([expect.objectContaining({ event: "change_request.opened", status: "succeeded", responseStatus: 200, attempts: 1, attemptLog: [expect.objectContaining({ attempt: 1, responseStatus: 200 })] })]);
    const badLimit = await callRoute(deliveriesRoute.GET, { method: "GET", path: "/x?limit=0", token, params: { project: fx.projectKey, id } });
    expect(badLimit.status).toBe(400);

    const deleted = await callRoute(webhookRoute.DELETE, { method: "DELETE", path: "/x", token, params: { project: fx.projectKey, id } });
    expect(deleted.status).toBe(204);
    expect(await getPrisma().webhookDelivery.count({ where: { webhookId: id } })).toBe(0);
    const actions = (await getPrisma().auditEvent.findMany({ where: { entityType: "webhook", entityKey: id }, orderBy: { id: "asc" } })).map((e) => e.action);
    expect(actions).toEqual(["webhook.created", "webhook.updated", "webhook.deleted"]);
    const createdEntry = await getPrisma().auditEvent.findFirstOrThrow({ where: { entityKey: id, action: "webhook.created" } });
    expect((createdEntry.after as { url: string }).url).not.toBe(created.body.url);
    expect((createdEntry.after as { url: string }).url).toMatch(/\/… \(#[0-9a-f]{8}\)$/);
  });

  test("console actions: send test (200 in the log), rotate the secret (old one no longer verifies), redeliver a failed delivery, update, delete", async () => {
    const created = await hook();
    const user = fx.byRole.admin.user;
    const test1 = await executeAction(sendTestWebhookDefinition, { projectKey: fx.projectKey, webhookId: created.id }, user);
    expect(test1).toMatchObject({ ok: true, data: { status: "succeeded", responseStatus: 200 } });
    expect(receiver.received[0].headers["x-switchyard-event"]).toBe("webhook.test");
    expect((await listDeliveriesJson(admin, created.id))[0]).toMatchObject({ event: "webhook.test", status: "succeeded", responseStatus: 200 });

    const rotated = await executeAction(rotateWebhookSecretDefinition, { projectKey: fx.projectKey, webhookId: created.id }, user);
    expect(rotated.ok).toBe(true);
    const newSecret = (rotated as { data: { secret: string } }).data.secret;
    expect(newSecret).not.toBe(created.secret);
    receiver.replies.push({ status: 500 });
    const failedTest = await executeAction(sendTestWebhookDefinition, { projectKey: fx.projectKey, webhookId: created.id }, user);
    // A test is one attempt: it fails at once instead of waiting for retries.
    expect(failedTest).toMatchObject({ ok: true, data: { status: "failed", responseStatus: 500 } });
    const { headers, body } = receiver.received[1];
    const ts = headers["x-switchyard-timestamp"] as string;
    expect(verifyWebhookSignature(newSecret, ts, body, headers["x-switchyard-signature"] as string)).toBe(true);
    expect(verifyWebhookSignature(created.secret, ts, body, headers["x-switchyard-signature"] as string)).toBe(false);

    const failedId = headers["x-switchyard-delivery"] as string;
    const redelivered = await executeAction(redeliverWebhookDefinition, { projectKey: fx.projectKey, webhookId: created.id, deliveryId: failedId }, user);
    expect(redelivered).toMatchObject({ ok: true, data: { id: failedId, status: "succeeded", attempt: 2 } });
    expect(receiver.received[2].headers["x-switchyard-delivery"]).toBe(failedId);
    const again = await executeAction(redeliverWebhookDefinition, { projectKey: fx.projectKey, webhookId: created.id, deliveryId: "nope" }, user);
    expect(again).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });

    const disabled = await executeAction(updateWebhookDefinition, { projectKey: fx.projectKey, webhookId: created.id, changes: { enabled: false } }, user);
    expect(disabled).toMatchObject({ ok: true, data: { enabled: false } });
    const refused = await executeAction(sendTestWebhookDefinition, { projectKey: fx.projectKey, webhookId: created.id }, user);
    expect(refused).toMatchObject({ ok: false, error: { code: "CONFLICT" } });
    expect(await executeAction(deleteWebhookDefinition, { projectKey: fx.projectKey, webhookId: created.id }, user)).toMatchObject({ ok: true });
    const actions = (await getPrisma().auditEvent.findMany({ where: { entityType: "webhook", entityKey: created.id }, orderBy: { id: "asc" } })).map((e) => e.action);
    expect(actions).toEqual(["webhook.created", "webhook.secret_rotated", "webhook.updated", "webhook.deleted"]);
    const rotation = await getPrisma().auditEvent.findFirstOrThrow({ where: { entityKey: created.id, action: "webhook.secret_rotated" } });
    expect(JSON.stringify([rotation.before, rotation.after])).not.toContain(newSecret.slice(6));
  });

  test("the webhook routes are in the OpenAPI document", async () => {
    const response = await openapiRoute.GET();
    const document = await response.json();
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(["/api/v1/projects/{project}/webhooks", "/api/v1/projects/{project}/webhooks/{id}", "/api/v1/projects/{project}/webhooks/{id}/deliveries"]));
  });
});
