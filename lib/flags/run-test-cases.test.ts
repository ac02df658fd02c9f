import { describe, expect, test } from "vitest";
import type { Flag } from "@/lib/evaluation/types";
import { brokenTestCasesNote, coverageOf, runTestCases, type TestCaseInput } from "./run-test-cases";

const flag: Flag = {
  key: "checkout",
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
    rules: [
      { id: "pro", clauses: [{ attribute: "plan", op: "in", values: ["pro"] }], serve: { variation: "on" } },
      { id: "eu", clauses: [{ attribute: "region", op: "in", values: ["europe"] }], serve: { variation: "on" } },
    ],
    fallthrough: { variation: "off" },
    prerequisites: [],
  },
};

const cases: TestCaseInput[] = [
  { id: "1", name: "Pro user", context: { targetingKey: "u1", plan: "pro" }, expected: { development: "on" } },
  { id: "2", name: "Free user", context: { targetingKey: "u2", plan: "free" }, expected: { development: "on", production: "off" } },
  { id: "3", name: "No expectation here", context: { targetingKey: "u3" }, expected: { production: "off" } },
];

describe("test cases", () => {
  const outcomes = runTestCases(flag, cases, { environmentKey: "development", segments: [], flags: [] });

  test("pass, fail, or not checked in this environment", () => {
    expect(outcomes.map((o) => o.passed)).toEqual([true, false, null]);
    expect(outcomes[1].result.variationKey).toBe("off");
  });

  test("coverage: the rules no test case reaches", () => {
    const coverage = coverageOf(flag.config, outcomes);
    expect(coverage.unreachedRules.map((r) => r.id)).toEqual(["eu"]);
    expect(coverage.reachedBy.get("pro")).toEqual(["Pro user"]);
    expect(coverage.fallthroughReachedBy).toEqual(["Free user", "No expectation here"]);
  });

  test("the note recorded with a save names each broken case", () => {
    expect(brokenTestCasesNote(outcomes.filter((o) => o.passed === false))).toBe("Saved with 1 failing test case: “Free user” expects on, gets off.");
  });
});
