import { describe, expect, it } from "vitest";
import { evaluate } from "./evaluate";
import { cidrContains, parseCidr, parseIp } from "./operators/cidr";
import { compareSemver, parseSemver } from "./operators/semver";
import type { Clause, EvaluationContext, Flag, Segment } from "./types";

function flagWith(clause: Clause): Flag {
  return {
    key: "f",
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
      prerequisites: [],
      rules: [{ id: "r", clauses: [clause], serve: { variation: "on" } }],
      fallthrough: { variation: "off" },
    },
  };
}

const NOW = Date.parse("2026-06-01T12:00:00Z");

function matches(clause: Clause, ctx: EvaluationContext, segments: Segment[] = []): boolean {
  const r = evaluate(flagWith(clause), ctx, { segments, now: NOW });
  expect(r.reason === "RULE_MATCH" || r.reason === "FALLTHROUGH").toBe(true);
  return r.reason === "RULE_MATCH";
}

type Row = [string, Partial<Clause> & { op: Clause["op"] }, unknown, boolean];

function table(rows: Row[]) {
  it.each(rows)("%s", (_name, partial, value, expected) => {
    const clause: Clause = { attribute: "a", values: [], ...partial };
    const ctx: EvaluationContext = value === undefined ? { targetingKey: "k" } : { targetingKey: "k", a: value };
    expect(matches(clause, ctx)).toBe(expected);
  });
}

describe("in / notIn", () => {
  table([
    ["string in list", { op: "in", values: ["pro", "enterprise"] }, "pro", true],
    ["string not in list", { op: "in", values: ["pro", "enterprise"] }, "free", false],
    ["empty list never matches", { op: "in", values: [] }, "pro", false],
    ["notIn with empty list matches a present value", { op: "notIn", values: [] }, "pro", true],
    ["case-sensitive by default", { op: "in", values: ["Pro"] }, "pro", false],
    ["case-insensitive", { op: "in", values: ["PRO"], caseInsensitive: true }, "pro", true],
    ["unicode", { op: "in", values: ["Zürich", "東京"] }, "東京", true],
    ["unicode case-insensitive", { op: "in", values: ["ÉCOLE"], caseInsensitive: true }, "école", true],
    ["number attribute against string operand", { op: "in", values: ["42"] }, 42, true],
    ["number operand against string attribute", { op: "in", values: [42] }, "42", true],
    ["boolean attribute", { op: "in", values: [true] }, true, true],
    ["list attribute: any element", { op: "in", values: ["beta"] }, ["alpha", "beta"], true],
    ["list attribute: no element", { op: "in", values: ["gamma"] }, ["alpha", "beta"], false],
    ["notIn list attribute: none in list", { op: "notIn", values: ["gamma"] }, ["alpha", "beta"], true],
    ["notIn list attribute: one in list", { op: "notIn", values: ["beta"] }, ["alpha", "beta"], false],
    ["missing attribute: in", { op: "in", values: ["pro"] }, undefined, false],
    ["missing attribute: notIn does not match", { op: "notIn", values: ["pro"] }, undefined, false],
    ["missing attribute: negated in does not match", { op: "in", values: ["pro"], negate: true }, undefined, false],
    ["null counts as missing", { op: "notIn", values: ["pro"] }, null, false],
    ["object value is unusable", { op: "notIn", values: ["pro"] }, { x: 1 }, false],
    ["negate", { op: "in", values: ["pro"], negate: true }, "free", true],
    ["negateMatchesMissing (Unleash inverted)", { op: "in", values: ["pro"], negate: true, negateMatchesMissing: true }, undefined, true],
  ]);
});

describe("equals", () => {
  table([
    ["string", { op: "equals", values: ["a@b.c"] }, "a@b.c", true],
    ["string mismatch", { op: "equals", values: ["a@b.c"] }, "a@b.cc", false],
    ["case-insensitive", { op: "equals", values: ["A@B.C"], caseInsensitive: true }, "a@b.c", true],
    ["numeric equality across forms", { op: "equals", values: [12] }, "12.0", true],
    ["number", { op: "equals", values: [12] }, 12, true],
    ["boolean", { op: "equals", values: [false] }, false, true],
    ["empty string is a value", { op: "equals", values: [""] }, "", true],
  ]);
});

