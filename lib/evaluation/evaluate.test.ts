import { describe, expect, it } from "vitest";
import { compileSnapshot } from "./compile";
import { evaluate, evaluateAll, evaluateFlag } from "./evaluate";
import { explainResult } from "./explain";
import { toOfrepReason } from "./ofrep";
import type { EvaluationResult, Flag, FlagConfig, Segment } from "./types";

function boolFlag(key: string, config: Partial<FlagConfig> = {}, extra: Partial<Flag> = {}): Flag {
  return {
    key,
    kind: "release",
    valueType: "boolean",
    variations: [
      { key: "on", value: true },
      { key: "off", value: false },
    ],
    config: {
      on: true,
      offVariation: "off",
      targets: [],
      rules: [],
      prerequisites: [],
      fallthrough: { variation: "off" },
      ...config,
    },
    ...extra,
  };
}

const checkout = boolFlag("new-checkout", {
  targets: [{ variation: "on", values: ["vip-1"] }, { variation: "off", values: ["vip-1", "blocked"] }],
  rules: [
    {
      id: "pro-na",
      clauses: [
        { attribute: "plan", op: "in", values: ["pro", "enterprise"] },
        { attribute: "country", op: "in", values: ["US", "CA"] },
      ],
      serve: { rollout: { weights: [{ variation: "on", weight: 25_000 }, { variation: "off", weight: 75_000 }] } },
    },
    { id: "staff", description: "Staff", clauses: [{ attribute: "email", op: "endsWith", values: ["@switchyard.dev"] }], serve: { variation: "on" } },
  ],
  fallthrough: { variation: "off" },
});

describe("evaluation order and reasons", () => {
  it("off serves the off variation", () => {
    const r = evaluate(boolFlag("f", { on: false, fallthrough: { variation: "on" } }), { targetingKey: "u" });
    expect(r).toMatchObject({ value: false, variationKey: "off", reason: "OFF" });
    expect(toOfrepReason(r)).toBe("DISABLED");
  });

  it("targets win over rules; the first target listing a key wins", () => {
    const r = evaluate(checkout, { targetingKey: "vip-1", plan: "free" });
    expect(r).toMatchObject({ value: true, variationKey: "on", reason: "TARGET_MATCH" });
    expect(evaluate(checkout, { targetingKey: "blocked", email: "x@switchyard.dev" })).toMatchObject({ reason: "TARGET_MATCH", value: false });
    expect(toOfrepReason(r)).toBe("TARGETING_MATCH");
  });

  it("first matching rule wins and reports its id and index", () => {
    const r = evaluate(checkout, { targetingKey: "u1", email: "a@switchyard.dev" });
    expect(r).toMatchObject({ reason: "RULE_MATCH", ruleId: "staff", ruleIndex: 1, value: true });
    expect(r.inRollout).toBeUndefined();
    expect(toOfrepReason(r)).toBe("TARGETING_MATCH");
  });

  it("a rollout rule reports the bucket and SPLIT", () => {
    const r = evaluate(checkout, { targetingKey: "u1", plan: "pro", country: "US", email: "a@switchyard.dev" });
    expect(r).toMatchObject({ reason: "RULE_MATCH", ruleId: "pro-na", ruleIndex: 0, inRollout: true });
    expect(r.bucket).toBeGreaterThanOrEqual(0);
    expect(r.bucket).toBeLessThan(100);
    expect(r.value).toBe(r.bucket! < 25);
    expect(toOfrepReason(r)).toBe("SPLIT");
  });

  it("falls through when nothing matches", () => {
    const r = evaluate(checkout, { targetingKey: "u1", plan: "free" });
    expect(r).toMatchObject({ reason: "FALLTHROUGH", value: false, variationKey: "off" });
    expect(toOfrepReason(r)).toBe("DEFAULT");
  });

  it("a flag without any targeting is STATIC", () => {
    const r = evaluate(boolFlag("f", { fallthrough: { variation: "on" } }), {});
    expect(r).toMatchObject({ reason: "FALLTHROUGH", isStatic: true, value: true });
    expect(toOfrepReason(r)).toBe("STATIC");
  });

  it("`any` rules match on one clause; empty `all` rules match everyone", () => {
    const f = boolFlag("f", {
      rules: [
        { id: "any", match: "any", clauses: [{ attribute: "a", op: "in", values: ["1"] }, { attribute: "b", op: "in", values: ["2"] }], serve: { variation: "on" } },
      ],
    });
    expect(evaluate(f, { b: "2" }).reason).toBe("RULE_MATCH");
    expect(evaluate(f, { b: "3" }).reason).toBe("FALLTHROUGH");
    const all = boolFlag("g", { rules: [{ id: "everyone", clauses: [], serve: { variation: "on" } }] });
    expect(evaluate(all, {}).reason).toBe("RULE_MATCH");
  });

  it("string, number and JSON variations", () => {
    const f: Flag = {
      key: "theme",
      kind: "release",
      valueType: "json",
      variations: [
        { key: "dark", value: { bg: "#000", accents: ["teal"] } },
        { key: "light", value: { bg: "#fff", accents: [] } },
      ],
      config: { on: true, offVariation: "light", targets: [], rules: [], prerequisites: [], fallthrough: { variation: "dark" } },
    };
    expect(evaluate(f, {}).value).toEqual({ bg: "#000", accents: ["teal"] });
  });
});

