import { afterEach, describe, expect, it } from "vitest";
import { evaluateFlag } from "../evaluation/evaluate";
import { packSnapshot } from "../evaluation/packed";
import type { Flag } from "../evaluation/types";
import type { EnvironmentSnapshot } from "../snapshots/wire-format";
import { createClient } from "./client";
import { applyPatch, patchFromJson, snapshotFromJson, type SnapshotState } from "./snapshot-state";
import { boolFlag, capturingLogger, demoSnapshot, fastOptions, waitFor } from "./test-fixtures";
import { TestServer } from "./test-server";
import type { ChangeEvent } from "./types";

/** A snapshot in format 2, as the server sends it for `?format=2`. */
function packed(snapshot: EnvironmentSnapshot): unknown {
  const { flags, segments, ...envelope } = snapshot;
  return JSON.parse(JSON.stringify({ ...envelope, ...packSnapshot({ flags, segments, optOutAttribute: snapshot.optOutAttribute }) }));
}

function stateOf(json: unknown): SnapshotState {
  const r = snapshotFromJson(json);
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

const contexts = [{ targetingKey: "vip" }, { targetingKey: "user-1" }, { targetingKey: "beta-1", email: "x@beta.test" }, { targetingKey: "u", plan: "pro" }, {}];

describe("snapshot format 2 in the SDK", () => {
  it("a packed snapshot gives the same state and the same results as format 1", () => {
    const snap = demoSnapshot(1);
    const f1 = stateOf(JSON.parse(JSON.stringify(snap)));
    const f2 = stateOf(packed(snap));
    expect(f2).toMatchObject({ projectKey: snap.projectKey, environmentKey: snap.environmentKey, version: 1 });
    expect([...f2.flags.keys()].sort()).toEqual([...f1.flags.keys()].sort());
    expect([...f2.segments.keys()]).toEqual([...f1.segments.keys()]);
    expect(f2.invalidFlags.size).toBe(0);
    for (const key of f1.flags.keys()) {
      for (const ctx of contexts) expect(evaluateFlag(f2.compiled, key, ctx)).toEqual(evaluateFlag(f1.compiled, key, ctx));
    }
  });

  it("a malformed flag in a packed snapshot answers PARSE_ERROR, as in format 1, and the others still evaluate", () => {
    const snap = demoSnapshot(1);
    const bad = { ...boolFlag("bad-op"), config: { ...boolFlag("bad-op").config, rules: [{ id: "r", clauses: [{ attribute: "plan", op: "sounds-like", values: ["pro"] }], serve: { variation: "on" } }] } } as unknown as Flag;
    const f2 = stateOf(packed({ ...snap, flags: [...snap.flags, bad] }));
    expect(f2.invalidFlags.get("bad-op")).toMatch(/malformed/);
    expect(f2.flags.has("bad-op")).toBe(false);
    expect(evaluateFlag(f2.compiled, "bad-op", {}).errorCode).toBe("FLAG_NOT_FOUND");
    expect(evaluateFlag(f2.compiled, "new-checkout", { targetingKey: "vip" }).value).toBe(true);
  });

  it("a format 1 patch applies on top of a packed snapshot, deleted flags included", () => {
    const f2 = stateOf(packed(demoSnapshot(1)));
    const p = patchFromJson({ fromVersion: 1, version: 2, publishedAt: "", upsertFlags: [boolFlag("new-checkout", "on")], deletedFlags: ["killed"], upsertSegments: [], deletedSegments: [] });
    if (!p.ok) throw new Error(p.error);
    const next = applyPatch(f2, p.value);
    if (!next.ok) throw new Error(next.error);
    expect(next.value.version).toBe(2);
    expect(evaluateFlag(next.value.compiled, "new-checkout", { targetingKey: "user-1" }).value).toBe(true);
    expect(evaluateFlag(next.value.compiled, "killed", {}).errorCode).toBe("FLAG_NOT_FOUND");
    expect(evaluateFlag(f2.compiled, "killed", {}).errorCode).not.toBe("FLAG_NOT_FOUND");
  });
});

describe("the client on format 2", () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it("asks for format 2 on the stream, loads the packed put, applies a patch and a packed put that deletes a flag", async () => {
    const server = new TestServer({ snapshot: demoSnapshot(1), heartbeatMs: 100 });
    await server.start();
    cleanups.push(() => server.stop());
    const client = createClient({ ...fastOptions(server.url, server.sdkKey, capturingLogger()), sendEvents: false });
    cleanups.push(() => client.close());
    const changes: ChangeEvent[] = [];
    client.on("change", (c) => changes.push(c));
    expect((await client.waitForInitialization(5_000)).initialized).toBe(true);
    expect(server.requestsTo("/api/v1/sdk/stream")[0].format).toBe("2");
    expect(client.boolVariation("new-checkout", { targetingKey: "vip" }, false)).toBe(true);

    server.publish({ upsertFlags: [boolFlag("new-checkout", "on")] }); // a format 1 patch
    await waitFor(() => client.version === 2, 5_000, "patch");
    expect(client.boolVariation("new-checkout", { targetingKey: "user-1" }, false)).toBe(true);

    server.publish({ deletedFlags: ["killed"] }, { asPut: true }); // a format 2 put
    await waitFor(() => client.version === 3, 5_000, "packed put");
    expect(client.boolVariationDetail("killed", { targetingKey: "user-1" }, true).errorCode).toBe("FLAG_NOT_FOUND");
    expect(changes.map((c) => c.flagKeys)).toEqual([["new-checkout"], ["killed"]]);
  });

  it("polls the snapshot in format 2 when streaming is off", async () => {
    const server = new TestServer({ snapshot: demoSnapshot(1) });
    await server.start();
    cleanups.push(() => server.stop());
    const client = createClient({ ...fastOptions(server.url, server.sdkKey, capturingLogger()), stream: false, pollIntervalMs: 100, sendEvents: false });
    cleanups.push(() => client.close());
    expect((await client.waitForInitialization(5_000)).initialized).toBe(true);
    expect(server.requestsTo("/api/v1/sdk/snapshot")[0].format).toBe("2");
    server.publish({ upsertFlags: [boolFlag("new-checkout", "on")] });
    await waitFor(() => client.version === 2, 5_000, "polled change");
    expect(client.boolVariation("new-checkout", { targetingKey: "user-1" }, false)).toBe(true);
  });
});
