import { describe, expect, test } from "vitest";
import type { Flag, FlagConfig, Rule, Segment } from "@/lib/evaluation/types";
import { promotedConfig, promotionWarnings, segmentsReferenced } from "./promote-config";

const rule = (id: string, plan: string, segment?: string): Rule => ({
  id,
  clauses: [{ attribute: "plan", op: "in", values: [plan] }, ...(segment ? [{ attribute: "targetingKey", op: "inSegment" as const, values: [segment] }] : [])],
  serve: { variation: "on" },
});

const STAGING: FlagConfig = {
  on: true,
  offVariation: "off",
  targets: [{ variation: "on", values: ["qa-1", "qa-2"] }],
  rules: [rule("a", "pro"), rule("b", "team", "beta"), rule("c", "enterprise")],
  fallthrough: { rollout: { weights: [{ variation: "on", weight: 50_000 }, { variation: "off", weight: 50_000 }] } },
  prerequisites: [{ flagKey: "base", variation: "on" }],
  version: 7,
};

const PRODUCTION: FlagConfig = {
  on: false,
  offVariation: "off",
  targets: [],
  rules: [rule("x", "free"), { ...rule("c", "enterprise"), serve: { variation: "off" } }],
  fallthrough: { variation: "off" },
  prerequisites: [],
  version: 3,
};

const parts = { kind: "parts", ruleIds: [], targets: false, fallthrough: false, prerequisites: false, state: false } as const;

describe("promotedConfig", () => {
  test("everything: the source as it is, without its version", () => {
    const { version: _v, ...expected } = STAGING;
    expect(promotedConfig(STAGING, PRODUCTION, { kind: "everything" })).toEqual(expected);
  });

  test("nothing chosen changes nothing but the version", () => {
    const { version: _v, ...expected } = PRODUCTION;
    expect(promotedConfig(STAGING, PRODUCTION, parts)).toEqual(expected);
  });

  test("a chosen rule the target has is replaced where it stands", () => {
    const result = promotedConfig(STAGING, PRODUCTION, { ...parts, ruleIds: ["c"] });
    expect(result.rules.map((r) => r.id)).toEqual(["x", "c"]);
    expect(result.rules[1].serve).toEqual({ variation: "on" });
  });

  test("new rules keep the source's order: after the nearest earlier rule the result has, else first", () => {
    expect(promotedConfig(STAGING, PRODUCTION, { ...parts, ruleIds: ["b"] }).rules.map((r) => r.id)).toEqual(["b", "x", "c"]);
    expect(promotedConfig(STAGING, PRODUCTION, { ...parts, ruleIds: ["a", "b"] }).rules.map((r) => r.id)).toEqual(["a", "b", "x", "c"]);
    expect(promotedConfig(STAGING, { ...PRODUCTION, rules: [rule("a", "old")] }, { ...parts, ruleIds: ["c"] }).rules.map((r) => r.id)).toEqual(["a", "c"]);
  });

  test("targets, fallthrough, prerequisites and the on/off state are copied only when chosen", () => {
    const result = promotedConfig(STAGING, PRODUCTION, { ...parts, targets: true, fallthrough: true, prerequisites: true, state: true });
    expect(result).toMatchObject({ on: true, targets: STAGING.targets, fallthrough: STAGING.fallthrough, prerequisites: STAGING.prerequisites, rules: PRODUCTION.rules });
    expect(promotedConfig(STAGING, PRODUCTION, { ...parts, fallthrough: true })).toMatchObject({ on: false, targets: [], fallthrough: STAGING.fallthrough });
  });

  test("a rule the source does not have is refused", () => {
    expect(() => promotedConfig(STAGING, PRODUCTION, { ...parts, ruleIds: ["nope"] })).toThrow(/no rule “nope”/);
  });
});

const segment = (key: string, included: string[], nested?: string): Segment => ({
  key,
  included,
  excluded: [],
  rules: nested ? [{ id: "n", clauses: [{ attribute: "targetingKey", op: "inSegment", values: [nested] }] }] : [],
});

const flag = (key: string, on: boolean): Flag => ({ key, kind: "release", valueType: "boolean", variations: [], config: { ...PRODUCTION, on } });

describe("references in the target environment", () => {
  test("segments are found through rules and nested segments", () => {
    expect(segmentsReferenced(STAGING, [segment("beta", [], "staff"), segment("staff", ["a"])])).toEqual(["beta", "staff"]);
  });

  test("a segment defined differently and a prerequisite that is off are named", () => {
    const warnings = promotionWarnings(
      promotedConfig(STAGING, PRODUCTION, { kind: "everything" }),
      { name: "Staging", segments: [segment("beta", ["u1", "u2"])], flags: [flag("base", true)] },
      { name: "Production", segments: [segment("beta", [])], flags: [flag("base", false)] },
    );
    expect(warnings).toEqual([
      expect.stringMatching(/^Segment “beta” differs: 2 included, 0 excluded, 0 rules in Staging, 0 included.* in Production/),
      expect.stringMatching(/^Prerequisite “base” is off in Production/),
    ]);
  });

  test("the same segment (in any key order) and an enabled prerequisite raise nothing", () => {
    const warnings = promotionWarnings(
      STAGING,
      { name: "Staging", segments: [segment("beta", ["u2", "u1"])], flags: [flag("base", true)] },
      { name: "Production", segments: [segment("beta", ["u1", "u2"])], flags: [flag("base", true)] },
    );
    expect(warnings).toEqual([]);
  });
});