describe("contains / startsWith / endsWith", () => {
  table([
    ["contains", { op: "contains", values: ["@corp."] }, "ann@corp.example", true],
    ["contains: no", { op: "contains", values: ["@corp."] }, "ann@example.com", false],
    ["startsWith any", { op: "startsWith", values: ["e1", "e2"] }, "e2 cool", true],
    ["startsWith: no", { op: "startsWith", values: ["e1", "e2"] }, "cool e1", false],
    ["endsWith", { op: "endsWith", values: [".edu"] }, "mit.edu", true],
    ["endsWith case", { op: "endsWith", values: [".EDU"] }, "mit.edu", false],
    ["endsWith case-insensitive", { op: "endsWith", values: [".EDU"], caseInsensitive: true }, "mit.edu", true],
    ["unicode contains", { op: "contains", values: ["😊"] }, "hi 😊 there", true],
    ["empty operand list", { op: "contains", values: [] }, "x", false],
    ["empty string operand matches everything present", { op: "startsWith", values: [""] }, "x", true],
    ["numbers are compared as text", { op: "startsWith", values: ["12"] }, 123, true],
    ["list attribute", { op: "endsWith", values: [".io"] }, ["a.com", "b.io"], true],
    ["negated: does not contain", { op: "contains", values: ["x"], negate: true }, "abc", true],
    ["negated on missing does not match", { op: "contains", values: ["x"], negate: true }, undefined, false],
  ]);
});

describe("matches (RE2 syntax, linear time)", () => {
  table([
    ["partial match", { op: "matches", values: ["cat"] }, "concatenate", true],
    ["anchored", { op: "matches", values: ["^user\\d{3}$"] }, "user123", true],
    ["anchored: no", { op: "matches", values: ["^user\\d{3}$"] }, "user12", false],
    ["case-insensitive flag", { op: "matches", values: ["^abc$"], caseInsensitive: true }, "AbC", true],
    ["inline (?i)", { op: "matches", values: ["^(?i)abc$"] }, "AbC", true],
    ["POSIX class", { op: "matches", values: ["^[[:alpha:]]+$"] }, "Alpha", true],
    ["unicode", { op: "matches", values: ["^\\p{Greek}+$"] }, "φιλος", true],
    ["invalid pattern never matches", { op: "matches", values: ["(unclosed"] }, "(unclosed", false],
    ["backreference is rejected by RE2 and never matches", { op: "matches", values: ["^(a)\\1$"] }, "aa", false],
    ["catastrophic-in-backtracking pattern is fast here", { op: "matches", values: ["^(a+)+$"] }, "a".repeat(5000) + "!", false],
  ]);
});

describe("numeric lt / lte / gt / gte", () => {
  table([
    ["gt", { op: "gt", values: [10] }, 11, true],
    ["gt equal", { op: "gt", values: [10] }, 10, false],
    ["gte equal", { op: "gte", values: [10] }, 10, true],
    ["lt", { op: "lt", values: [10] }, 9.5, true],
    ["lte", { op: "lte", values: [10] }, 10, true],
    ["numeric string attribute", { op: "gt", values: [10] }, "12", true],
    ["numeric string operand", { op: "lt", values: ["1e3"] }, 999, true],
    ["negative numbers", { op: "lt", values: [-1] }, -2, true],
    ["invalid number attribute does not match", { op: "gt", values: [10] }, "abc", false],
    ["invalid number attribute does not match negated", { op: "gt", values: [10], negate: true }, "abc", false],
    ["empty string is not zero", { op: "lt", values: [10] }, "", false],
    ["boolean is not a number", { op: "gt", values: [0] }, true, false],
    ["invalid operand never matches", { op: "gt", values: ["ten"] }, 11, false],
    ["any operand: gt the smallest", { op: "gt", values: [100, 5] }, 6, true],
    ["list attribute", { op: "gt", values: [10] }, [1, 20], true],
  ]);
});

describe("dates before / after", () => {
  table([
    ["ISO before", { op: "before", values: ["2026-01-01T00:00:00Z"] }, "2025-12-31T23:59:59Z", true],
    ["ISO after", { op: "after", values: ["2026-01-01"] }, "2026-01-02", true],
    ["epoch ms attribute", { op: "after", values: ["2026-01-01T00:00:00Z"] }, Date.parse("2026-02-01T00:00:00Z"), true],
    ["epoch ms operand", { op: "before", values: [Date.parse("2026-01-01T00:00:00Z")] }, "2025-06-01T00:00:00Z", true],
    ["timezone offsets", { op: "after", values: ["2022-01-22T13:00:00.000+02:00"] }, "2022-01-22T11:30:00.000Z", true],
    ["equal is neither before nor after", { op: "after", values: ["2026-01-01T00:00:00Z"] }, "2026-01-01T00:00:00Z", false],
    ["invalid date attribute", { op: "before", values: ["2026-01-01"] }, "next tuesday", false],
    ["invalid date attribute negated", { op: "before", values: ["2026-01-01"], negate: true }, "next tuesday", false],
    ["invalid operand never matches", { op: "before", values: ["soon"] }, "2020-01-01", false],
  ]);

  it("uses the clock argument for currentTime when the context has none", () => {
    const clause: Clause = { attribute: "currentTime", op: "after", values: ["2026-05-01T00:00:00Z"] };
    expect(matches(clause, { targetingKey: "k" })).toBe(true); // NOW is 2026-06-01
    const r = evaluate(flagWith(clause), { targetingKey: "k" }, { now: Date.parse("2026-04-01T00:00:00Z") });
    expect(r.reason).toBe("FALLTHROUGH");
    expect(matches(clause, { targetingKey: "k", currentTime: "2026-04-01T00:00:00Z" })).toBe(false);
  });
});