describe("rollouts", () => {
  const split = boolFlag("split", {
    fallthrough: { rollout: { weights: [{ variation: "on", weight: 50_000 }, { variation: "off", weight: 50_000 }], bucketBy: "orgId" } },
  });

  it("buckets by the configured attribute", () => {
    const a = evaluate(split, { targetingKey: "u1", orgId: "org-7" });
    const b = evaluate(split, { targetingKey: "u2", orgId: "org-7" });
    expect(a.variationKey).toBe(b.variationKey);
    expect(a.bucket).toBe(b.bucket);
  });

  it("a context without the bucketBy value gets the first variation with MISSING_BUCKET_KEY", () => {
    const r = evaluate(split, { targetingKey: "u1" });
    expect(r).toMatchObject({ reason: "FALLTHROUGH", variationKey: "on", errorCode: "MISSING_BUCKET_KEY", inRollout: false });
    expect(evaluate(split, { targetingKey: "u1", orgId: "" }).errorCode).toBe("MISSING_BUCKET_KEY");
    expect(toOfrepReason(r)).toBe("DEFAULT");
  });

  it("lays ranges out in the flag's variation order, not the weight list's", () => {
    const a = boolFlag("order", { fallthrough: { rollout: { weights: [{ variation: "on", weight: 30_000 }, { variation: "off", weight: 70_000 }] } } });
    const b = boolFlag("order", { fallthrough: { rollout: { weights: [{ variation: "off", weight: 70_000 }, { variation: "on", weight: 30_000 }] } } });
    for (let i = 0; i < 200; i++) {
      const ctx = { targetingKey: `user-${i}` };
      expect(evaluate(a, ctx).variationKey).toBe(evaluate(b, ctx).variationKey);
    }
  });

  it("changing the seed re-buckets", () => {
    const s1 = boolFlag("seeded", { fallthrough: { rollout: { seed: "one", weights: [{ variation: "on", weight: 50_000 }, { variation: "off", weight: 50_000 }] } } });
    const s2 = boolFlag("seeded", { fallthrough: { rollout: { seed: "two", weights: [{ variation: "on", weight: 50_000 }, { variation: "off", weight: 50_000 }] } } });
    let moved = 0;
    for (let i = 0; i < 200; i++) if (evaluate(s1, { targetingKey: `u${i}` }).bucket !== evaluate(s2, { targetingKey: `u${i}` }).bucket) moved++;
    expect(moved).toBeGreaterThan(190);
  });

  it("a coverage gate sends contexts outside it to the next rule", () => {
    const f = boolFlag("cov", {
      rules: [{ id: "half", clauses: [], serve: { variation: "on" }, coverage: { percentage: 50_000 } }],
      fallthrough: { variation: "off" },
    });
    const reasons = new Set<string>();
    let on = 0;
    for (let i = 0; i < 2000; i++) {
      const r = evaluate(f, { targetingKey: `u${i}` });
      reasons.add(r.reason);
      if (r.value) on++;
    }
    expect(reasons).toEqual(new Set(["RULE_MATCH", "FALLTHROUGH"]));
    expect(on).toBeGreaterThan(900);
    expect(on).toBeLessThan(1100);
    expect(evaluate(f, {}).reason).toBe("FALLTHROUGH"); // no key: not covered
  });
});

