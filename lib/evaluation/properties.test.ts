import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { flagConfigSchema, flagDefinitionSchema, segmentSchema } from "../schemas/flag-config";
import { bucketFor } from "./bucketing";
import { compileSnapshot } from "./compile";
import { evaluate, evaluateAll, evaluateFlag } from "./evaluate";
import { explainResult } from "./explain";
import { toOfrepReason } from "./ofrep";
import type { CatalogAttribute, Clause, Flag, FlagConfig, FlagDefinition, JsonValue, Rule, Segment, Serve, Variation } from "./types";
import { validateFlagConfig, validateSegment } from "./validate";

// ---------------------------------------------------------------------------------------------
// Rollout properties

function twoWay(weightA: number, seed?: string): Flag {
  return {
    key: "rollout-flag",
    kind: "release",
    valueType: "boolean",
    variations: [
      { key: "a", value: true },
      { key: "b", value: false },
    ],
    config: {
      on: true,
      offVariation: "b",
      targets: [],
      rules: [],
      prerequisites: [],
      fallthrough: { rollout: { seed, weights: [{ variation: "a", weight: weightA }, { variation: "b", weight: 100_000 - weightA }] } },
    },
  };
}

describe("rollout properties", () => {
  it("is deterministic: the same context always gets the same result", () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 0, max: 100_000 }), fc.option(fc.string(), { nil: undefined }), (key, w, seed) => {
        const flag = twoWay(w, seed);
        const a = evaluate(flag, { targetingKey: key });
        const b = evaluate(structuredClone(flag), { targetingKey: key });
        expect(b).toEqual(a);
        const snap = compileSnapshot({ flags: [flag], segments: [] });
        expect(evaluateFlag(snap, flag.key, { targetingKey: key })).toEqual(a);
      }),
    );
  });

  it("raising one variation's share of a two-way rollout never removes anyone from it", () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: "grapheme" }), { minLength: 1, maxLength: 50 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.option(fc.string(), { nil: undefined }),
        (keys, x, y, seed) => {
          const [lo, hi] = x <= y ? [x, y] : [y, x];
          const before = compileSnapshot({ flags: [twoWay(lo, seed)], segments: [] });
          const after = compileSnapshot({ flags: [twoWay(hi, seed)], segments: [] });
          for (const key of keys) {
            const ctx = { targetingKey: key };
            const b = evaluateFlag(before, "rollout-flag", ctx).variationKey;
            const a = evaluateFlag(after, "rollout-flag", ctx).variationKey;
            // `a` grew from lo to hi: everyone in `a` stays; `b` shrank: everyone now in `b` was there.
            if (b === "a") expect(a).toBe("a");
            if (a === "b") expect(b).toBe("b");
          }
        },
      ),
    );
  });

  it("serves each variation within ±0.5 percentage points of its weight over 100,000 random keys", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 99_999 }), { minLength: 1, maxLength: 3 }).map((cuts) => {
          const sorted = [...new Set(cuts)].sort((p, q) => p - q);
          const bounds = [0, ...sorted, 100_000];
          return bounds.slice(1).map((b, i) => b - bounds[i]);
        }),
        fc.string(),
        fc.integer(),
        (weights, seed, keySeed) => {
          const variations = weights.map((_, i) => ({ key: `v${i}`, value: i }));
          const flag: Flag = {
            key: "dist",
            kind: "experiment",
            valueType: "number",
            variations,
            config: {
              on: true,
              offVariation: "v0",
              targets: [],
              rules: [],
              prerequisites: [],
              fallthrough: { rollout: { seed, weights: weights.map((w, i) => ({ variation: `v${i}`, weight: w })) } },
            },
          };
          const snap = compileSnapshot({ flags: [flag], segments: [] });
          const counts = new Array<number>(weights.length).fill(0);
          let s = keySeed | 0;
          const N = 100_000;
          const ctx = { targetingKey: "" };
          for (let i = 0; i < N; i++) {
            s = (Math.imul(s, 1664525) + 1013904223) | 0;
            ctx.targetingKey = `${(s >>> 0).toString(36)}-${i}`;
            counts[evaluateFlag(snap, "dist", ctx).value as number]++;
          }
          weights.forEach((w, i) => {
            expect(Math.abs((counts[i] / N) * 100 - w / 1000)).toBeLessThanOrEqual(0.5);
          });
        },
      ),
      { numRuns: 6 },
    );
  });

  it("bucketFor stays in [0, 100000)", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string({ unit: "binary" }), (seed, key, value) => {
        const b = bucketFor(seed, key, value);
        expect(Number.isInteger(b) && b >= 0 && b < 100_000).toBe(true);
      }),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Never throws: arbitrary, often malformed, configurations and arbitrary contexts

