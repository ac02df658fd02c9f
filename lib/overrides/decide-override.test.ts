import { describe, expect, test } from "vitest";
import type { FlagConfig } from "@/lib/evaluation/types";
import { decideOverride } from "./decide-override";

const LIVE: FlagConfig = {
  on: true,
  offVariation: "off",
  targets: [{ variation: "on", values: ["vip"] }],
  rules: [{ id: "r1", clauses: [{ attribute: "plan", op: "in", values: ["pro"] }], serve: { variation: "on" } }],
  fallthrough: { rollout: { weights: [{ variation: "on", weight: 50_000 }, { variation: "off", weight: 50_000 }] } },
  prerequisites: [{ flagKey: "base", variation: "on" }],
};

describe("decideOverride", () => {
  test("turning off keeps the targeting, so turning back on restores it", () => {
    expect(decideOverride(LIVE, "turn_off", null)).toEqual({ ...LIVE, on: false });
  });

  test("turning off a flag that is off changes nothing", () => {
    expect(decideOverride({ ...LIVE, on: false }, "turn_off", null)).toBeNull();
  });

  test("serving a variation to everyone drops targets, rules and prerequisites and keeps the off variation", () => {
    expect(decideOverride({ ...LIVE, on: false }, "serve_variation", "off")).toEqual({
      on: true,
      offVariation: "off",
      targets: [],
      rules: [],
      fallthrough: { variation: "off" },
      prerequisites: [],
    });
  });

  test.each([
    ["already serving it to everyone", { on: true, targets: [], rules: [], prerequisites: [], fallthrough: { variation: "off" } }, null],
    ["serving it through the fallthrough but with a rule", { on: true, targets: [], prerequisites: [], fallthrough: { variation: "off" } }, "changes"],
    ["serving it to everyone but off", { on: false, targets: [], rules: [], prerequisites: [], fallthrough: { variation: "off" } }, "changes"],
    ["serving another variation", { on: true, targets: [], rules: [], prerequisites: [], fallthrough: { variation: "on" } }, "changes"],
  ] as [string, Partial<FlagConfig>, null | "changes"][])("serve: %s", (_label, overrides, expected) => {
    const result = decideOverride({ ...LIVE, ...overrides }, "serve_variation", "off");
    if (expected === null) expect(result).toBeNull();
    else expect(result).toMatchObject({ on: true, fallthrough: { variation: "off" }, rules: [] });
  });
});