describe("experiment opt-out", () => {
  const experiment: Flag = {
    key: "pricing-test",
    kind: "experiment",
    valueType: "string",
    variations: [
      { key: "control", value: "old" },
      { key: "treatment", value: "new" },
    ],
    config: {
      on: true,
      offVariation: "control",
      targets: [],
      prerequisites: [],
      rules: [{ id: "eu", clauses: [{ attribute: "region", op: "in", values: ["eu"] }], serve: { rollout: { weights: [{ variation: "control", weight: 0 }, { variation: "treatment", weight: 100_000 }] } } }],
      fallthrough: { rollout: { weights: [{ variation: "control", weight: 0 }, { variation: "treatment", weight: 100_000 }] } },
    },
  };
  const env = { optOutAttribute: "experimentsOptOut" };

  it("opted-out contexts get the control variation, flagged, with the usual reason", () => {
    expect(evaluate(experiment, { targetingKey: "u", experimentsOptOut: true }, env)).toMatchObject({
      value: "old",
      variationKey: "control",
      reason: "FALLTHROUGH",
      optedOut: true,
      inRollout: false,
    });
    expect(evaluate(experiment, { targetingKey: "u", region: "eu", experimentsOptOut: "true" }, env)).toMatchObject({
      reason: "RULE_MATCH",
      ruleId: "eu",
      optedOut: true,
    });
  });
  it("others are bucketed", () => {
    expect(evaluate(experiment, { targetingKey: "u", experimentsOptOut: false }, env)).toMatchObject({ value: "new", inRollout: true });
    expect(evaluate(experiment, { targetingKey: "u", experimentsOptOut: true }).value).toBe("new"); // no opt-out attribute configured
  });
  it("applies to experiment flags only", () => {
    const release = { ...experiment, kind: "release" as const };
    expect(evaluate(release, { targetingKey: "u", experimentsOptOut: true }, env).value).toBe("new");
  });
  it("honours an explicit control variation", () => {
    const f = { ...experiment, controlVariation: "treatment", config: { ...experiment.config, fallthrough: { rollout: { weights: [{ variation: "control", weight: 100_000 }, { variation: "treatment", weight: 0 }] } } } };
    expect(evaluate(f, { targetingKey: "u", experimentsOptOut: true }, env).variationKey).toBe("treatment");
  });
});