const OPS = [
  "in", "notIn", "equals", "contains", "startsWith", "endsWith", "matches", "lt", "lte", "gt", "gte", "before", "after",
  "semverEq", "semverLt", "semverGt", "semverGte", "semverLte", "exists", "inSegment", "notInSegment", "inCidr",
];

const nasty = fc.anything({
  withBoxedValues: true,
  withNullPrototype: true,
  withObjectString: true,
  withMap: true,
  withSet: true,
  withDate: true,
  withTypedArray: true,
  withSparseArray: true,
});

/** Mostly the right shape, sometimes anything at all. */
function maybe<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 5, arbitrary: arb }, { weight: 1, arbitrary: nasty });
}

const attrNames = fc.constantFrom("targetingKey", "plan", "age", "appVersion", "currentTime", "ip", "tags", "a.b", "toString", "");
const varKeys = fc.constantFrom("on", "off", "x", "missing");
const looseValue = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constantFrom("1.2.3", "2.0.0-rc.1", "v1.0.0", "10.0.0.0/8", "::1/128", "2026-01-01", "^(a+)+$", "(?i)x", "pro"),
);
const looseClause = fc.record(
  {
    attribute: maybe(attrNames),
    op: maybe(fc.constantFrom(...OPS)),
    values: maybe(fc.array(maybe(looseValue), { maxLength: 5 })),
    negate: maybe(fc.boolean()),
    caseInsensitive: maybe(fc.boolean()),
    negateMatchesMissing: maybe(fc.boolean()),
  },
  { requiredKeys: [] },
);
const looseWeights = fc.array(maybe(fc.record({ variation: maybe(varKeys), weight: maybe(fc.oneof(fc.integer({ min: -10, max: 100_000 }), fc.constant(50_000))) })), {
  maxLength: 4,
});
const looseServe = fc.oneof(
  fc.record({ variation: maybe(varKeys) }),
  fc.record({
    rollout: maybe(
      fc.record(
        {
          weights: maybe(looseWeights),
          bucketBy: maybe(attrNames),
          seed: maybe(fc.string()),
          unleash: maybe(fc.record({ groupId: maybe(fc.string()), stickiness: maybe(fc.constantFrom("default", "random", "userId", "plan")) })),
          overrides: maybe(fc.array(maybe(fc.record({ attribute: maybe(attrNames), values: maybe(fc.array(fc.string())), variation: maybe(varKeys) })))),
        },
        { requiredKeys: [] },
      ),
    ),
  }),
  nasty,
);
const looseRule = fc.record(
  {
    id: maybe(fc.string()),
    match: maybe(fc.constantFrom("all", "any")),
    clauses: maybe(fc.array(maybe(looseClause), { maxLength: 4 })),
    serve: looseServe,
    coverage: maybe(fc.record({ percentage: maybe(fc.integer({ min: -5, max: 100_005 })), unleash: maybe(fc.record({ groupId: fc.string(), stickiness: fc.string() })) })),
  },
  { requiredKeys: [] },
);
const looseFlag = (key: string) =>
  fc.record({
    key: fc.constant(key),
    kind: maybe(fc.constantFrom("release", "experiment")),
    valueType: maybe(fc.constantFrom("boolean", "string")),
    controlVariation: maybe(varKeys),
    variations: maybe(fc.array(maybe(fc.record({ key: maybe(varKeys), value: nasty })), { maxLength: 4 })),
    config: maybe(
      fc.record(
        {
          on: maybe(fc.boolean()),
          offVariation: maybe(varKeys),
          targets: maybe(fc.array(maybe(fc.record({ variation: maybe(varKeys), values: maybe(fc.array(maybe(fc.string()))) })), { maxLength: 3 })),
          rules: maybe(fc.array(maybe(looseRule), { maxLength: 4 })),
          fallthrough: looseServe,
          prerequisites: maybe(fc.array(maybe(fc.record({ flagKey: maybe(fc.constantFrom("f0", "f1", "f2", "nope")), variation: maybe(varKeys) })), { maxLength: 3 })),
        },
        { requiredKeys: [] },
      ),
    ),
  });
