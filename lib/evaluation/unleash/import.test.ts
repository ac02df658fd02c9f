import fc from "fast-check";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { compileSnapshot } from "../compile";
import { evaluateFlag } from "../evaluate";
import { importUnleash, toUnleashVariant, unleashContextToSwitchyard } from "./import";

const require = createRequire(import.meta.url);
// unleash-client is the reference implementation: a differential test runs both on the same input.
const UnleashClient = (require("unleash-client/lib/client") as { default: new (repo: unknown, strategies: unknown[]) => UnleashClientLike }).default;
const { defaultStrategies } = require("unleash-client/lib/strategy") as { defaultStrategies: unknown[] };

interface UnleashClientLike {
  isEnabled(name: string, context: unknown, fallback: () => boolean): boolean;
  getVariant(name: string, context: unknown): { name: string; enabled: boolean; feature_enabled?: boolean; payload?: unknown };
  on(event: string, fn: () => void): void;
}

function reference(payload: { features: { name: string }[]; segments?: { id: number }[] }): UnleashClientLike {
  const repo = {
    getToggle: (n: string) => payload.features.find((f) => f.name === n),
    getToggles: () => payload.features,
    getSegment: (id: number) => payload.segments?.find((s) => s.id === id),
  };
  const client = new UnleashClient(repo, defaultStrategies);
  client.on("warn", () => {});
  client.on("error", () => {});
  return client;
}

describe("importUnleash", () => {
  it("maps a toggle to a boolean flag with off / on / variant variations", () => {
    const { flags, warnings } = importUnleash({
      version: 2,
      features: [
        {
          name: "checkout",
          type: "experiment",
          enabled: true,
          strategies: [{ name: "flexibleRollout", parameters: { rollout: "50", stickiness: "default", groupId: "checkout" } }],
          variants: [
            { name: "blue", weight: 500, payload: { type: "string", value: "b" } },
            { name: "red", weight: 500 },
          ],
        },
      ],
    });
    expect(warnings).toEqual([]);
    const f = flags[0];
    expect(f).toMatchObject({ key: "checkout", kind: "experiment", valueType: "boolean" });
    expect(f.variations.map((v) => [v.key, v.value])).toEqual([
      ["off", false],
      ["on", true],
      ["blue", true],
      ["red", true],
    ]);
    expect(f.config.rules[0].coverage).toEqual({ percentage: 50_000, unleash: { groupId: "checkout", stickiness: "default" } });
    expect(f.config.fallthrough).toEqual({ variation: "off" });
  });

  it("keeps keys unique when a variant is called off or on", () => {
    const { flags } = importUnleash({ features: [{ name: "x", enabled: true, strategies: [], variants: [{ name: "off", weight: 1 }, { name: "on", weight: 1 }] }] });
    expect(flags[0].variations.map((v) => v.key)).toEqual(["off-2", "on-2", "off", "on"]);
  });

  it("warns about what it cannot carry over", () => {
    const { warnings, flags } = importUnleash({
      features: [
        { name: "a", enabled: true, strategies: [{ name: "applicationHostname", parameters: { hostNames: "x" } }] },
        { name: "b", enabled: true, strategies: [{ name: "default", constraints: [{ contextName: "n", operator: "NUM_GT", value: "many" }] }] },
        { name: "c", enabled: true, dependencies: [{ feature: "d" }], strategies: [] },
        { name: "d", enabled: true, dependencies: [{ feature: "a" }], strategies: [] },
        { name: "e", enabled: true, strategies: [{ name: "default", segments: [9] }] },
      ],
    });
    expect(warnings.join("\n")).toMatch(/applicationHostname/);
    expect(warnings.join("\n")).toMatch(/not a number/);
    expect(warnings.join("\n")).toMatch(/c: depends on d, which has dependencies of its own/);
    expect(warnings.join("\n")).toMatch(/segment 9 is not in the payload/);
    expect(flags.find((f) => f.key === "c")!.config.on).toBe(false);
  });

  it("is robust to junk", () => {
    for (const junk of [null, 1, "x", [], { features: "no" }, { features: [null, 1, { name: 3 }] }]) {
      expect(() => importUnleash(junk)).not.toThrow();
    }
  });

  it("maps Unleash contexts", () => {
    expect(
      unleashContextToSwitchyard({ userId: "u1", sessionId: "s", currentTime: new Date("2026-01-01T00:00:00Z"), properties: { plan: "pro", userId: "ignored", n: 3, gone: null } }),
    ).toEqual({ targetingKey: "u1", userId: "u1", sessionId: "s", currentTime: "2026-01-01T00:00:00.000Z", plan: "pro", n: 3 });
  });
});

// ---------------------------------------------------------------------------------------------
// Differential test against unleash-client on generated toggles and contexts (deterministic
// stickiness only: contexts always carry the attributes the toggles stick on).

const ids = fc.constantFrom("1", "2", "17", "123", "174", "499", "alice", "bøb", "用户", "😊");
const props = fc.record({
  plan: fc.constantFrom("free", "pro", "Pro", "enterprise"),
  version: fc.constantFrom("1.0.0", "1.2.3", "2.0.0-beta.1", "2.0.0", "v2.0.0", "x"),
  n: fc.constantFrom("0", "3.5", "12", "abc", "-4"),
  email: fc.constantFrom("a@corp.com", "B@CORP.COM", "x@y.org"),
  ip: fc.constantFrom("10.1.2.3", "192.168.0.7", "2001:db8::5", "nope"),
});
const context = fc.record({ userId: ids, sessionId: ids, remoteAddress: fc.constantFrom("127.0.0.1", "10.0.0.9"), properties: props });