describe("prerequisites", () => {
  const billing = boolFlag("billing", { rules: [{ id: "pro", clauses: [{ attribute: "plan", op: "in", values: ["pro"] }], serve: { variation: "on" } }] });
  const invoices = boolFlag("invoices", { prerequisites: [{ flagKey: "billing", variation: "on" }], fallthrough: { variation: "on" } });

  it("passes when the prerequisite serves the required variation", () => {
    expect(evaluate(invoices, { plan: "pro" }, { flags: [billing] })).toMatchObject({ reason: "FALLTHROUGH", value: true });
  });
  it("fails with the off variation and names the prerequisite", () => {
    const r = evaluate(invoices, { plan: "free" }, { flags: [billing] });
    expect(r).toMatchObject({ reason: "PREREQUISITE_FAILED", prerequisiteKey: "billing", value: false, variationKey: "off" });
    expect(toOfrepReason(r)).toBe("DEFAULT");
    expect(explainResult(r, invoices)).toBe("Served `off` (the off variation) because prerequisite flag `billing` did not serve `on`.");
  });
  it("a missing prerequisite fails with PREREQUISITE_NOT_FOUND", () => {
    expect(evaluate(invoices, { plan: "pro" })).toMatchObject({ reason: "PREREQUISITE_FAILED", errorCode: "PREREQUISITE_NOT_FOUND", prerequisiteKey: "billing" });
  });
  it("an off prerequisite serves its off variation, which may be what is required", () => {
    const offBilling = boolFlag("billing", { on: false });
    const needsOff = boolFlag("legacy", { prerequisites: [{ flagKey: "billing", variation: "off" }], fallthrough: { variation: "on" } });
    expect(evaluate(needsOff, {}, { flags: [offBilling] }).value).toBe(true);
  });
  it("accepts any of several variations", () => {
    const f = boolFlag("multi", { prerequisites: [{ flagKey: "billing", variation: "on", variations: ["on", "off"] }], fallthrough: { variation: "on" } });
    expect(evaluate(f, { plan: "free" }, { flags: [billing] }).value).toBe(true);
  });
  it("cycles fail with PREREQUISITE_CYCLE instead of recursing", () => {
    const a = boolFlag("a", { prerequisites: [{ flagKey: "b", variation: "on" }], fallthrough: { variation: "on" } });
    const b = boolFlag("b", { prerequisites: [{ flagKey: "a", variation: "on" }], fallthrough: { variation: "on" } });
    expect(evaluate(a, {}, { flags: [b] })).toMatchObject({ reason: "PREREQUISITE_FAILED", errorCode: "PREREQUISITE_CYCLE", value: false });
  });
  it("chains deeper than 10 are an error; 10 is fine", () => {
    const chain = (n: number) =>
      Array.from({ length: n + 1 }, (_, i) =>
        boolFlag(`c${i}`, { prerequisites: i < n ? [{ flagKey: `c${i + 1}`, variation: "on" }] : [], fallthrough: { variation: "on" } }),
      );
    const ten = chain(10);
    expect(evaluate(ten[0], {}, { flags: ten }).value).toBe(true);
    const eleven = chain(11);
    expect(evaluate(eleven[0], {}, { flags: eleven })).toMatchObject({ reason: "ERROR", errorCode: "MALFORMED_FLAG" });
  });
});

describe("errors never throw", () => {
  const snapshot = compileSnapshot({ flags: [checkout], segments: [] });
  it("unknown flag → FLAG_NOT_FOUND with the caller's default", () => {
    expect(evaluateFlag(snapshot, "nope", {}, { defaultValue: true })).toMatchObject({ reason: "ERROR", errorCode: "FLAG_NOT_FOUND", value: true });
    expect(toOfrepReason(evaluateFlag(snapshot, "nope", {}))).toBe("ERROR");
  });
  it("unknown variation → MALFORMED_FLAG on the path that uses it", () => {
    const f = boolFlag("bad", { rules: [{ id: "r", clauses: [{ attribute: "x", op: "exists", values: [] }], serve: { variation: "purple" } }], fallthrough: { variation: "on" } });
    expect(evaluate(f, { x: 1 }, { defaultValue: false })).toMatchObject({ reason: "ERROR", errorCode: "MALFORMED_FLAG", value: false });
    expect(evaluate(f, {})).toMatchObject({ reason: "FALLTHROUGH", value: true });
  });
  it("weights not adding up → MALFORMED_FLAG", () => {
    const f = boolFlag("w", { fallthrough: { rollout: { weights: [{ variation: "on", weight: 10 }] } } });
    expect(evaluate(f, { targetingKey: "u" }).errorCode).toBe("MALFORMED_FLAG");
  });
  it("a default of another type → TYPE_MISMATCH", () => {
    expect(evaluate(checkout, { targetingKey: "u" }, { defaultValue: "yes" })).toMatchObject({ reason: "ERROR", errorCode: "TYPE_MISMATCH", value: "yes" });
  });
  it("garbage in, result out", () => {
    for (const junk of [null, undefined, 42, "x", [], { config: null }, { key: "k", config: { on: true } }]) {
      expect(() => evaluate(junk as unknown as Flag, junk as never)).not.toThrow();
    }
    expect(evaluateFlag(snapshot, "new-checkout", null as never).reason).toBe("FALLTHROUGH");
  });
});