const looseSegment = fc.record({
  key: fc.constantFrom("s0", "s1", "s2"),
  included: maybe(fc.array(maybe(fc.string()))),
  excluded: maybe(fc.array(maybe(fc.string()))),
  rules: maybe(fc.array(maybe(fc.record({ id: fc.string(), match: maybe(fc.constantFrom("all", "any")), clauses: maybe(fc.array(maybe(looseClause))) })))),
});
const looseContext = fc.oneof(
  nasty,
  fc.record(
    {
      targetingKey: maybe(fc.string()),
      plan: maybe(looseValue),
      age: maybe(looseValue),
      appVersion: maybe(looseValue),
      currentTime: maybe(looseValue),
      ip: maybe(fc.oneof(fc.ipV4(), fc.ipV6(), fc.string())),
      tags: maybe(fc.array(looseValue)),
      userId: maybe(fc.string()),
      experimentsOptOut: maybe(fc.boolean()),
    },
    { requiredKeys: [] },
  ),
);

describe("evaluation never throws", () => {
  it("for arbitrary configurations, segments and contexts", () => {
    fc.assert(
      fc.property(
        fc.tuple(looseFlag("f0"), looseFlag("f1"), looseFlag("f2")),
        fc.array(looseSegment, { maxLength: 3 }),
        looseContext,
        fc.option(fc.integer(), { nil: undefined }),
        (flags, segments, context, now) => {
          const env = { flags: flags as unknown as Flag[], segments: segments as unknown as Segment[], now, optOutAttribute: "experimentsOptOut" };
          for (const f of flags) {
            const r = evaluate(f as unknown as Flag, context as never, env);
            expect(["OFF", "TARGET_MATCH", "RULE_MATCH", "FALLTHROUGH", "PREREQUISITE_FAILED", "ERROR"]).toContain(r.reason);
            expect(typeof explainResult(r, f as unknown as Flag, context as never)).toBe("string");
            expect(typeof toOfrepReason(r)).toBe("string");
          }
          const snap = compileSnapshot({ flags: flags as unknown as Flag[], segments: segments as unknown as Segment[] });
          expect(evaluateAll(snap, context as never).size).toBe(3);
        },
      ),
      { numRuns: 400 },
    );
  });

  it("for anything at all", () => {
    fc.assert(
      fc.property(nasty, nasty, nasty, (flag, context, env) => {
        expect(() => evaluate(flag as never, context as never, env as never)).not.toThrow();
        expect(() => compileSnapshot(flag as never)).not.toThrow();
        expect(() => validateFlagConfig(flag as never, context as never, env as never, [], flag as never)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Valid configurations: a generator that only produces configurations that should be accepted

const catalog: CatalogAttribute[] = [
  { key: "plan", type: "string", sensitivity: "public", allowedValues: ["free", "pro", "enterprise"] },
  { key: "country", type: "string", sensitivity: "public" },
  { key: "email", type: "string", sensitivity: "private" },
  { key: "ip", type: "string", sensitivity: "public" },
  { key: "age", type: "number", sensitivity: "public" },
  { key: "appVersion", type: "semver", sensitivity: "public" },
  { key: "signupDate", type: "date", sensitivity: "public" },
  { key: "beta", type: "boolean", sensitivity: "public" },
  { key: "tags", type: "list", sensitivity: "public" },
  { key: "orgId", type: "string", sensitivity: "public" },
];
const validSegments: Segment[] = [
  { key: "beta-testers", included: ["u1", "u2"], excluded: ["u3"], rules: [] },
  { key: "pros", included: [], excluded: [], rules: [{ id: "r", clauses: [{ attribute: "plan", op: "in", values: ["pro"] }] }] },
  { key: "nested", included: [], excluded: [], rules: [{ id: "r", clauses: [{ attribute: "", op: "inSegment", values: ["pros"] }] }] },
];
const depFlags: Flag[] = ["billing", "search"].map((key) => ({
  key,
  kind: "release",
  valueType: "boolean",
  variations: [
    { key: "on", value: true },
    { key: "off", value: false },
  ],
  config: { on: true, offVariation: "off", targets: [], rules: [], prerequisites: [], fallthrough: { variation: "on" } },
}));

const text = fc.string({ minLength: 1, maxLength: 12, unit: "grapheme" });
const semverArb = fc
  .tuple(fc.nat(20), fc.nat(20), fc.nat(20), fc.option(fc.constantFrom("alpha", "beta.2", "rc.1", "0"), { nil: undefined }), fc.boolean())
  .map(([a, b, c, pre, v]) => `${v ? "v" : ""}${a}.${b}.${c}${pre ? `-${pre}` : ""}`);
const dateArb = fc.date({ noInvalidDate: true, min: new Date("1970-01-01"), max: new Date("2100-01-01") }).chain((d) =>
  fc.constantFrom<string | number>(d.toISOString(), d.getTime(), d.toISOString().slice(0, 10)),
);
const cidrArb = fc.oneof(
  fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 })).map(([ip, p]) => `${ip}/${p}`),
  fc.tuple(fc.ipV6(), fc.integer({ min: 0, max: 128 })).map(([ip, p]) => `${ip}/${p}`),
  fc.ipV4(),
);
const safeRegex = fc.constantFrom("^[a-z]+$", "@corp\\.example$", "^user\\d{3}$", "(?i)^vip", "^[[:alpha:]]+-\\d+$", "a.*b");
const neg = fc.option(fc.boolean(), { nil: undefined });

const validClause: fc.Arbitrary<Clause> = fc.oneof(
  fc.record({ attribute: fc.constant("plan"), op: fc.constantFrom("in" as const, "notIn" as const), values: fc.subarray(["free", "pro", "enterprise"], { minLength: 1 }), negate: neg }),
  fc.record({
    attribute: fc.constantFrom("country", "email", "tags"),
    op: fc.constantFrom("in" as const, "notIn" as const, "equals" as const, "contains" as const, "startsWith" as const, "endsWith" as const),
    values: fc.array(text, { minLength: 1, maxLength: 20 }),
    negate: neg,
    caseInsensitive: fc.option(fc.boolean(), { nil: undefined }),
  }),
  fc.record({ attribute: fc.constantFrom("email", "country"), op: fc.constant("matches" as const), values: fc.array(safeRegex, { minLength: 1, maxLength: 2 }), negate: neg }),
  fc.record({ attribute: fc.constant("ip"), op: fc.constant("inCidr" as const), values: fc.array(cidrArb, { minLength: 1, maxLength: 3 }), negate: neg }),
  fc.record({
    attribute: fc.constant("age"),
    op: fc.constantFrom("lt" as const, "lte" as const, "gt" as const, "gte" as const, "in" as const, "equals" as const),
    values: fc.array(fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })), { minLength: 1, maxLength: 3 }),
    negate: neg,
  }),
  fc.record({
    attribute: fc.constant("appVersion"),
    op: fc.constantFrom("semverEq" as const, "semverLt" as const, "semverGt" as const, "semverGte" as const, "semverLte" as const),
    values: fc.array(semverArb, { minLength: 1, maxLength: 3 }),
    negate: neg,
  }),
  fc.record({ attribute: fc.constantFrom("signupDate", "currentTime"), op: fc.constantFrom("before" as const, "after" as const), values: fc.array(dateArb, { minLength: 1, maxLength: 2 }), negate: neg }),
  fc.record({ attribute: fc.constant("beta"), op: fc.constant("equals" as const), values: fc.array(fc.boolean(), { minLength: 1, maxLength: 2 }), negate: neg }),
  fc.record({ attribute: fc.constantFrom("plan", "age", "appVersion", "signupDate", "beta", "tags", "targetingKey"), op: fc.constant("exists" as const), values: fc.constant<Clause["values"]>([]), negate: neg }),
  fc.record({
    attribute: fc.constant(""),
    op: fc.constantFrom("inSegment" as const, "notInSegment" as const),
    values: fc.subarray(validSegments.map((s) => s.key), { minLength: 1 }),
    negate: neg,
  }),
);

function weightsArb(keys: string[]): fc.Arbitrary<{ variation: string; weight: number }[]> {
  return fc
    .shuffledSubarray(keys, { minLength: 1 })
    .chain((vs) => fc.tuple(fc.constant(vs), fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: vs.length - 1, maxLength: vs.length - 1 })))
    .map(([vs, cuts]) => {
      const bounds = [0, ...cuts.sort((a, b) => a - b), 100_000];
      return vs.map((v, i) => ({ variation: v, weight: bounds[i + 1] - bounds[i] }));
    });
}

