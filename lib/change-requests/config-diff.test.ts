import { describe, expect, test } from "vitest";
import type { FlagConfig } from "@/lib/evaluation/types";
import { describeDiff, diffFlagConfigs, diffSegmentContents, isEmptyDiff, LISTED_KEYS } from "./config-diff";

const base: FlagConfig = {
  on: true,
  offVariation: "off",
  targets: [],
  rules: [
    { id: "r1", clauses: [{ attribute: "country", op: "in", values: ["ca"] }], serve: { variation: "on" } },
    { id: "r2", clauses: [{ attribute: "plan", op: "in", values: ["pro"] }], serve: { variation: "on" } },
  ],
  fallthrough: { variation: "off" },
  prerequisites: [],
};

describe("diffFlagConfigs", () => {
  test("a clause change reads clause by clause, with the rule's number", () => {
    const after: FlagConfig = { ...base, rules: [base.rules[0], { ...base.rules[1], clauses: [{ attribute: "plan", op: "in", values: ["pro", "enterprise"] }] }] };
    const diff = diffFlagConfigs(base, after);
    expect(diff.rules).toHaveLength(1);
    expect(diff.rules[0]).toMatchObject({ change: "changed", ruleId: "r2", index: 1, beforeIndex: 1 });
    const [line] = describeDiff(diff);
    expect(line).toMatch(/^Rule 2 — plan is pro → plan is one of pro, enterprise\.$/);
  });

  test("added and removed clauses, match mode and rollout weights", () => {
    const after: FlagConfig = {
      ...base,
      rules: [
        {
          ...base.rules[0],
          match: "any",
          clauses: [...base.rules[0].clauses, { attribute: "region", op: "in", values: ["eu"] }],
          serve: { rollout: { weights: [{ variation: "on", weight: 25_000 }, { variation: "off", weight: 75_000 }] } },
        },
        { ...base.rules[1], clauses: [] },
      ],
    };
    const lines = describeDiff(diffFlagConfigs(base, after));
    expect(lines[0]).toBe("Rule 1 — adds condition: region is eu; now matches when any condition holds; serves a rollout of 25 % `on`, 75 % `off` instead of `on`.");
    expect(lines[1]).toBe("Rule 2 — removes condition: plan is pro.");
  });

  test("identical configurations give an empty diff, whatever the key order", () => {
    const copy = JSON.parse(JSON.stringify(base)) as FlagConfig;
    expect(isEmptyDiff(diffFlagConfigs(base, copy))).toBe(true);
    expect(isEmptyDiff(diffFlagConfigs(base, { ...base, on: false }))).toBe(false);
  });

  test("huge target lists keep their counts but list at most LISTED_KEYS keys", () => {
    const keys = Array.from({ length: LISTED_KEYS + 500 }, (_, i) => `user-${i}`);
    const diff = diffFlagConfigs(base, { ...base, targets: [{ variation: "on", values: keys }] });
    expect(diff.targets[0]).toMatchObject({ variation: "on", addedCount: LISTED_KEYS + 500, removedCount: 0 });
    expect(diff.targets[0].added).toHaveLength(LISTED_KEYS);
    expect(describeDiff(diff)[0]).toBe("Targets individually with `on`: `user-0`, `user-1`, `user-2` and 1497 more.");
  });

  test("a rule moved to the top is reported as a reorder, with where it was", () => {
    const diff = diffFlagConfigs(base, { ...base, rules: [base.rules[1], base.rules[0]] });
    expect(diff.reordered).toBe(true);
    expect(diff.rules).toEqual([]);
    expect(describeDiff(diff)).toEqual(["Changes the order of the rules (the first rule that matches wins)."]);
  });
});

describe("diffSegmentContents", () => {
  test("included and excluded keys with counts, and rule changes", () => {
    const diff = diffSegmentContents(
      { included: ["a", "b"], excluded: [], rules: [{ id: "s1", clauses: [{ attribute: "plan", op: "in", values: ["pro"] }] }] },
      { included: ["b", "c", "d"], excluded: ["x"], rules: [] },
    );
    expect(diff.included).toMatchObject({ addedCount: 2, removedCount: 1 });
    expect(describeDiff(diff)).toEqual(["Includes `c`, `d`.", "Stops including `a`.", "Excludes `x`.", "Removes rule 1: matches plan is pro."]);
  });
});
