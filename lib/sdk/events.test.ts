import { afterEach, describe, expect, it } from "vitest";
import type { ExposureEvent, MetricEvent } from "../snapshots/wire-format";
import { createClient } from "./client";
import { BoundedQueue, ExposureDedup } from "./event-processor";
import { boolFlag, capturingLogger, demoSnapshot, fastOptions, waitFor } from "./test-fixtures";
import { TestServer } from "./test-server";
import type { ClientOptions } from "./types";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(clientOptions: Partial<ClientOptions> = {}) {
  const server = new TestServer({ snapshot: demoSnapshot(4) });
  await server.start();
  cleanups.push(() => server.stop());
  const logger = capturingLogger();
  const client = createClient({
    ...fastOptions(server.url, server.sdkKey, logger),
    bootstrap: demoSnapshot(4),
    stream: false,
    pollIntervalMs: 60_000,
    ...clientOptions,
  });
  cleanups.push(() => client.close());
  return { server, client, logger };
}

const exposures = (s: TestServer) => s.events.filter((e): e is ExposureEvent => e.kind === "exposure");
const metrics = (s: TestServer) => s.events.filter((e): e is MetricEvent => e.kind === "metric");

describe("exposure events", () => {
  it("sends one exposure per context × flag × variation, batched", async () => {
    const { server, client } = await setup();
    for (let i = 0; i < 100; i++) {
      for (const u of ["u1", "u2", "u3"]) client.boolVariation("new-checkout", { targetingKey: u, plan: "free", country: "FR" }, false);
    }
    client.boolVariation("new-checkout", { targetingKey: "u1", plan: "pro" }, false); // another variation for u1
    client.numberVariation("max-items", { targetingKey: "u1" }, 0);
    await waitFor(() => exposures(server).length === 5, 5_000, "exposures");
    expect(server.batches).toHaveLength(1);
    const e = exposures(server);
    expect(e[0]).toEqual({
      kind: "exposure",
      flagKey: "new-checkout",
      variationKey: "off",
      contextKey: "u1",
      attributes: { plan: "free", country: "FR" },
      timestamp: expect.any(Number),
      configVersion: 4,
    });
    expect(e.map((x) => `${x.contextKey}/${x.flagKey}/${x.variationKey}`)).toEqual([
      "u1/new-checkout/off",
      "u2/new-checkout/off",
      "u3/new-checkout/off",
      "u1/new-checkout/on",
      "u1/max-items/ten",
    ]);
    await waitFor(() => client.eventStats().sent === 5, 5_000, "acknowledgement"); // the server records before it answers
    expect(client.eventStats()).toMatchObject({ sent: 5, deduplicated: 297, queued: 0 });
    const post = server.requestsTo("/api/v1/events")[0];
    expect(post.headers.authorization).toBe(`Bearer ${server.sdkKey}`);
  });

  it("sends none for opted-out contexts, errors, defaults and contexts without a key", async () => {
    const { server, client } = await setup();
    client.stringVariation("exp", { targetingKey: "u1", experimentOptOut: true }, "");
    client.boolVariation("missing", { targetingKey: "u1" }, false); // FLAG_NOT_FOUND
    client.boolVariation("banner-text", { targetingKey: "u1" }, false); // TYPE_MISMATCH
    client.boolVariation("split", { plan: "x" }, false); // TARGETING_KEY_MISSING
    client.boolVariation("new-checkout", { plan: "pro" }, false); // served, but no key to count
    client.stringVariation("exp", { targetingKey: "u2" }, ""); // the only one
    await client.flush();
    expect(exposures(server).map((e) => `${e.contextKey}/${e.flagKey}/${e.variationKey}`)).toEqual(["u2/exp/treatment"]);
  });

  it("exposes again after the dedup window, and forgets least recently used keys beyond the bound", async () => {
    let now = 1_000_000;
    const { server, client } = await setup({ now: () => now, exposureDedupWindowMs: 60_000, exposureDedupMaxKeys: 2 });
    const ev = (u: string) => client.boolVariation("new-checkout", { targetingKey: u }, false);
    ev("a");
    ev("a");
    now += 59_999;
    ev("a");
    now += 2;
    ev("a"); // window over
    ev("b");
    ev("c"); // evicts "a" (least recently used)
    ev("a");
    await client.flush();
    expect(exposures(server).map((e) => e.contextKey)).toEqual(["a", "a", "b", "c", "a"]);
    expect(exposures(server)[1].timestamp).toBe(1_060_001);
  });

  it("strips configured private attributes locally", async () => {
    const { server, client } = await setup({ privateAttributes: ["email", "ip"] });
    client.boolVariation("new-checkout", { targetingKey: "u1", email: "a@b.c", ip: "1.2.3.4", plan: "pro" }, false);
    client.track("checkout", { targetingKey: "u1", email: "a@b.c", plan: "pro" });
    await client.flush();
    expect(server.events.map((e) => e.attributes)).toEqual([{ plan: "pro" }, { plan: "pro" }]);
  });
});