function serveArb(keys: string[]): fc.Arbitrary<Serve> {
  return fc.oneof(
    fc.constantFrom(...keys).map((variation) => ({ variation })),
    fc
      .record({
        weights: weightsArb(keys),
        bucketBy: fc.option(fc.constantFrom("targetingKey", "orgId"), { nil: undefined }),
        seed: fc.option(text, { nil: undefined }),
      })
      .map((r) => ({ rollout: Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as unknown as Extract<Serve, { rollout: unknown }>["rollout"] })),
  );
}

const definitionArb: fc.Arbitrary<FlagDefinition> = fc
  .record({
    valueType: fc.constantFrom("boolean" as const, "string" as const, "number" as const, "json" as const),
    kind: fc.constantFrom("release" as const, "experiment" as const, "operational" as const, "permission" as const),
    keys: fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{0,9}$/), { minLength: 1, maxLength: 4 }),
  })
  .chain(({ valueType, kind, keys }) => {
    const value: fc.Arbitrary<JsonValue> =
      valueType === "boolean" ? fc.boolean() : valueType === "string" ? fc.string() : valueType === "number" ? fc.integer() : (fc.jsonValue() as fc.Arbitrary<JsonValue>);
    return fc.tuple(...keys.map(() => value)).map((values) => ({
      key: "flag-under-test",
      kind,
      valueType,
      variations: keys.map((key, i): Variation => ({ key, value: values[i] })),
    }));
  });

