import { afterEach, describe, expect, it } from "vitest";
import { createClient, type SwitchyardClient } from "./client";
import { boolFlag, capturingLogger, demoSnapshot, fastOptions, waitFor } from "./test-fixtures";
import { TestServer, type TestServerOptions } from "./test-server";
import type { ChangeEvent, ClientOptions, ClientStatus } from "./types";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(serverOptions: TestServerOptions = {}, clientOptions: Partial<ClientOptions> = {}) {
  const server = new TestServer({ snapshot: demoSnapshot(1), heartbeatMs: 100, ...serverOptions });
  await server.start();
  cleanups.push(() => server.stop());
  const logger = capturingLogger();
  const client = createClient({ ...fastOptions(server.url, server.sdkKey, logger), sendEvents: false, ...clientOptions });
  cleanups.push(() => client.close());
  const changes: ChangeEvent[] = [];
  const statuses: ClientStatus[] = [];
  client.on("change", (c) => changes.push(c));
  client.on("status", (s) => statuses.push(s));
  return { server, client, logger, changes, statuses };
}

const user = { targetingKey: "user-1" };

function checkoutOn(client: SwitchyardClient): boolean {
  return client.boolVariation("new-checkout", user, false);
}

describe("streaming", () => {
  it("initialises from the stream's put", async () => {
    const { server, client } = await setup();
    const init = await client.waitForInitialization(5_000);
    expect(init).toEqual({ initialized: true, status: "ready", version: 1 });
    expect(client.boolVariation("new-checkout", { targetingKey: "vip" }, false)).toBe(true);
    expect(checkoutOn(client)).toBe(false);
    const stream = server.requestsTo("/api/v1/sdk/stream")[0];
    expect(stream.headers.authorization).toBe(`Bearer ${server.sdkKey}`);
    expect(stream.headers.accept).toBe("text/event-stream");
    expect(stream.headers["last-event-id"]).toBeUndefined();
    expect(server.requestsTo("/api/v1/sdk/snapshot")).toHaveLength(0);
  });

  it("emits ready once, also to a listener attached after initialisation", async () => {
    const { client } = await setup();
    const seen: number[] = [];
    client.on("ready", (e) => seen.push(e.version));
    await client.waitForInitialization(5_000);
    client.on("ready", (e) => seen.push(e.version * 10));
    await waitFor(() => seen.length === 2);
    expect(seen).toEqual([1, 10]);
  });

  it("applies a patch: the change reaches the client with the changed flag keys", async () => {
    const { server, client, changes } = await setup();
    await client.waitForInitialization(5_000);
    server.publish({ upsertFlags: [boolFlag("new-checkout", "on")] });
    await waitFor(() => checkoutOn(client), 5_000, "patched flag");
    expect(client.version).toBe(2);
    expect(changes).toEqual([{ flagKeys: ["new-checkout"], version: 2, previousVersion: 1 }]);
  });

  it("applies a put: a full snapshot replaces the previous one", async () => {
    const { server, client, changes } = await setup();
    await client.waitForInitialization(5_000);
    server.publish({ upsertFlags: [boolFlag("new-checkout", "on")], deletedFlags: ["killed"] }, { asPut: true });
    await waitFor(() => client.version === 2, 5_000, "put");
    expect(checkoutOn(client)).toBe(true);
    expect(client.boolVariationDetail("killed", user, true).errorCode).toBe("FLAG_NOT_FOUND");
    expect(changes.at(-1)?.flagKeys.sort()).toEqual(["killed", "new-checkout"]);
  });

  it("reports flags that depend on a changed segment as changed", async () => {
    const { server, client, changes } = await setup();
    await client.waitForInitialization(5_000);
    server.publish({ upsertSegments: [{ key: "beta", included: ["user-1"], excluded: [], rules: [] }] });
    await waitFor(() => client.version === 2);
    expect(changes[0].flagKeys).toEqual(["banner-text"]);
    expect(client.stringVariation("banner-text", user, "")).toBe("Welcome, beta tester");
  });

  it("fetches the full snapshot when a patch does not apply to the current version", async () => {
    const { server, client, logger } = await setup();
    await client.waitForInitialization(5_000);
    // Versions 2 and 3 exist on the server, but the stream only carries 3's patch (2 was lost).
    server.publish({ upsertFlags: [boolFlag("a-flag", "on")] }, { send: false });
    const v3 = server.publish({ upsertFlags: [boolFlag("new-checkout", "on")] }, { send: false });
    server.sendRaw(server.frame("patch", server.patches.at(-1), v3));
    await waitFor(() => client.version === 3, 5_000, "re-fetch");
    expect(server.requestsTo("/api/v1/sdk/snapshot")).toHaveLength(1);
    expect(client.boolVariation("a-flag", user, false)).toBe(true);
    expect(checkoutOn(client)).toBe(true);
    expect(logger.has("info", /does not apply to version 1/)).toBe(true);
    // A replayed, older patch is ignored.
    server.sendRaw(server.frame("patch", server.patches[0], 2));
    await new Promise((r) => setTimeout(r, 100));
    expect(client.version).toBe(3);
  });

  it("re-fetches after an event whose JSON is broken", async () => {
    const { server, client, logger } = await setup();
    await client.waitForInitialization(5_000);
    server.publish({ upsertFlags: [boolFlag("new-checkout", "on")] }, { send: false });
    server.sendRaw("id: 2\nevent: patch\ndata: {\"fromVersion\": 1,\n\n");
    await waitFor(() => client.version === 2, 5_000, "re-fetch");
    expect(logger.has("error", /not valid JSON/)).toBe(true);
  });

  it.each([
    ["CRLF line endings, multi-line data, 7-byte writes", { eol: "\r\n", multiLineData: true, splitWritesBytes: 7 }],
    ["CR line endings, 1-byte writes", { eol: "\r", splitWritesBytes: 1 }],
  ] as const)("parses real-world framing: %s", async (_name, framing) => {
    const { server, client } = await setup(framing as TestServerOptions);
    await client.waitForInitialization(5_000);
    expect(client.version).toBe(1);
    server.publish({ upsertFlags: [boolFlag("new-checkout", "on")] });
    await waitFor(() => checkoutOn(client), 5_000, "patch");
  });

  it("ignores unknown events and comments", async () => {
    const { server, client } = await setup();
    await client.waitForInitialization(5_000);
    server.sendRaw(": just a comment\n\nevent: ping\ndata: {}\n\ndata: plain message\n\n");
    server.publish({ upsertFlags: [boolFlag("new-checkout", "on")] });
    await waitFor(() => client.version === 2);
  });

  it("keeps serving the last snapshot while the server is away, then recovers and resumes with Last-Event-ID", async () => {
    const { server, client, statuses } = await setup();
    await client.waitForInitialization(5_000);
    server.publish({ upsertFlags: [boolFlag("new-checkout", "on")] });
    await waitFor(() => client.version === 2);

    await server.stop();
    await waitFor(() => client.status === "stale", 5_000, "stale status");
    expect(checkoutOn(client)).toBe(true); // last snapshot still served
    await new Promise((r) => setTimeout(r, 300)); // a few failed reconnects and polls
    expect(checkoutOn(client)).toBe(true);

    // Changes made while the client could not hear them.
    server.publish({ upsertFlags: [boolFlag("new-checkout", "off"), boolFlag("while-away", "on")] });
    const before = server.requestsTo("/api/v1/sdk/stream").length;
    await server.start();
    await waitFor(() => client.version === 3, 5_000, "recovery");
    expect(client.status).toBe("ready");
    expect(checkoutOn(client)).toBe(false);
    expect(client.boolVariation("while-away", user, false)).toBe(true);
    expect(statuses).toContain("stale");
    expect(statuses.at(-1)).toBe("ready");
    // The version may arrive by a poll or by the stream, whichever reconnects first; the stream comes back either way.
    await waitFor(() => server.streamClients === 1, 5_000, "stream reconnect");
    const resumed = server.requestsTo("/api/v1/sdk/stream").slice(before);
    // Reconnect resumes from the version held (unless a poll refreshed it first).
    expect(["2", "3"]).toContain(resumed[0].headers["last-event-id"]);
  });

  it("resumes with Last-Event-ID: after a reconnect the server sends only the missed patches", async () => {
    const { server, client } = await setup();
    await client.waitForInitialization(5_000);
    server.snapshotStatus = 503; // only the stream can bring the change
    await server.stop();
    await waitFor(() => client.status === "stale", 5_000, "stale");
    server.publish({ upsertFlags: [boolFlag("new-checkout", "on")] });
    server.publish({ upsertFlags: [boolFlag("second", "on")] });
    await server.start();
    await waitFor(() => client.version === 3, 5_000, "resumed");
    expect(server.connectReplies).toEqual(["put", "patches"]);
    expect(server.requestsTo("/api/v1/sdk/stream").at(-1)?.headers["last-event-id"]).toBe("1");
    expect(checkoutOn(client)).toBe(true);
    expect(client.boolVariation("second", user, false)).toBe(true);
  });

  it("reconnects after a clean end of the stream without polling or going stale", async () => {
    const { server, client, statuses } = await setup();
    await client.waitForInitialization(5_000);
    server.endStreams();
    await waitFor(() => server.streamClients === 1 && server.requestsTo("/api/v1/sdk/stream").length === 2, 5_000, "reconnect");
    expect(server.requestsTo("/api/v1/sdk/stream")[1].headers["last-event-id"]).toBe("1");
    expect(server.connectReplies).toEqual(["put", "none"]);
    expect(server.requestsTo("/api/v1/sdk/snapshot")).toHaveLength(0);
    expect(statuses).toEqual(["ready"]);
    server.publish({ upsertFlags: [boolFlag("new-checkout", "on")] });
    await waitFor(() => checkoutOn(client), 5_000, "patch after reconnect");
  });

  it("waits as long as the stream endpoint's Retry-After asks before reconnecting", async () => {
    const { server, client } = await setup({}, { pollIntervalMs: 60_000 });
    await client.waitForInitialization(5_000);
    server.streamStatus = 503;
    server.streamRetryAfter = "1";
    const before = server.requestsTo("/api/v1/sdk/stream").length;
    await server.stop(); // drop the connection; reconnects meet 503 + Retry-After: 1
    await server.start();
    await waitFor(() => server.requestsTo("/api/v1/sdk/stream").length >= before + 2, 5_000, "two reconnect attempts");
    const [a, b] = server.requestsTo("/api/v1/sdk/stream").slice(before);
    expect(b.at - a.at).toBeGreaterThanOrEqual(950);
  });

  it("stops on 401: no more requests, status unauthorized, an error event", async () => {
    const server = new TestServer({ snapshot: demoSnapshot(1) });
    await server.start();
    cleanups.push(() => server.stop());
    const logger = capturingLogger();
    const client = createClient({ ...fastOptions(server.url, "wrong-key", logger), sendEvents: false });
    cleanups.push(() => client.close());
    const errors: Error[] = [];
    client.on("error", (e) => errors.push(e));
    const init = await client.waitForInitialization(5_000);
    expect(init.initialized).toBe(false);
    expect(init.status).toBe("unauthorized");
    expect(init.reason).toMatch(/refused/);
    expect(errors[0].message).toMatch(/HTTP 401/);
    expect(logger.has("error", /refused the SDK key/)).toBe(true);
    const count = server.requests.length;
    await new Promise((r) => setTimeout(r, 400));
    expect(server.requests.length).toBe(count);
    expect(client.boolVariationDetail("new-checkout", user, true)).toMatchObject({ value: true, reason: "ERROR", errorCode: "CLIENT_NOT_READY" });
  });

  it("stops on 403 after initialisation and keeps serving the snapshot it has", async () => {
    const { server, client } = await setup();
    await client.waitForInitialization(5_000);
    server.forceAuthStatus = 403;
    await server.stop(); // drop the stream; the reconnect meets 403
    await server.start();
    await waitFor(() => client.status === "unauthorized", 5_000, "unauthorized");
    const count = server.requests.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(server.requests.length).toBe(count);
    expect(client.boolVariation("new-checkout", { targetingKey: "vip" }, false)).toBe(true);
  });

  it("reconnects when the stream goes silent (no heartbeat within the idle timeout)", async () => {
    const { server, client } = await setup({ heartbeatMs: 60_000 }, { streamIdleTimeoutMs: 150 });
    await client.waitForInitialization(5_000);
    await waitFor(() => server.requestsTo("/api/v1/sdk/stream").length >= 2, 5_000, "reconnect");
    expect(server.requestsTo("/api/v1/sdk/stream")[1].headers["last-event-id"]).toBe("1");
  });

  it("waitForInitialization resolves with a reason on timeout and never rejects", async () => {
    const server = new TestServer();
    await server.start();
    const url = server.url;
    await server.stop(); // nothing listens
    const logger = capturingLogger();
    const client = createClient({ ...fastOptions(url, "k", logger), sendEvents: false });
    cleanups.push(() => client.close());
    const t0 = Date.now();
    const init = await client.waitForInitialization(300);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(280);
    expect(init.initialized).toBe(false);
    expect(init.status).toBe("initializing");
    expect(init.reason).toMatch(/No snapshot within 300 ms/);
    expect(client.stringVariation("banner-text", user, "fallback")).toBe("fallback");
  });
});