const constraint = fc.oneof(
  fc.record({ contextName: fc.constant("plan"), operator: fc.constantFrom("IN", "NOT_IN"), values: fc.subarray(["free", "pro", "enterprise", " pro "]), inverted: fc.boolean() }),
  fc.record({
    contextName: fc.constantFrom("plan", "email"),
    operator: fc.constantFrom("STR_STARTS_WITH", "STR_ENDS_WITH", "STR_CONTAINS"),
    values: fc.subarray(["p", "PRO", "corp.com", "@", "x"], { minLength: 1 }),
    caseInsensitive: fc.boolean(),
    inverted: fc.boolean(),
  }),
  fc.record({ contextName: fc.constant("n"), operator: fc.constantFrom("NUM_EQ", "NUM_GT", "NUM_GTE", "NUM_LT", "NUM_LTE"), value: fc.constantFrom("3.5", "0", "12", "bad"), inverted: fc.boolean() }),
  fc.record({
    contextName: fc.constant("version"),
    operator: fc.constantFrom("SEMVER_EQ", "SEMVER_GT", "SEMVER_GTE", "SEMVER_LT", "SEMVER_LTE"),
    value: fc.constantFrom("1.2.3", "2.0.0-alpha", "2.0.0", "v1.0.0"),
    inverted: fc.boolean(),
  }),
  fc.record({ contextName: fc.constant("email"), operator: fc.constant("REGEX"), value: fc.constantFrom("^[a-z]@", "(?i)CORP", "org$"), caseInsensitive: fc.boolean(), inverted: fc.boolean() }),
  fc.record({ contextName: fc.constant("ip"), operator: fc.constant("IN_CIDR"), values: fc.subarray(["10.0.0.0/8", "2001:db8::/32", "bad"]), inverted: fc.boolean() }),
  fc.record({ contextName: fc.constant("currentTime"), operator: fc.constantFrom("DATE_AFTER", "DATE_BEFORE"), value: fc.constantFrom("2020-01-01T00:00:00Z", "2100-01-01T00:00:00Z"), inverted: fc.boolean() }),
);
const variants = fc.array(
  fc.record({
    name: fc.constantFrom("blue", "red", "green", "ø"),
    weight: fc.integer({ min: 0, max: 1000 }),
    stickiness: fc.constantFrom("default", "userId", "sessionId", "plan"),
    overrides: fc.option(fc.constant([{ contextName: "userId", values: ["17"] }]), { nil: undefined }),
  }),
  { maxLength: 3 },
);
const strategy = fc.oneof(
  fc.record({ name: fc.constant("default"), parameters: fc.constant({}), constraints: fc.array(constraint, { maxLength: 2 }), variants }),
  fc.record({
    name: fc.constant("flexibleRollout"),
    parameters: fc.record({ rollout: fc.constantFrom("0", "10", "50", "99", "100"), stickiness: fc.constantFrom("default", "userId", "sessionId", "plan"), groupId: fc.constantFrom("g", "grøup", "") }),
    constraints: fc.array(constraint, { maxLength: 2 }),
    variants,
  }),
  fc.record({ name: fc.constantFrom("gradualRolloutUserId", "gradualRolloutSessionId"), parameters: fc.record({ percentage: fc.constantFrom("0", "33", "100"), groupId: fc.constantFrom("AB12A", "") }) }),
  fc.record({ name: fc.constant("userWithId"), parameters: fc.record({ userIds: fc.constantFrom("1, 2,17", "alice,bøb", "") }) }),
  fc.record({ name: fc.constant("remoteAddress"), parameters: fc.record({ IPs: fc.constantFrom("127.0.0.1", "10.0.0.0/8, 192.168.1.1", "::1") }) }),
  fc.record({ name: fc.constant("default"), segments: fc.subarray([1, 2, 404], { minLength: 1 }) }),
);
const feature = (name: string) =>
  fc.record({
    name: fc.constant(name),
    enabled: fc.boolean(),
    strategies: fc.array(strategy, { maxLength: 3 }),
    variants,
    dependencies: fc.option(
      fc.constantFrom(
        [{ feature: "parent" }],
        [{ feature: "parent", enabled: false }],
        [{ feature: "parent", variants: ["blue", "disabled"] }],
        [{ feature: "parent", variants: ["red"] }],
        [{ feature: "missing" }],
      ),
      { nil: undefined },
    ),
  });

describe("importUnleash agrees with unleash-client", () => {
  it("on generated toggles and contexts (isEnabled and getVariant)", () => {
    fc.assert(
      fc.property(
        feature("parent").map((f) => ({ ...f, dependencies: undefined })),
        feature("child"),
        fc.array(context, { minLength: 1, maxLength: 5 }),
        (parent, child, contexts) => {
          const payload = {
            version: 2,
            features: [parent, child],
            segments: [
              { id: 1, constraints: [{ contextName: "plan", operator: "IN", values: ["pro"] }] },
              { id: 2, constraints: [] },
            ],
          };
          const client = reference(JSON.parse(JSON.stringify(payload)));
          const imported = importUnleash(JSON.parse(JSON.stringify(payload)));
          const snapshot = compileSnapshot({ flags: imported.flags, segments: imported.segments });
          for (const ctx of contexts) {
            for (const name of ["parent", "child"]) {
              const r = evaluateFlag(snapshot, name, unleashContextToSwitchyard(ctx), { defaultValue: false });
              expect(r.value, `${name} isEnabled for ${JSON.stringify(ctx)}`).toBe(client.isEnabled(name, ctx, () => false));
              const expected = client.getVariant(name, ctx);
              const got = toUnleashVariant(r, imported.flags.find((f) => f.key === name));
              expect(got.name, `${name} variant for ${JSON.stringify(ctx)}`).toBe(expected.name);
              expect(got.feature_enabled).toBe(expected.feature_enabled);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
