import { describe, expect, it } from "vitest";
import type { CatalogAttribute, Clause, Flag, FlagConfig, FlagDefinition, Segment } from "./types";
import { validateFlagConfig, validateSegment } from "./validate";

const catalog: CatalogAttribute[] = [
  { key: "plan", type: "string", sensitivity: "public", allowedValues: ["free", "pro", "enterprise"] },
  { key: "country", type: "string", sensitivity: "public" },
  { key: "email", type: "string", sensitivity: "private" },
  { key: "age", type: "number", sensitivity: "public" },
  { key: "appVersion", type: "semver", sensitivity: "public" },
  { key: "signupDate", type: "date", sensitivity: "public" },
  { key: "beta", type: "boolean", sensitivity: "public" },
  { key: "tags", type: "list", sensitivity: "public" },
  { key: "ip", type: "string", sensitivity: "public" },
  { key: "ssn", type: "string", sensitivity: "forbidden" },
  { key: "orgId", type: "string", sensitivity: "public" },
];

const self: FlagDefinition = {
  key: "new-checkout",
  kind: "release",
  valueType: "boolean",
  variations: [
    { key: "on", value: true },
    { key: "off", value: false },
  ],
};

const segments: Segment[] = [
  { key: "beta-testers", included: ["u1"], excluded: [], rules: [] },
  { key: "loop-a", included: [], excluded: [], rules: [{ id: "r", clauses: [{ attribute: "", op: "inSegment", values: ["loop-b"] }] }] },
  { key: "loop-b", included: [], excluded: [], rules: [{ id: "r", clauses: [{ attribute: "", op: "inSegment", values: ["loop-a"] }] }] },
];

function config(partial: Partial<FlagConfig> = {}): FlagConfig {
  return { on: true, offVariation: "off", targets: [], rules: [], prerequisites: [], fallthrough: { variation: "off" }, ...partial };
}

function withClause(clause: Clause): FlagConfig {
  return config({ rules: [{ id: "r1", clauses: [clause], serve: { variation: "on" } }] });
}

function codes(cfg: FlagConfig, flags: Flag[] = []): string[] {
  return validateFlagConfig(cfg, catalog, segments, flags, self)
    .filter((i) => i.severity !== "warning")
    .map((i) => i.code);
}