describe("metric events", () => {
  it("track sends metric events with and without a value", async () => {
    const { server, client, logger } = await setup();
    client.track("purchase", { targetingKey: "u1", plan: "pro" }, 49.5);
    client.track("signup", { targetingKey: "u2" });
    client.track("anonymous", { plan: "pro" }); // no key: not sent, warned once
    await client.flush();
    expect(metrics(server)).toEqual([
      { kind: "metric", metricKey: "purchase", value: 49.5, contextKey: "u1", attributes: { plan: "pro" }, timestamp: expect.any(Number) },
      { kind: "metric", metricKey: "signup", contextKey: "u2", timestamp: expect.any(Number) },
    ]);
    expect(logger.has("warn", /needs a context with a targetingKey/)).toBe(true);
  });
});

describe("delivery", () => {
  it("retries on 429, honouring Retry-After", async () => {
    const { server, client } = await setup({ eventsFlushIntervalMs: 60_000 });
    server.eventResponses.push({ status: 429, retryAfter: "1" });
    client.track("m", { targetingKey: "u1" });
    await client.flush();
    expect(server.eventPostTimes).toHaveLength(2);
    expect(server.eventPostTimes[1] - server.eventPostTimes[0]).toBeGreaterThanOrEqual(950);
    expect(metrics(server)).toHaveLength(1);
    expect(client.eventStats()).toMatchObject({ sent: 1, retries: 1, queued: 0 });
  });

  it("retries 5xx with backoff; after the last attempt the batch waits for the next flush, without duplicates", async () => {
    const { server, client } = await setup({ eventsFlushIntervalMs: 60_000, eventsMaxAttempts: 2 });
    server.eventResponses.push({ status: 500 }, { status: 503 }, { status: 502 });
    client.track("m", { targetingKey: "u1" });
    await client.flush(); // 500, then 503: back to the queue
    expect(client.eventStats()).toMatchObject({ queued: 1, sent: 0, failedFlushes: 1, lastError: "HTTP 503 from the events endpoint" });
    client.track("m2", { targetingKey: "u1" });
    await client.flush(); // 502, then accepted
    expect(metrics(server).map((m) => m.metricKey)).toEqual(["m", "m2"]);
    expect(client.eventStats()).toMatchObject({ queued: 0, sent: 2 });
  });

  it("drops a batch the server refuses (400) and counts it", async () => {
    const { server, client, logger } = await setup({ eventsFlushIntervalMs: 60_000 });
    server.eventResponses.push({ status: 400 });
    client.track("m", { targetingKey: "u1" });
    await client.flush();
    expect(client.eventStats()).toMatchObject({ droppedRejected: 1, queued: 0 });
    expect(server.eventPostTimes).toHaveLength(1);
    expect(logger.has("error", /refused a batch of 1 event\(s\) with HTTP 400/)).toBe(true);
  });

  it("on a 400 naming events, drops only those and resends the others", async () => {
    const { server, client, logger } = await setup({ eventsFlushIntervalMs: 60_000 });
    const issue = (index: number) => ({ index, field: "value", issue: "value must be a finite number." });
    server.eventResponses.push({
      status: 400,
      body: JSON.stringify({ error: { code: "VALIDATION_FAILED", message: "Event 1, value: …", details: { ...issue(1), issues: [issue(1), issue(3)], issueCount: 2 } } }),
    });
    for (let i = 0; i < 4; i++) client.track(`m${i}`, { targetingKey: "u1" });
    await client.flush();
    expect(metrics(server).map((m) => m.metricKey)).toEqual(["m0", "m2"]);
    expect(client.eventStats()).toMatchObject({ sent: 2, droppedRejected: 2, queued: 0 });
    expect(logger.has("error", /refused 2 event\(s\).*resending the other 2/)).toBe(true);
  });

  it("does not queue events the server's schema would refuse, and skips over-long attribute names", async () => {
    const { server, client } = await setup({ eventsFlushIntervalMs: 60_000 });
    client.track("x".repeat(257), { targetingKey: "u1" });
    client.track("ok", { targetingKey: "k".repeat(1025) });
    client.track("ok", { targetingKey: "bad\u0000key" });
    client.track("ok", { targetingKey: "u1", ["a".repeat(257)]: 1, short: 2 });
    await client.flush();
    expect(metrics(server)).toHaveLength(1);
    expect(metrics(server)[0].attributes).toEqual({ short: 2 });
    expect(client.eventStats().droppedInvalid).toBe(3);
  });

  it("remembers the flag keys the server reports as unknown", async () => {
    const server = new TestServer({ snapshot: demoSnapshot(4) });
    server.snapshotStatus = 503; // keep the client on its bootstrap, which has a flag the server lacks
    await server.start();
    cleanups.push(() => server.stop());
    const snap = demoSnapshot(4);
    snap.flags.push(boolFlag("local-only", "on"));
    const client = createClient({ ...fastOptions(server.url, server.sdkKey, capturingLogger()), bootstrap: snap, stream: false, eventsFlushIntervalMs: 60_000 });
    cleanups.push(() => client.close());
    expect(client.boolVariation("local-only", { targetingKey: "u1" }, false)).toBe(true);
    await client.flush();
    expect(client.eventStats().unknownFlags).toEqual(["local-only"]);
  });

  it("splits a batch the server finds too large (413)", async () => {
    const { server, client } = await setup({ eventsFlushIntervalMs: 60_000 });
    server.eventResponses.push({ status: 413 });
    for (let i = 0; i < 4; i++) client.track(`m${i}`, { targetingKey: "u1" });
    await client.flush();
    expect(server.batches.map((b) => b.events.length)).toEqual([2, 2]);
  });

  it("bounds the queue: the oldest events are dropped and counted", async () => {
    const { server, client, logger } = await setup({ eventsFlushIntervalMs: 60_000, maxEventQueue: 5 });
    for (let i = 0; i < 8; i++) client.track(`m${i}`, { targetingKey: "u1" });
    expect(client.eventStats()).toMatchObject({ queued: 5, droppedQueueFull: 3 });
    expect(logger.has("warn", /Event queue full/)).toBe(true);
    await client.flush();
    expect(metrics(server).map((m) => m.metricKey)).toEqual(["m3", "m4", "m5", "m6", "m7"]);
  });

  it("keeps events while the server is down (bounded) and sends them when it returns", async () => {
    const { server, client } = await setup({ eventsFlushIntervalMs: 50, eventsMaxAttempts: 1 });
    await server.stop();
    client.track("while-down", { targetingKey: "u1" });
    await waitFor(() => client.eventStats().failedFlushes >= 1, 5_000, "failed flush");
    await server.start();
    await waitFor(() => client.eventStats().sent === 1, 5_000, "delivery after restart");
    expect(metrics(server)).toHaveLength(1);
    expect(client.eventStats().queued).toBe(0);
  });

  it("an explicit flush against a failing endpoint returns after its attempts, whatever the timer does meanwhile", async () => {
    const { server, client } = await setup({ eventsFlushIntervalMs: 20, eventsMaxAttempts: 2 });
    for (let i = 0; i < 100; i++) server.eventResponses.push({ status: 503 });
    client.track("m", { targetingKey: "u1" });
    const t0 = Date.now();
    await client.flush();
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(client.eventStats().queued).toBe(1);
  });

  it("backs off automatic flushes while the endpoint keeps failing", async () => {
    const { server, client } = await setup({ eventsFlushIntervalMs: 20, eventsMaxAttempts: 1, eventsBatchSize: 1 });
    for (let i = 0; i < 100; i++) server.eventResponses.push({ status: 500 });
    client.track("m", { targetingKey: "u1" });
    await new Promise((r) => setTimeout(r, 1_000));
    for (let i = 0; i < 20; i++) client.track("m", { targetingKey: `u${i}` }); // size-triggered flushes wait too
    // Every 20 ms without backoff (~50 posts); with it 20, 40, 80 … ms apart.
    expect(server.eventPostTimes.length).toBeLessThan(15);
    expect(server.eventPostTimes.length).toBeGreaterThan(2);
  });

  it("sends a full batch at once, without waiting for the timer", async () => {
    const { server, client } = await setup({ eventsFlushIntervalMs: 60_000, eventsBatchSize: 10 });
    for (let i = 0; i < 10; i++) client.track("m", { targetingKey: `u${i}` });
    await waitFor(() => metrics(server).length === 10, 5_000, "batch");
  });

  it("close() flushes queued events and stops the stream and timers", async () => {
    const server = new TestServer({ snapshot: demoSnapshot(4) });
    await server.start();
    cleanups.push(() => server.stop());
    const client = createClient({ ...fastOptions(server.url, server.sdkKey, capturingLogger()), eventsFlushIntervalMs: 60_000 });
    await client.waitForInitialization(5_000);
    await waitFor(() => server.streamClients === 1);
    client.boolVariation("new-checkout", { targetingKey: "u1" }, false);
    client.track("m", { targetingKey: "u1" });
    expect(server.events).toHaveLength(0);
    await client.close();
    expect(server.events.map((e) => e.kind)).toEqual(["exposure", "metric"]);
    expect(client.status).toBe("closed");
    await waitFor(() => server.streamClients === 0, 2_000, "stream closed");
    const requests = server.requests.length;
    server.publish({ upsertFlags: [boolFlag("new-checkout", "on")] });
    await new Promise((r) => setTimeout(r, 200));
    expect(server.requests.length).toBe(requests);
    expect(client.version).toBe(4);
    client.track("after-close", { targetingKey: "u1" }); // ignored, no throw
    await client.close(); // idempotent
  });

  it("close() gives up after closeTimeoutMs when the server keeps failing", async () => {
    const { server, client, logger } = await setup({ eventsFlushIntervalMs: 60_000, closeTimeoutMs: 300 });
    server.eventResponses.push({ status: 429, retryAfter: "10" });
    client.track("m", { targetingKey: "u1" });
    const t0 = Date.now();
    await client.close();
    expect(Date.now() - t0).toBeLessThan(1_500);
    expect(logger.has("warn", /1 event\(s\) were not sent before close/)).toBe(true);
  });
});

describe("building blocks", () => {
  it("BoundedQueue keeps order, drops the oldest, and puts a batch back in front", () => {
    const q = new BoundedQueue<number>(3);
    for (let i = 1; i <= 5; i++) q.push(i);
    expect(q.dropped).toBe(2);
    const batch = q.take(2);
    expect(batch).toEqual([3, 4]);
    q.push(6);
    q.push(7);
    q.unshift(batch); // [3,4,5,6,7] → over by 2
    expect(q.take(10)).toEqual([5, 6, 7]);
    expect(q.dropped).toBe(4);
    for (let i = 0; i < 5000; i++) q.push(i);
    expect(q.length).toBe(3);
    expect(q.take(3)).toEqual([4997, 4998, 4999]);
  });

  it("ExposureDedup admits once per window and stays bounded", () => {
    const d = new ExposureDedup(1000, 100);
    expect(d.admit("k", 0)).toBe(true);
    expect(d.admit("k", 999)).toBe(false);
    expect(d.admit("k", 1000)).toBe(true);
    for (let i = 0; i < 1000; i++) d.admit(`x${i}`, 0);
    expect(d.size).toBe(100);
  });
});