describe("semver", () => {
  table([
    ["eq", { op: "semverEq", values: ["1.2.2"] }, "1.2.2", true],
    ["eq ignores build metadata", { op: "semverEq", values: ["1.2.2+build.5"] }, "1.2.2", true],
    ["lt", { op: "semverLt", values: ["1.2.2"] }, "1.2.1", true],
    ["gt numeric, not lexical", { op: "semverGt", values: ["1.9.0"] }, "1.10.0", true],
    ["gte equal", { op: "semverGte", values: ["2.0.0"] }, "2.0.0", true],
    ["lte", { op: "semverLte", values: ["2.0.0"] }, "2.0.1", false],
    ["prerelease sorts before its release", { op: "semverLt", values: ["2.0.0"] }, "2.0.0-rc.1", true],
    ["alpha < beta", { op: "semverGt", values: ["2.0.0-alpha.1"] }, "2.0.0-beta.1", true],
    ["numeric prerelease ids compare numerically", { op: "semverLt", values: ["2.0.0-alpha.10"] }, "2.0.0-alpha.9", true],
    ["numeric ids sort before alphanumeric", { op: "semverLt", values: ["1.0.0-alpha"] }, "1.0.0-1", true],
    ["shorter prerelease sorts first", { op: "semverLt", values: ["1.0.0-alpha.1"] }, "1.0.0-alpha", true],
    ["leading v in context is invalid", { op: "semverEq", values: ["v2.0.0"] }, "v2.0.0", false],
    ["leading v in operand is accepted", { op: "semverEq", values: ["v2.0.0"] }, "2.0.0", true],
    ["two-part version is invalid", { op: "semverGte", values: ["1.0.0"] }, "1.2", false],
    ["leading zeros are invalid", { op: "semverGte", values: ["1.0.0"] }, "01.2.3", false],
    ["not a version", { op: "semverLt", values: ["1.0.0"] }, "not a semver", false],
    ["invalid version negated still does not match", { op: "semverLt", values: ["1.0.0"], negate: true }, "garbage", false],
    ["number is not a version", { op: "semverEq", values: ["1.0.0"] }, 1, false],
  ]);

  it("orders per semver 2.0.0 §11", () => {
    const chain = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0"];
    for (let i = 0; i + 1 < chain.length; i++) {
      expect(compareSemver(parseSemver(chain[i])!, parseSemver(chain[i + 1])!)).toBe(-1);
    }
  });
});

describe("exists", () => {
  table([
    ["present", { op: "exists" }, "x", true],
    ["empty string is present", { op: "exists" }, "", true],
    ["missing", { op: "exists" }, undefined, false],
    ["negated on missing matches", { op: "exists", negate: true }, undefined, true],
    ["negated on present", { op: "exists", negate: true }, 0, false],
    ["empty list is present", { op: "exists" }, [], true],
    ["object is present", { op: "exists" }, { a: 1 }, true],
  ]);
});