describe("validateFlagConfig", () => {
  it("accepts a sound configuration", () => {
    const cfg = config({
      targets: [{ variation: "on", values: ["vip"] }],
      rules: [
        {
          id: "r1",
          clauses: [
            { attribute: "plan", op: "in", values: ["pro", "enterprise"] },
            { attribute: "country", op: "in", values: ["US", "CA"] },
            { attribute: "appVersion", op: "semverGte", values: ["2.1.0"] },
            { attribute: "", op: "inSegment", values: ["beta-testers"] },
            { attribute: "email", op: "matches", values: ["@corp\\.example$"] },
            { attribute: "ip", op: "inCidr", values: ["10.0.0.0/8", "2001:db8::/32"] },
            { attribute: "currentTime", op: "after", values: ["2026-03-01T09:00:00Z"] },
          ],
          serve: { rollout: { weights: [{ variation: "on", weight: 25_000 }, { variation: "off", weight: 75_000 }], bucketBy: "orgId" } },
        },
      ],
    });
    expect(validateFlagConfig(cfg, catalog, segments, [], self)).toEqual([]);
  });

  it.each<[string, FlagConfig, string]>([
    ["unknown off variation", config({ offVariation: "purple" }), "variation_unknown"],
    ["unknown fallthrough variation", config({ fallthrough: { variation: "purple" } }), "variation_unknown"],
    ["unknown target variation", config({ targets: [{ variation: "purple", values: ["u"] }] }), "variation_unknown"],
    ["weights not summing to 100 %", config({ fallthrough: { rollout: { weights: [{ variation: "on", weight: 50_000 }, { variation: "off", weight: 49_500 }] } } }), "weights_sum"],
    ["fractional weight", config({ fallthrough: { rollout: { weights: [{ variation: "on", weight: 50_000.5 }, { variation: "off", weight: 49_999.5 }] } } }), "weight_invalid"],
    ["rollout to an unknown variation", config({ fallthrough: { rollout: { weights: [{ variation: "purple", weight: 100_000 }] } } }), "variation_unknown"],
    ["variation twice in a rollout", config({ fallthrough: { rollout: { weights: [{ variation: "on", weight: 50_000 }, { variation: "on", weight: 50_000 }] } } }), "rollout_duplicate"],
    ["bucketBy not in catalog", config({ fallthrough: { rollout: { bucketBy: "deviceId", weights: [{ variation: "on", weight: 100_000 }] } } }), "attribute_unknown"],
    ["duplicate rule ids", config({ rules: [{ id: "a", clauses: [], serve: { variation: "on" } }, { id: "a", clauses: [], serve: { variation: "on" } }] }), "rule_id_duplicate"],
    ["attribute not in catalog", withClause({ attribute: "favouriteColour", op: "in", values: ["red"] }), "attribute_unknown"],
    ["forbidden attribute", withClause({ attribute: "ssn", op: "in", values: ["123"] }), "attribute_forbidden"],
    ["operator not for the type", withClause({ attribute: "plan", op: "gt", values: [3] }), "operator_type"],
    ["semver operator on a number", withClause({ attribute: "age", op: "semverGt", values: ["1.0.0"] }), "operator_type"],
    ["no values", withClause({ attribute: "plan", op: "in", values: [] }), "values_empty"],
    ["not a number", withClause({ attribute: "age", op: "gt", values: ["old"] }), "value_not_number"],
    ["not a date", withClause({ attribute: "signupDate", op: "before", values: ["next tuesday"] }), "value_not_date"],
    ["not a version", withClause({ attribute: "appVersion", op: "semverLt", values: ["2.1"] }), "value_not_semver"],
    ["not a CIDR", withClause({ attribute: "ip", op: "inCidr", values: ["10.0.0.0/33"] }), "value_not_cidr"],
    ["unsafe regex", withClause({ attribute: "email", op: "matches", values: ["^(a+)+$"] }), "regex_nested_quantifier"],
    ["lookahead", withClause({ attribute: "email", op: "matches", values: ["(?=x)"] }), "regex_lookaround"],
    ["invalid regex", withClause({ attribute: "email", op: "matches", values: ["(oops"] }), "regex_invalid"],
    ["value not allowed", withClause({ attribute: "plan", op: "in", values: ["platinum"] }), "value_not_allowed"],
    ["unknown segment", withClause({ attribute: "", op: "inSegment", values: ["ghosts"] }), "segment_unknown"],
    ["cyclic segment", withClause({ attribute: "", op: "inSegment", values: ["loop-a"] }), "segment_cycle"],
    ["unknown operator", withClause({ attribute: "plan", op: "like" as never, values: ["x"] }), "operator_unknown"],
  ])("reports %s", (_name, cfg, code) => {
    expect(codes(cfg)).toContain(code);
  });

  it("speaks plainly, with a path", () => {
    const issues = validateFlagConfig(
      config({ rules: [{ id: "r1", clauses: [], serve: { variation: "on" } }, { id: "r2", clauses: [{ attribute: "plan", op: "in", values: ["pro"] }], serve: { rollout: { weights: [{ variation: "on", weight: 33_333 }, { variation: "off", weight: 66_000 }] } } }] }),
      catalog,
      segments,
      [],
      self,
    );
    const sum = issues.find((i) => i.code === "weights_sum")!;
    expect(sum.path).toEqual(["rules", 1, "serve", "rollout", "weights"]);
    expect(sum.message).toBe("The percentages in rule 2's rollout add up to 99.333 %; they must add up to exactly 100 %.");
    const warn = issues.find((i) => i.code === "rule_no_conditions")!;
    expect(warn.severity).toBe("warning");
    const attr = validateFlagConfig(withClause({ attribute: "favouriteColour", op: "in", values: ["red"] }), catalog, segments, [], self)[0];
    expect(attr.path).toEqual(["rules", 0, "clauses", 0, "attribute"]);
    expect(attr.message).toBe("Rule 1, condition 1 uses “favouriteColour”, which is not in this project's attribute catalog. Add it to the catalog first.");
  });

  describe("prerequisites", () => {
    const flag = (key: string, prereqs: string[]): Flag => ({
      ...self,
      key,
      config: config({ prerequisites: prereqs.map((k) => ({ flagKey: k, variation: "on" })) }),
    });
    it("unknown flag, unknown variation, self", () => {
      expect(codes(config({ prerequisites: [{ flagKey: "ghost", variation: "on" }] }))).toContain("prerequisite_unknown");
      expect(codes(config({ prerequisites: [{ flagKey: "billing", variation: "purple" }] }), [flag("billing", [])])).toContain("prerequisite_variation_unknown");
      expect(codes(config({ prerequisites: [{ flagKey: "new-checkout", variation: "on" }] }))).toContain("prerequisite_self");
    });
    it("cycles", () => {
      const issues = validateFlagConfig(config({ prerequisites: [{ flagKey: "a", variation: "on" }] }), catalog, segments, [flag("a", ["b"]), flag("b", ["new-checkout"])], self);
      const cycle = issues.find((i) => i.code === "prerequisite_cycle")!;
      expect(cycle.message).toBe("Prerequisites would form a cycle: new-checkout → a → b → new-checkout.");
    });
    it("depth ≤ 10", () => {
      const chain = (n: number) => Array.from({ length: n }, (_, i) => flag(`p${i}`, i + 1 < n ? [`p${i + 1}`] : []));
      expect(codes(config({ prerequisites: [{ flagKey: "p0", variation: "on" }] }), chain(10))).not.toContain("prerequisite_depth");
      expect(codes(config({ prerequisites: [{ flagKey: "p0", variation: "on" }] }), chain(11))).toContain("prerequisite_depth");
    });
  });

  it("checks the definition's variations", () => {
    const bad: FlagDefinition = { ...self, variations: [{ key: "on", value: "yes" }, { key: "on", value: false }] };
    const c = validateFlagConfig(config(), catalog, segments, [], bad).map((i) => i.code);
    expect(c).toContain("variation_duplicate");
    expect(c).toContain("variation_type");
  });

  it("never throws on garbage", () => {
    for (const junk of [null, 1, "x", {}, { rules: "no" }, { rules: [null, 1], fallthrough: {} }]) {
      expect(() => validateFlagConfig(junk as never, junk as never, junk as never, junk as never, junk as never)).not.toThrow();
    }
  });
});

