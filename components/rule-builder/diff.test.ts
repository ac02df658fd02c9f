import { describe, expect, test } from "vitest";
import type { FlagConfig } from "@/lib/evaluation/types";
import { canonical, diffConfigs } from "./diff";

const base: FlagConfig = {
  on: true,
  offVariation: "off",
  targets: [{ variation: "on", values: ["u1"] }],
  rules: [
    { id: "a", description: "Staff", clauses: [{ attribute: "plan", op: "in", values: ["pro"] }], serve: { variation: "on" } },
    { id: "b", clauses: [{ attribute: "region", op: "in", values: ["europe"] }], serve: { variation: "off" } },
  ],
  fallthrough: { variation: "off" },
  prerequisites: [],
};

describe("diffConfigs", () => {
  test("no change, even when stored JSON has its keys reordered", () => {
    const reordered = JSON.parse(JSON.stringify({ prerequisites: [], fallthrough: { variation: "off" }, rules: base.rules, targets: base.targets, offVariation: "off", on: true }));
    expect(diffConfigs(base, reordered)).toEqual([]);
    expect(canonical({ b: 1, a: [1, { d: 2, c: 3 }] })).toBe(canonical({ a: [1, { c: 3, d: 2 }], b: 1 }));
  });

  test("on/off, targets, rules, order, fallthrough and prerequisites", () => {
    const after: FlagConfig = {
      ...base,
      on: false,
      targets: [{ variation: "on", values: ["u2"] }],
      rules: [
        base.rules[1],
        { ...base.rules[0], serve: { rollout: { weights: [{ variation: "on", weight: 10_000 }, { variation: "off", weight: 90_000 }] } } },
        { id: "c", clauses: [], serve: { variation: "on" } },
      ],
      fallthrough: { variation: "on" },
      prerequisites: [{ flagKey: "other", variation: "on" }],
    };
    const lines = diffConfigs(base, after);
    expect(lines).toContain("Turns the flag off.");
    expect(lines).toContain("Targets individually with `on`: `u2`.");
    expect(lines).toContain("Stops targeting individually with `on`: `u1`.");
    expect(lines).toContain("Rule 2 (Staff) (was rule 1) — serves a rollout of 10 % `on`, 90 % `off` instead of `on`.");
    expect(lines).toContain("Adds rule 3: if everyone then serve `on`.");
    expect(lines).toContain("Changes the order of the rules (the first rule that matches wins).");
    expect(lines).toContain("Default rule serves `on` instead of `off`.");
    expect(lines).toContain("Adds prerequisite: `other` serves `on`.");
  });

  test("a removed rule says what it did", () => {
    expect(diffConfigs(base, { ...base, rules: [base.rules[0]] })).toEqual(["Removes rule 2: if region is europe then serve `off`."]);
  });
});