describe("inCidr (IPv4 and IPv6)", () => {
  table([
    ["exact IPv4", { op: "inCidr", values: ["127.0.0.1"] }, "127.0.0.1", true],
    ["IPv4 range", { op: "inCidr", values: ["160.33.0.0/16"] }, "160.33.0.33", true],
    ["IPv4 outside", { op: "inCidr", values: ["160.33.0.0/16"] }, "160.34.0.1", false],
    ["/0 matches every IPv4", { op: "inCidr", values: ["0.0.0.0/0"] }, "8.8.8.8", true],
    ["invalid operands are ignored", { op: "inCidr", values: ["127.invalid", "192.168.1.0/24"] }, "192.168.1.42", true],
    ["IPv6 exact", { op: "inCidr", values: ["2001:db8::1"] }, "2001:db8::1", true],
    ["IPv6 expanded form", { op: "inCidr", values: ["2001:db8::1"] }, "2001:0db8:0000:0000:0000:0000:0000:0001", true],
    ["IPv6 range", { op: "inCidr", values: ["2001:db8::/32"] }, "2001:db8:0:1::42", true],
    ["IPv6 outside", { op: "inCidr", values: ["2001:db8::/32"] }, "2001:db9::1", false],
    ["IPv6 odd prefix", { op: "inCidr", values: ["2001:db8:8000::/33"] }, "2001:db8:8001::1", true],
    ["IPv4-mapped tail", { op: "inCidr", values: ["::ffff:10.0.0.0/104"] }, "::ffff:10.1.2.3", true],
    ["families do not mix", { op: "inCidr", values: ["0.0.0.0/0"] }, "::1", false],
    ["invalid address", { op: "inCidr", values: ["10.0.0.0/8"] }, "10.0.0.256", false],
    ["leading zero octet is invalid", { op: "inCidr", values: ["10.0.0.0/8"] }, "10.01.0.1", false],
  ]);

  it("parses and rejects", () => {
    expect(parseCidr("10.0.0.0/33")).toBeNull();
    expect(parseCidr("2001:db8::/129")).toBeNull();
    expect(parseIp("1::2::3")).toBeNull();
    expect(parseIp("1:2:3:4:5:6:7:8:9")).toBeNull();
    expect(cidrContains(parseCidr("::/0")!, parseIp("::")!)).toBe(true);
  });
});

describe("segments in clauses", () => {
  const segments: Segment[] = [
    { key: "beta", included: ["u1", "u2"], excluded: ["u2"], rules: [{ id: "r", clauses: [{ attribute: "plan", op: "in", values: ["pro"] }] }] },
    { key: "outer", included: [], excluded: ["u3"], rules: [{ id: "r", clauses: [{ attribute: "", op: "inSegment", values: ["beta"] }] }] },
  ];
  const row = (ctx: EvaluationContext, clause: Partial<Clause>, expected: boolean) =>
    expect(matches({ attribute: "", values: [], op: "inSegment", ...clause }, ctx, segments)).toBe(expected);
  it("included key", () => row({ targetingKey: "u1" }, { values: ["beta"] }, true));
  it("exclusion wins over inclusion", () => row({ targetingKey: "u2" }, { values: ["beta"] }, false));
  it("exclusion wins over rules", () => row({ targetingKey: "u2", plan: "pro" }, { values: ["beta"] }, false));
  it("rule match", () => row({ targetingKey: "u9", plan: "pro" }, { values: ["beta"] }, true));
  it("nested segment", () => row({ targetingKey: "u1" }, { values: ["outer"] }, true));
  it("nested segment with its own exclusion", () => row({ targetingKey: "u3", plan: "pro" }, { values: ["outer"] }, false));
  it("notInSegment", () => row({ targetingKey: "u9" }, { op: "notInSegment", values: ["beta"] }, true));
  it("unknown segment contains nobody", () => row({ targetingKey: "u1" }, { values: ["nope"] }, false));
  it("context without a key can still match segment rules", () => row({ plan: "pro" }, { values: ["beta"] }, true));
  it("segments in a cycle contain nobody", () => {
    const cyc: Segment[] = [
      { key: "a", included: ["u1"], excluded: [], rules: [{ id: "r", clauses: [{ attribute: "", op: "inSegment", values: ["b"] }] }] },
      { key: "b", included: [], excluded: [], rules: [{ id: "r", clauses: [{ attribute: "", op: "inSegment", values: ["a"] }] }] },
    ];
    expect(matches({ attribute: "", op: "inSegment", values: ["a"] }, { targetingKey: "u1" }, cyc)).toBe(false);
  });
});

describe("attribute lookup", () => {
  it("reads dotted paths into nested objects when no flat attribute exists", () => {
    expect(matches({ attribute: "user.plan", op: "in", values: ["pro"] }, { user: { plan: "pro" } })).toBe(true);
    expect(matches({ attribute: "user.plan", op: "in", values: ["pro"] }, { "user.plan": "pro" })).toBe(true);
  });
  it("does not read inherited properties as values", () => {
    expect(matches({ attribute: "toString", op: "exists", values: [] }, {})).toBe(false);
    expect(matches({ attribute: "constructor", op: "in", values: ["x"], negate: true }, {})).toBe(false);
    expect(matches({ attribute: "toString", op: "in", values: ["x"] }, { toString: "x" })).toBe(true);
    expect(matches({ attribute: "a.constructor", op: "exists", values: [] }, { a: {} })).toBe(false);
  });
});
