import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { createClient, type SwitchyardClient } from "./client";
import { boolFlag, boolVars, capturingLogger, demoSnapshot, flag } from "./test-fixtures";
import type { EnvironmentSnapshot } from "./types";

const clients: SwitchyardClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
});

function offlineClient(snapshot: EnvironmentSnapshot | null = demoSnapshot(3), now?: () => number) {
  const logger = capturingLogger();
  const client = createClient({ baseUrl: "", sdkKey: "", offline: true, bootstrap: snapshot ?? undefined, logger, now });
  clients.push(client);
  return { client, logger };
}

const user = { targetingKey: "user-1" };

describe("typed variations", () => {
  it("serves each value type", () => {
    const { client } = offlineClient();
    expect(client.boolVariation("new-checkout", { targetingKey: "vip" }, false)).toBe(true);
    expect(client.stringVariation("banner-text", { targetingKey: "u", email: "a@beta.test" }, "")).toBe("Welcome, beta tester");
    expect(client.numberVariation("max-items", user, 0)).toBe(10);
    expect(client.jsonVariation("theme", user, {})).toEqual({ color: "blue", dense: false });
  });

  it.each([
    ["vip target", "new-checkout", { targetingKey: "vip" }, { value: true, variationKey: "on", reason: "TARGET_MATCH", ofrepReason: "TARGETING_MATCH" }],
    ["rule", "new-checkout", { targetingKey: "u", plan: "pro" }, { value: true, reason: "RULE_MATCH", ruleId: "pro-users", ruleIndex: 0, ofrepReason: "TARGETING_MATCH" }],
    ["fallthrough", "new-checkout", { targetingKey: "u" }, { value: false, variationKey: "off", reason: "FALLTHROUGH", ofrepReason: "DEFAULT" }],
    ["static", "max-items", { targetingKey: "u" }, { value: 10, reason: "FALLTHROUGH", ofrepReason: "STATIC" }],
    ["off", "killed", { targetingKey: "u" }, { value: false, variationKey: "off", reason: "OFF", ofrepReason: "DISABLED" }],
    ["split", "split", { targetingKey: "u" }, { reason: "FALLTHROUGH", ofrepReason: "SPLIT", inRollout: true }],
  ])("detail for %s", (_name, key, context, expected) => {
    const { client } = offlineClient();
    const d = "value" in expected && typeof expected.value === "number" ? client.numberVariationDetail(key, context, -1) : client.boolVariationDetail(key, context, true);
    expect(d).toMatchObject({ ...expected, snapshotVersion: 3 });
    expect(d.errorCode).toBeUndefined();
  });

  it("same context, same bucket", () => {
    const { client } = offlineClient();
    const a = client.boolVariationDetail("split", { targetingKey: "stable" }, false);
    const b = client.boolVariationDetail("split", { targetingKey: "stable", other: 1 }, false);
    expect(a.bucket).toBeTypeOf("number");
    expect(b).toEqual(a);
  });

  it.each([
    ["boolean from a string flag", (c: SwitchyardClient) => c.boolVariationDetail("banner-text", user, true), true],
    ["number from a boolean flag", (c: SwitchyardClient) => c.numberVariationDetail("new-checkout", user, 5), 5],
    ["string from a number flag", (c: SwitchyardClient) => c.stringVariationDetail("max-items", user, "d"), "d"],
    ["string from a JSON flag", (c: SwitchyardClient) => c.stringVariationDetail("theme", user, "d"), "d"],
    ["JSON from a boolean flag", (c: SwitchyardClient) => c.jsonVariationDetail("new-checkout", user, { d: 1 }), { d: 1 }],
  ])("TYPE_MISMATCH: %s serves the default", (_name, call, dflt) => {
    const { client } = offlineClient();
    expect(call(client)).toMatchObject({ value: dflt, reason: "ERROR", ofrepReason: "ERROR", errorCode: "TYPE_MISMATCH" });
  });

  it("FLAG_NOT_FOUND serves the default", () => {
    const { client } = offlineClient();
    expect(client.stringVariationDetail("nope", user, "dflt")).toMatchObject({ value: "dflt", reason: "ERROR", errorCode: "FLAG_NOT_FOUND", snapshotVersion: 3 });
    expect(client.numberVariation("nope", user, 42)).toBe(42);
  });

  it("before initialisation every variation serves the default with CLIENT_NOT_READY", () => {
    const { client } = offlineClient(null);
    const d = client.boolVariationDetail("new-checkout", user, true);
    expect(d).toMatchObject({ value: true, reason: "ERROR", errorCode: "CLIENT_NOT_READY" });
    expect(d.errorMessage).toMatch(/no flag data yet/);
    expect(client.jsonVariation("theme", user, { d: 1 })).toEqual({ d: 1 });
  });

  it("a rollout without its bucketing attribute serves the default: TARGETING_KEY_MISSING or MISSING_BUCKET_KEY", () => {
    const snap = demoSnapshot(3);
    snap.flags.push(
      flag("by-org", boolVars, { fallthrough: { rollout: { bucketBy: "orgId", weights: [{ variation: "on", weight: 100_000 }, { variation: "off", weight: 0 }] } } }),
    );
    const { client } = offlineClient(snap);
    expect(client.boolVariationDetail("split", { plan: "pro" }, true)).toMatchObject({ value: true, reason: "ERROR", errorCode: "TARGETING_KEY_MISSING" });
    expect(client.boolVariationDetail("by-org", { targetingKey: "u" }, false)).toMatchObject({ value: false, errorCode: "MISSING_BUCKET_KEY" });
    expect(client.boolVariation("by-org", { targetingKey: "u", orgId: "o1" }, false)).toBe(true);
    // A flag that does not bucket needs no targetingKey.
    expect(client.boolVariationDetail("new-checkout", { plan: "pro" }, false)).toMatchObject({ value: true, reason: "RULE_MATCH" });
  });

  it("experiment: an opted-out context gets the control variation", () => {
    const { client } = offlineClient();
    expect(client.stringVariationDetail("exp", user, "")).toMatchObject({ value: "B", inRollout: true });
    expect(client.stringVariationDetail("exp", { ...user, experimentOptOut: true }, "")).toMatchObject({ value: "A", variationKey: "control", optedOut: true });
  });

  it("malformed data: a flag failing the schema answers PARSE_ERROR, a semantically broken one MALFORMED_FLAG, the rest still work", () => {
    const snap = demoSnapshot(3);
    snap.flags.push({ key: "broken", kind: "release", valueType: "boolean", variations: [] } as never);
    snap.flags.push(flag("bad-weights", boolVars, { fallthrough: { rollout: { weights: [{ variation: "on", weight: 10 }] } } }));
    snap.flags.push(flag("uses-bad-seg", boolVars, { rules: [{ id: "r", clauses: [{ attribute: "", op: "inSegment", values: ["bad-seg"] }], serve: { variation: "on" } }] }));
    snap.segments.push({ key: "bad-seg", included: "not-a-list" } as never);
    const { client, logger } = offlineClient(snap);
    expect(client.boolVariationDetail("broken", user, true)).toMatchObject({ value: true, errorCode: "PARSE_ERROR" });
    expect(client.boolVariationDetail("uses-bad-seg", user, true)).toMatchObject({ value: true, errorCode: "PARSE_ERROR" });
    expect(client.boolVariationDetail("uses-bad-seg", user, true).errorMessage).toMatch(/segment bad-seg/);
    expect(client.boolVariationDetail("bad-weights", user, true)).toMatchObject({ value: true, errorCode: "MALFORMED_FLAG" });
    expect(client.numberVariation("max-items", user, 0)).toBe(10);
    expect(logger.has("warn", /Flag broken is malformed/)).toBe(true);
    expect(client.flagKeys()).toContain("broken");
  });

  it("a missing prerequisite serves the off variation and says why", () => {
    const snap = demoSnapshot(3);
    snap.flags.push(boolFlag("needs-ghost", "on", { prerequisites: [{ flagKey: "ghost", variation: "on" }] }));
    const { client } = offlineClient(snap);
    expect(client.boolVariationDetail("needs-ghost", user, true)).toMatchObject({
      value: false,
      reason: "PREREQUISITE_FAILED",
      errorCode: "PREREQUISITE_NOT_FOUND",
      prerequisiteKey: "ghost",
    });
  });

  it("passes the configuration version and uses the injected clock for date clauses", () => {
    const snap = demoSnapshot(3);
    const launch = Date.parse("2030-01-01T00:00:00Z");
    snap.flags.push(
      boolFlag("launch", "off", {
        version: 17,
        rules: [{ id: "after-launch", clauses: [{ attribute: "currentTime", op: "after", values: [launch] }], serve: { variation: "on" } }],
      }),
    );
    let now = launch - 1000;
    const { client } = offlineClient(snap, () => now);
    expect(client.boolVariationDetail("launch", user, true)).toMatchObject({ value: false, flagVersion: 17 });
    now = launch + 1000;
    expect(client.boolVariationDetail("launch", user, false)).toMatchObject({ value: true, ruleId: "after-launch" });
  });

  it("compiles a snapshot once per version, not per evaluation", () => {
    const { client } = offlineClient();
    const compiled = () => (client as unknown as { state: { compiled: object } }).state.compiled;
    const first = compiled();
    for (let i = 0; i < 1000; i++) client.boolVariation("split", { targetingKey: `u${i}` }, false);
    expect(compiled()).toBe(first);
  });

  it("never throws, whatever it is given (property)", () => {
    const { client } = offlineClient();
    const methods = ["boolVariationDetail", "stringVariationDetail", "numberVariationDetail", "jsonVariationDetail"] as const;
    const keys = fc.oneof(fc.constantFrom("new-checkout", "banner-text", "max-items", "theme", "split", "exp", "killed"), fc.string(), fc.anything());
    fc.assert(
      fc.property(fc.constantFrom(...methods), keys, fc.oneof(fc.anything(), fc.dictionary(fc.string(), fc.anything())), fc.anything(), (m, key, ctx, dflt) => {
        const d = (client[m] as (k: unknown, c: unknown, d: unknown) => { value: unknown; reason: string })(key, ctx, dflt);
        expect(typeof d.reason).toBe("string");
        if (d.reason === "ERROR") expect(d.value).toBe(dflt);
      }),
      { numRuns: 500 },
    );
    expect(() => client.track(undefined as never, null as never, NaN)).not.toThrow();
  });
});