describe("validateSegment", () => {
  it("accepts a sound segment", () => {
    expect(validateSegment({ key: "s", included: ["a"], excluded: ["b"], rules: [{ id: "r", clauses: [{ attribute: "plan", op: "in", values: ["pro"] }] }] }, catalog, segments)).toEqual([]);
  });
  it("warns that exclusion wins", () => {
    const issues = validateSegment({ key: "s", included: ["a"], excluded: ["a"], rules: [] }, catalog, segments);
    expect(issues).toEqual([{ path: ["included", 0], code: "key_included_and_excluded", severity: "warning", message: "“a” is both included and excluded; it is excluded (exclusion wins)." }]);
  });
  it("rejects cycles, including through other segments", () => {
    const self = validateSegment({ key: "s", included: [], excluded: [], rules: [{ id: "r", clauses: [{ attribute: "", op: "inSegment", values: ["s"] }] }] }, catalog, segments);
    expect(self.map((i) => i.code)).toContain("segment_cycle");
    const viaOther = validateSegment(
      { key: "loop-a", included: [], excluded: [], rules: [{ id: "r", clauses: [{ attribute: "", op: "inSegment", values: ["loop-b"] }] }] },
      catalog,
      segments,
    );
    expect(viaOther.map((i) => i.code)).toContain("segment_cycle");
  });
  it("checks clauses against the catalog", () => {
    const issues = validateSegment({ key: "s", included: [], excluded: [], rules: [{ id: "r", clauses: [{ attribute: "ssn", op: "in", values: ["1"] }] }] }, catalog, segments);
    expect(issues.map((i) => i.code)).toEqual(["attribute_forbidden"]);
  });
});
