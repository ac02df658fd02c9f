import { describe, expect, test } from "vitest";
import type { CatalogAttribute, FlagConfig } from "@/lib/evaluation/types";
import { duplicateRule, moveItem, normalizeConfig, withAttribute, withOperator } from "./config-model";
import { SEGMENT_ATTRIBUTE } from "./operators";

const catalog: CatalogAttribute[] = [
  { key: "plan", type: "string", sensitivity: "public", allowedValues: ["free", "pro"] },
  { key: "appVersion", type: "semver", sensitivity: "public" },
  { key: "cartValue", type: "number", sensitivity: "public" },
];

describe("clause edits", () => {
  test("switching attribute keeps a fitting operator and the values that still parse", () => {
    expect(withAttribute({ attribute: "plan", op: "in", values: ["pro"] }, "appVersion", catalog)).toEqual({ attribute: "appVersion", op: "in", values: [] });
    expect(withAttribute({ attribute: "plan", op: "contains", values: ["x"] }, "cartValue", catalog)).toEqual({ attribute: "cartValue", op: "in", values: [] });
    expect(withAttribute({ attribute: "plan", op: "in", values: [] }, "appVersion", catalog)).toEqual({ attribute: "appVersion", op: "semverGte", values: [] });
    expect(withAttribute({ attribute: "cartValue", op: "gt", values: [5] }, SEGMENT_ATTRIBUTE, catalog)).toEqual({ attribute: "targetingKey", op: "inSegment", values: [] });
  });

  test("switching operator keeps values; ignore-case is dropped where it means nothing", () => {
    expect(withOperator({ attribute: "plan", op: "in", values: ["pro"], caseInsensitive: true }, "notIn", catalog)).toEqual({ attribute: "plan", op: "notIn", values: ["pro"], caseInsensitive: true });
    expect(withOperator({ attribute: "cartValue", op: "in", values: [5], caseInsensitive: true }, "gt", catalog)).toEqual({ attribute: "cartValue", op: "gt", values: [5] });
  });
});

describe("rule list edits", () => {
  test("moving", () => {
    expect(moveItem(["a", "b", "c"], 0, 2)).toEqual(["b", "c", "a"]);
    expect(moveItem(["a", "b", "c"], 2, -4)).toEqual(["c", "a", "b"]);
  });

  test("duplicating gives a new id and a copy of everything else", () => {
    const rule = { id: "r1", description: "Pro", clauses: [{ attribute: "plan", op: "in" as const, values: ["pro"] }], serve: { variation: "on" } };
    const copy = duplicateRule(rule, ["r1"]);
    expect(copy.id).not.toBe("r1");
    expect(copy).toMatchObject({ description: "Pro (copy)", clauses: rule.clauses, serve: rule.serve });
    copy.clauses[0].values.push("free");
    expect(rule.clauses[0].values).toEqual(["pro"]);
  });

  test("normalising drops empty descriptions, default options and the version", () => {
    const config: FlagConfig = {
      on: true,
      offVariation: "off",
      version: 3,
      targets: [{ variation: "on", values: [] }],
      rules: [{ id: "r", description: "  ", match: "all", clauses: [{ attribute: "plan", op: "in", values: ["pro"], negate: false }], serve: { variation: "on" } }],
      fallthrough: { variation: "off" },
      prerequisites: [],
    };
    expect(normalizeConfig(config)).toEqual({
      on: true,
      offVariation: "off",
      targets: [{ variation: "on", values: [] }],
      rules: [{ id: "r", clauses: [{ attribute: "plan", op: "in", values: ["pro"] }], serve: { variation: "on" } }],
      fallthrough: { variation: "off" },
      prerequisites: [],
    });
  });
});
