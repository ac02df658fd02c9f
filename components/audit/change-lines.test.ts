import { describe, expect, test } from "vitest";
import { diffFlagConfigs } from "@/lib/change-requests/config-diff";
import type { FlagConfig } from "@/lib/evaluation/types";
import { auditChangeLines } from "./change-lines";

const config = (overrides: Partial<FlagConfig> = {}): FlagConfig => ({
  on: true,
  offVariation: "off",
  targets: [],
  rules: [],
  fallthrough: { variation: "off" },
  prerequisites: [],
  ...overrides,
});

describe("auditChangeLines", () => {
  test("a flag configuration change reads as the rule builder's plain words", () => {
    const before = { ...config(), version: 3 };
    const after = { ...config({ on: false, rules: [{ id: "r1", clauses: [{ attribute: "plan", op: "in", values: ["pro"] }], serve: { variation: "on" } }] }), version: 4 };
    const lines = auditChangeLines({ before, after, diff: null });
    expect(lines).toContain("Turns the flag off.");
    expect(lines.some((line) => line.startsWith("Adds rule 1: if") && line.includes("`on`"))).toBe(true);
  });

  test("a stored rule-level diff wins over before/after (change requests store one)", () => {
    const diff = diffFlagConfigs(config({ on: false }), config({ on: true }));
    expect(auditChangeLines({ before: null, after: null, diff })).toEqual(["Turns the flag on."]);
  });

  test("segment memberships read as keys included and excluded", () => {
    const lines = auditChangeLines({
      before: { included: ["a"], excluded: [], rules: [], version: 1 },
      after: { included: ["a", "b", "c"], excluded: ["z"], rules: [], version: 2 },
      diff: { included: { added: 2, removed: 0 } },
    });
    expect(lines).toEqual(["Includes `b`, `c`.", "Excludes `z`."]);
  });

  test("anything else lists the fields that differ", () => {
    expect(auditChangeLines({ before: { role: "viewer", note: "x", same: 1 }, after: { role: "editor", same: 1, added: [1, 2] }, diff: null })).toEqual([
      "`role`: `\"viewer\"` → `\"editor\"`",
      "`note` removed (was `\"x\"`)",
      "`added` set to `[1,2]`",
    ]);
  });

  test("creations, deletions and unknown shapes have no lines (the raw JSON shows them)", () => {
    expect(auditChangeLines({ before: null, after: { key: "x" }, diff: null })).toEqual([]);
    expect(auditChangeLines({ before: { key: "x" }, after: null, diff: null })).toEqual([]);
    expect(auditChangeLines({ before: "text", after: 3, diff: { entity: "flag" } })).toEqual([]);
  });
});