describe("evaluateAll", () => {
  it("evaluates every flag", () => {
    const snap = compileSnapshot({ flags: [checkout, boolFlag("other", { fallthrough: { variation: "on" } })], segments: [] });
    const all = evaluateAll(snap, { targetingKey: "vip-1" });
    expect([...all.keys()]).toEqual(["new-checkout", "other"]);
    expect(all.get("other")!.value).toBe(true);
  });
});

describe("explanations", () => {
  const segments: Segment[] = [{ key: "beta", included: ["u1"], excluded: [], rules: [] }];
  const f = boolFlag("explained", {
    rules: [
      {
        id: "r1",
        clauses: [
          { attribute: "plan", op: "in", values: ["pro", "enterprise"] },
          { attribute: "country", op: "in", values: ["US", "CA"] },
        ],
        serve: { rollout: { weights: [{ variation: "on", weight: 100_000 }, { variation: "off", weight: 0 }] } },
      },
      { id: "r2", clauses: [{ attribute: "", op: "inSegment", values: ["beta"] }, { attribute: "appVersion", op: "semverGte", values: ["2.1.0"] }], serve: { variation: "on" } },
    ],
  });
  const say = (ctx: Record<string, unknown>, r?: EvaluationResult) => explainResult(r ?? evaluate(f, ctx, { segments }), f, ctx, segments);

  it("names the rule, its conditions and the rollout", () => {
    const text = say({ targetingKey: "u9", plan: "pro", country: "US" });
    expect(text).toMatch(/^Served `on` because rule 1 matched: plan is one of pro, enterprise \(it is pro\) AND country is one of US, CA \(it is US\); in the 100 % rollout \(bucket \d+\.\d{3}\)\.$/);
  });
  it("segments and versions", () => {
    expect(say({ targetingKey: "u1", appVersion: "2.3.0" })).toBe(
      "Served `on` because rule 2 matched: is in segment beta AND appVersion is version 2.1.0 or newer (it is 2.3.0).",
    );
  });
  it("fallthrough, off, target, error", () => {
    expect(say({ targetingKey: "u5" })).toBe("Served `off` because no rule matched, so the default rule applies.");
    expect(explainResult({ value: false, variationKey: "off", reason: "OFF" }, f)).toBe("Served `off` because the flag is off.");
    expect(explainResult({ value: true, variationKey: "on", reason: "TARGET_MATCH" }, f, { targetingKey: "ann" })).toBe("Served `on` because `ann` is individually targeted.");
    expect(explainResult({ value: null, reason: "ERROR", errorCode: "FLAG_NOT_FOUND", errorMessage: "There is no flag x." }, f)).toBe(
      "Could not evaluate the flag (FLAG_NOT_FOUND: There is no flag x.); served the default value null.",
    );
  });
  it("missing bucket key and opt-out", () => {
    const r: EvaluationResult = { value: true, variationKey: "on", reason: "RULE_MATCH", ruleId: "r1", ruleIndex: 0, inRollout: false, errorCode: "MISSING_BUCKET_KEY" };
    expect(explainResult(r, f)).toContain("the context has no targetingKey to bucket by, so it gets the first variation `on`");
    const o: EvaluationResult = { value: true, variationKey: "on", reason: "FALLTHROUGH", optedOut: true, inRollout: false };
    expect(explainResult(o, f)).toContain("opted out of experiments");
  });
});
