import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createClient } from "./client";
import { boolFlag, capturingLogger, demoSnapshot, fastOptions, waitFor } from "./test-fixtures";
import { TestServer } from "./test-server";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function startServer() {
  const server = new TestServer({ snapshot: demoSnapshot(1) });
  await server.start();
  cleanups.push(() => server.stop());
  return server;
}

const user = { targetingKey: "user-1" };

describe("polling", () => {
  it("polls the snapshot endpoint with If-None-Match and handles 304 and 200", async () => {
    const server = await startServer();
    const logger = capturingLogger();
    const client = createClient({ ...fastOptions(server.url, server.sdkKey, logger), stream: false, pollIntervalMs: 100, sendEvents: false });
    cleanups.push(() => client.close());
    expect((await client.waitForInitialization(5_000)).initialized).toBe(true);
    await waitFor(() => server.requestsTo("/api/v1/sdk/snapshot").length >= 3, 5_000, "polls");
    const polls = server.requestsTo("/api/v1/sdk/snapshot");
    expect(polls[0].headers["if-none-match"]).toBeUndefined();
    // The SDK asks for snapshot format 2, which has its own ETag.
    expect(polls.map((p) => p.format)).toEqual(polls.map(() => "2"));
    expect(polls[1].headers["if-none-match"]).toBe('"production:1:f2"');
    expect(server.requestsTo("/api/v1/sdk/stream")).toHaveLength(0);

    server.publish({ upsertFlags: [boolFlag("new-checkout", "on")] });
    await waitFor(() => client.version === 2, 5_000, "polled change");
    expect(client.boolVariation("new-checkout", user, false)).toBe(true);
    await waitFor(() => server.requestsTo("/api/v1/sdk/snapshot").at(-1)?.headers["if-none-match"] === '"production:2:f2"', 5_000, "new ETag");
    expect(client.status).toBe("ready");
  });

  it("falls back to polling when the stream endpoint fails, and stops polling once the stream works", async () => {
    const server = await startServer();
    server.streamStatus = 404; // e.g. a proxy that does not pass SSE through
    const logger = capturingLogger();
    const client = createClient({ ...fastOptions(server.url, server.sdkKey, logger), pollIntervalMs: 100, sendEvents: false });
    cleanups.push(() => client.close());
    expect((await client.waitForInitialization(5_000)).initialized).toBe(true);
    const statuses: string[] = [];
    client.on("status", (s) => statuses.push(s));
    server.publish({ upsertFlags: [boolFlag("new-checkout", "on")] });
    await waitFor(() => client.version === 2, 5_000, "change through polling");
    await waitFor(() => server.requestsTo("/api/v1/sdk/stream").length >= 4, 5_000, "stream retries");
    expect(client.status).toBe("ready");
    expect(statuses).toEqual([]); // stream failures while polling works are not an outage

    server.streamStatus = null;
    await waitFor(() => server.streamClients === 1, 5_000, "stream reconnect");
    const polls = server.requestsTo("/api/v1/sdk/snapshot").length;
    await new Promise((r) => setTimeout(r, 300));
    expect(server.requestsTo("/api/v1/sdk/snapshot").length).toBe(polls);
    server.publish({ upsertFlags: [boolFlag("new-checkout", "off")] });
    await waitFor(() => client.version === 3, 5_000, "change through the stream");
  });

  it("falls back to polling when the stream request gets no response in time", async () => {
    const server = await startServer();
    server.hangStream = true;
    const client = createClient({ ...fastOptions(server.url, server.sdkKey, capturingLogger()), requestTimeoutMs: 300, sendEvents: false });
    cleanups.push(() => client.close());
    const t0 = Date.now();
    expect((await client.waitForInitialization(3_000)).initialized).toBe(true);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
    expect(server.requestsTo("/api/v1/sdk/snapshot").length).toBeGreaterThan(0);
  });

  it("stops polling on 401", async () => {
    const server = await startServer();
    server.forceAuthStatus = 401;
    const client = createClient({ ...fastOptions(server.url, server.sdkKey, capturingLogger()), stream: false, pollIntervalMs: 50, sendEvents: false });
    cleanups.push(() => client.close());
    expect((await client.waitForInitialization(5_000)).status).toBe("unauthorized");
    await new Promise((r) => setTimeout(r, 250));
    expect(server.requests).toHaveLength(1);
  });
});

describe("bootstrap", () => {
  it("serves a bootstrap object at once, with no network", async () => {
    const logger = capturingLogger();
    const client = createClient({ baseUrl: "http://127.0.0.1:9", sdkKey: "k", bootstrap: demoSnapshot(7), offline: true, logger });
    cleanups.push(() => client.close());
    expect(client.boolVariation("new-checkout", { targetingKey: "vip" }, false)).toBe(true);
    expect(await client.waitForInitialization(10)).toEqual({ initialized: true, status: "ready", version: 7 });
    expect(client.eventStats().queued).toBe(0); // offline: no events
  });

  it("reads a bootstrap file and serves it while the server is unreachable, then takes the server's version", async () => {
    const dir = mkdtempSync(join(tmpdir(), "switchyard-sdk-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, "snapshot.json");
    const snap = demoSnapshot(5);
    snap.flags.push(boolFlag("from-file", "on"));
    writeFileSync(file, JSON.stringify(snap));

    const server = new TestServer({ snapshot: demoSnapshot(6) });
    await server.start();
    const url = server.url;
    await server.stop();
    cleanups.push(() => server.stop());

    const logger = capturingLogger();
    const client = createClient({ ...fastOptions(url, server.sdkKey, logger), bootstrap: file, sendEvents: false });
    cleanups.push(() => client.close());
    expect(client.boolVariation("from-file", user, false)).toBe(true);
    const init = await client.waitForInitialization(1_000);
    expect(init).toMatchObject({ initialized: true, version: 5 });
    await waitFor(() => client.status === "stale", 5_000, "stale");
    expect(client.boolVariation("from-file", user, false)).toBe(true);

    await server.start();
    await waitFor(() => client.version === 6, 5_000, "server snapshot");
    expect(client.boolVariationDetail("from-file", user, false).errorCode).toBe("FLAG_NOT_FOUND");
    // The bootstrap's version is not claimed on the stream: the first connect asks for a full put.
    expect(server.requestsTo("/api/v1/sdk/stream")[0].headers["last-event-id"]).toBeUndefined();
  });

  it("logs and ignores a missing or invalid bootstrap without throwing", () => {
    const logger = capturingLogger();
    const a = createClient({ baseUrl: "", sdkKey: "", offline: true, bootstrap: "/nonexistent/snapshot.json", logger });
    const b = createClient({ baseUrl: "", sdkKey: "", offline: true, bootstrap: { version: "x" } as never, logger });
    cleanups.push(() => a.close(), () => b.close());
    expect(a.boolVariationDetail("x", user, true)).toMatchObject({ value: true, errorCode: "CLIENT_NOT_READY" });
    expect(b.status).toBe("initializing");
    expect(logger.has("error", /Could not read the bootstrap file/)).toBe(true);
    expect(logger.has("error", /Ignoring the bootstrap: Invalid snapshot: version/)).toBe(true);
  });

  it("requires baseUrl and sdkKey unless offline", () => {
    expect(() => createClient({ baseUrl: "", sdkKey: "k" })).toThrow(TypeError);
  });
});