const validFlagArb: fc.Arbitrary<{ def: FlagDefinition; config: FlagConfig }> = definitionArb.chain((def) => {
  const keys = def.variations.map((v) => v.key);
  const rule = (id: string): fc.Arbitrary<Rule> =>
    fc
      .record({
        match: fc.option(fc.constantFrom("all" as const, "any" as const), { nil: undefined }),
        clauses: fc.array(validClause, { minLength: 1, maxLength: 4 }),
        serve: serveArb(keys),
        coverage: fc.option(fc.record({ percentage: fc.integer({ min: 0, max: 100_000 }) }), { nil: undefined }),
        description: fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
      })
      .map((r) => ({ id, ...(Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as Omit<Rule, "id">) }));
  return fc
    .record({
      on: fc.boolean(),
      offVariation: fc.constantFrom(...keys),
      targets: fc.array(fc.record({ variation: fc.constantFrom(...keys), values: fc.uniqueArray(text, { maxLength: 5 }) }), { maxLength: 2 }),
      rules: fc.nat(5).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => rule(`rule-${i}`)))),
      fallthrough: serveArb(keys),
      prerequisites: fc.subarray(depFlags.map((f) => f.key)).map((ks) => ks.map((flagKey) => ({ flagKey, variation: "on" }))),
    })
    .map((config) => {
      // Keys individually targeted by two lists are only a warning; keep them distinct anyway.
      const seen = new Set<string>();
      config.targets = config.targets.map((t) => ({ ...t, values: t.values.filter((v) => !seen.has(v) && seen.add(v)) }));
      return { def, config: config as FlagConfig };
    });
});

describe("validation accepts every valid configuration", () => {
  it("the schema parses it and validateFlagConfig reports no errors; evaluation never errors", () => {
    fc.assert(
      fc.property(validFlagArb, fc.dictionary(fc.constantFrom("plan", "age", "appVersion", "email", "ip", "tags"), fc.jsonValue()), (gen, attrs) => {
        const { def, config } = gen;
        expect(flagDefinitionSchema.safeParse(def).success).toBe(true);
        const parsed = flagConfigSchema.safeParse(config);
        expect(parsed.error).toBeUndefined();
        const errors = validateFlagConfig(config, catalog, validSegments, depFlags, def).filter((i) => i.severity !== "warning");
        expect(errors).toEqual([]);
        const flag: Flag = { ...def, config };
        const r = evaluate(flag, { targetingKey: "someone", ...attrs }, { segments: validSegments, flags: depFlags });
        expect(r.reason).not.toBe("ERROR");
      }),
      { numRuns: 300 },
    );
  });

  it("the example segments are valid", () => {
    for (const s of validSegments) {
      expect(segmentSchema.safeParse(s).success).toBe(true);
      expect(validateSegment(s, catalog, validSegments)).toEqual([]);
    }
  });
});
