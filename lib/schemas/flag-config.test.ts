import { describe, expect, expectTypeOf, it } from "vitest";
import type {
  CatalogAttribute,
  Clause,
  EvaluationContext,
  Flag,
  FlagConfig,
  FlagDefinition,
  Prerequisite,
  Rollout,
  Rule,
  Segment,
  Target,
  Variation,
} from "../evaluation/types";
import {
  catalogAttributeSchema,
  clauseSchema,
  evaluationContextSchema,
  flagConfigSchema,
  flagDefinitionSchema,
  flagKeySchema,
  flagSchema,
  prerequisiteSchema,
  rolloutSchema,
  ruleSchema,
  segmentSchema,
  targetSchema,
  variationSchema,
} from "./flag-config";
import type { z } from "zod";

describe("schemas infer types assignable to the engine's data model", () => {
  it("type-checks", () => {
    expectTypeOf<z.output<typeof variationSchema>>().toExtend<Variation>();
    expectTypeOf<z.output<typeof flagDefinitionSchema>>().toExtend<FlagDefinition>();
    expectTypeOf<z.output<typeof clauseSchema>>().toExtend<Clause>();
    expectTypeOf<z.output<typeof rolloutSchema>>().toExtend<Rollout>();
    expectTypeOf<z.output<typeof ruleSchema>>().toExtend<Rule>();
    expectTypeOf<z.output<typeof targetSchema>>().toExtend<Target>();
    expectTypeOf<z.output<typeof prerequisiteSchema>>().toExtend<Prerequisite>();
    expectTypeOf<z.output<typeof flagConfigSchema>>().toExtend<FlagConfig>();
    expectTypeOf<z.output<typeof flagSchema>>().toExtend<Flag>();
    expectTypeOf<z.output<typeof segmentSchema>>().toExtend<Segment>();
    expectTypeOf<z.output<typeof catalogAttributeSchema>>().toExtend<CatalogAttribute>();
    expectTypeOf<z.output<typeof evaluationContextSchema>>().toExtend<EvaluationContext>();
  });
});

describe("flag keys", () => {
  it.each([
    ["new-checkout", true],
    ["Feature.UTF-8.Hellø_Wørld", true],
    ["Feature.UTF-8.😊_φriend_你好_🌍", true],
    ["a", true],
    ["x".repeat(200), true],
    ["😊".repeat(200), true],
    ["x".repeat(201), false],
    ["", false],
    ["has space", false],
    ["tab\there", false],
    ["slash/key", false],
    ["bell\u0007", false],
    ["nbsp\u00a0key", false],
  ])("%j valid=%s", (key, ok) => {
    expect(flagKeySchema.safeParse(key).success).toBe(ok);
  });
});

describe("configuration shapes", () => {
  const base = {
    on: true,
    offVariation: "off",
    fallthrough: { variation: "on" },
  };
  it("defaults targets, rules and prerequisites to empty lists", () => {
    const parsed = flagConfigSchema.parse(base);
    expect(parsed).toEqual({ ...base, targets: [], rules: [], prerequisites: [] });
  });
  it("serves either a variation or a rollout, not both", () => {
    expect(flagConfigSchema.safeParse({ ...base, fallthrough: { variation: "on", rollout: { weights: [] } } }).success).toBe(false);
    expect(
      flagConfigSchema.safeParse({ ...base, fallthrough: { rollout: { weights: [{ variation: "on", weight: 100000 }] } } }).success,
    ).toBe(true);
  });
  it("rejects fractional and out-of-range weights", () => {
    expect(rolloutSchema.safeParse({ weights: [{ variation: "a", weight: 1.5 }] }).success).toBe(false);
    expect(rolloutSchema.safeParse({ weights: [{ variation: "a", weight: -1 }] }).success).toBe(false);
    expect(rolloutSchema.safeParse({ weights: [{ variation: "a", weight: 100001 }] }).success).toBe(false);
  });
  it("rejects unknown operators", () => {
    expect(clauseSchema.safeParse({ attribute: "plan", op: "like", values: [] }).success).toBe(false);
  });
  it("keeps free context attributes", () => {
    expect(evaluationContextSchema.parse({ targetingKey: "u", plan: "pro", n: 3 })).toEqual({ targetingKey: "u", plan: "pro", n: 3 });
  });
});
