/**
 * fast-check generators shared by the engine's property tests (properties.test.ts) and the
 * format 2 round trip (packed.test.ts): loose configurations (mostly the right shape, sometimes
 * anything) and valid ones (what the schema and validateFlagConfig accept).
 */
import fc from "fast-check";
import type { CatalogAttribute, Clause, Flag, FlagConfig, FlagDefinition, JsonValue, Rule, Segment, Serve, Variation } from "./types";

export const OPS = [
  "in", "notIn", "equals", "contains", "startsWith", "endsWith", "matches", "lt", "lte", "gt", "gte", "before", "after",
  "semverEq", "semverLt", "semverGt", "semverGte", "semverLte", "exists", "inSegment", "notInSegment", "inCidr",
];

export const nasty = fc.anything({
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
export function maybe<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 5, arbitrary: arb }, { weight: 1, arbitrary: nasty });
}

export const attrNames = fc.constantFrom("targetingKey", "plan", "age", "appVersion", "currentTime", "ip", "tags", "a.b", "toString", "");
export const varKeys = fc.constantFrom("on", "off", "x", "missing");
export const looseValue = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constantFrom("1.2.3", "2.0.0-rc.1", "v1.0.0", "10.0.0.0/8", "::1/128", "2026-01-01", "^(a+)+$", "(?i)x", "pro"),
);
export const looseClause = fc.record(
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
export const looseWeights = fc.array(maybe(fc.record({ variation: maybe(varKeys), weight: maybe(fc.oneof(fc.integer({ min: -10, max: 100_000 }), fc.constant(50_000))) })), {
  maxLength: 4,
});
export const looseServe = fc.oneof(
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
export const looseRule = fc.record(
  {
    id: maybe(fc.string()),
    match: maybe(fc.constantFrom("all", "any")),
    clauses: maybe(fc.array(maybe(looseClause), { maxLength: 4 })),
    serve: looseServe,
    coverage: maybe(fc.record({ percentage: maybe(fc.integer({ min: -5, max: 100_005 })), unleash: maybe(fc.record({ groupId: fc.string(), stickiness: fc.string() })) })),
  },
  { requiredKeys: [] },
);
export const looseFlag = (key: string) =>
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
export const looseSegment = fc.record({
  key: fc.constantFrom("s0", "s1", "s2"),
  included: maybe(fc.array(maybe(fc.string()))),
  excluded: maybe(fc.array(maybe(fc.string()))),
  rules: maybe(fc.array(maybe(fc.record({ id: fc.string(), match: maybe(fc.constantFrom("all", "any")), clauses: maybe(fc.array(maybe(looseClause))) })))),
});
export const looseContext = fc.oneof(
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


export const catalog: CatalogAttribute[] = [
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
export const validSegments: Segment[] = [
  { key: "beta-testers", included: ["u1", "u2"], excluded: ["u3"], rules: [] },
  { key: "pros", included: [], excluded: [], rules: [{ id: "r", clauses: [{ attribute: "plan", op: "in", values: ["pro"] }] }] },
  { key: "nested", included: [], excluded: [], rules: [{ id: "r", clauses: [{ attribute: "", op: "inSegment", values: ["pros"] }] }] },
];
export const depFlags: Flag[] = ["billing", "search"].map((key) => ({
  key,
  kind: "release",
  valueType: "boolean",
  variations: [
    { key: "on", value: true },
    { key: "off", value: false },
  ],
  config: { on: true, offVariation: "off", targets: [], rules: [], prerequisites: [], fallthrough: { variation: "on" } },
}));

export const text = fc.string({ minLength: 1, maxLength: 12, unit: "grapheme" });
export const semverArb = fc
  .tuple(fc.nat(20), fc.nat(20), fc.nat(20), fc.option(fc.constantFrom("alpha", "beta.2", "rc.1", "0"), { nil: undefined }), fc.boolean())
  .map(([a, b, c, pre, v]) => `${v ? "v" : ""}${a}.${b}.${c}${pre ? `-${pre}` : ""}`);
export const dateArb = fc.date({ noInvalidDate: true, min: new Date("1970-01-01"), max: new Date("2100-01-01") }).chain((d) =>
  fc.constantFrom<string | number>(d.toISOString(), d.getTime(), d.toISOString().slice(0, 10)),
);
export const cidrArb = fc.oneof(
  fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 })).map(([ip, p]) => `${ip}/${p}`),
  fc.tuple(fc.ipV6(), fc.integer({ min: 0, max: 128 })).map(([ip, p]) => `${ip}/${p}`),
  fc.ipV4(),
);
export const safeRegex = fc.constantFrom("^[a-z]+$", "@corp\\.example$", "^user\\d{3}$", "(?i)^vip", "^[[:alpha:]]+-\\d+$", "a.*b");
export const neg = fc.option(fc.boolean(), { nil: undefined });

export const validClause: fc.Arbitrary<Clause> = fc.oneof(
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

export function weightsArb(keys: string[]): fc.Arbitrary<{ variation: string; weight: number }[]> {
  return fc
    .shuffledSubarray(keys, { minLength: 1 })
    .chain((vs) => fc.tuple(fc.constant(vs), fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: vs.length - 1, maxLength: vs.length - 1 })))
    .map(([vs, cuts]) => {
      const bounds = [0, ...cuts.sort((a, b) => a - b), 100_000];
      return vs.map((v, i) => ({ variation: v, weight: bounds[i + 1] - bounds[i] }));
    });
}

export function serveArb(keys: string[]): fc.Arbitrary<Serve> {
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

export const definitionArb: fc.Arbitrary<FlagDefinition> = fc
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

export const validFlagArb: fc.Arbitrary<{ def: FlagDefinition; config: FlagConfig }> = definitionArb.chain((def) => {
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

