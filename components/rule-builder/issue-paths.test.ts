import { describe, expect, test } from "vitest";
import { flagConfigSchema } from "@/lib/schemas/flag-config";
import { fieldDomId, fieldKeyOf, IssueIndex, zodIssues } from "./issue-paths";

describe("issue path → field", () => {
  test.each([
    [["rules", 1, "clauses", 0, "values", 2], "rules.1.clauses.0.values", 2],
    [["targets", 0, "values", 7], "targets.0.values", 7],
    [["rules", 0, "clauses", 1, "attribute"], "rules.0.clauses.1.attribute", undefined],
    [["rules", 2, "serve", "rollout", "weights"], "rules.2.serve.rollout.weights", undefined],
    [["fallthrough", "rollout", "weights", 1, "weight"], "fallthrough.rollout.weights.1.weight", undefined],
    [["rules", 0, "clauses", 0, "values"], "rules.0.clauses.0.values", undefined],
    [[], "_form", undefined],
  ] as const)("%j → %s", (path, key, index) => {
    expect(fieldKeyOf(path)).toEqual(index === undefined ? { key } : { key, valueIndex: index });
  });

  test("field keys become element ids", () => {
    expect(fieldDomId("rules.0.clauses.1.values")).toBe("field-rules-0-clauses-1-values");
  });
});

describe("IssueIndex", () => {
  const index = new IssueIndex([
    { path: ["rules", 0, "clauses", 0, "values", 1], code: "regex_invalid", message: "Bad pattern." },
    { path: ["rules", 0, "serve", "rollout", "weights"], code: "weights_sum", message: "Adds up to 90 %." },
    { path: ["rules", 0, "serve", "rollout", "weights"], code: "schema_custom", message: "Adds up to 90 %." },
    { path: ["rules", 1, "clauses"], code: "rule_no_conditions", message: "No conditions.", severity: "warning" },
    { path: ["offVariation"], code: "variation_unknown", message: "Unknown variation." },
  ]);

  test("finds a field's problems, and everything under a rule", () => {
    expect(index.messageAt("offVariation")).toBe("Unknown variation.");
    expect(index.messageAt("rules.0.serve.rollout.weights")).toBe("Adds up to 90 %.");
    expect(index.under("rules.0")).toHaveLength(2);
    expect(index.valueErrors("rules.0.clauses.0.values").get(1)).toBe("Bad pattern.");
  });

  test("warnings are kept apart from errors", () => {
    expect(index.errorCount).toBe(3);
    expect(index.messageAt("rules.1.clauses")).toBeUndefined();
    expect(index.messageAt("rules.1.clauses", "warning")).toBe("No conditions.");
  });

  test("zod problems use the same paths", () => {
    const parsed = flagConfigSchema.safeParse({ on: true, offVariation: "", targets: [], rules: [], fallthrough: { variation: "on" }, prerequisites: [] });
    expect(parsed.success).toBe(false);
    const issues = zodIssues(parsed.error!);
    expect(new IssueIndex(issues).messageAt("offVariation")).toBe("Cannot be empty.");
  });
});
