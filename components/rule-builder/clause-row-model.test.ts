import { describe, expect, test } from "vitest";
import { validateSegment } from "@/lib/evaluation";
import type { AttributeType, CatalogAttribute, Clause, ClauseValue, Operator } from "@/lib/evaluation/types";
import { CLAUSE_OPERATORS, newClause, offeredAttributes, parseClauseValues, SEGMENT_CHOICE, valueKindOf, withAttribute, withOperator } from "./clause-row-model";

const catalog: CatalogAttribute[] = [
  { key: "plan", type: "string", sensitivity: "public", allowedValues: ["free", "pro"] },
  { key: "email", type: "string", sensitivity: "private" },
  { key: "dob", type: "date", sensitivity: "forbidden" },
  { key: "age", type: "number", sensitivity: "public" },
  { key: "app", type: "semver", sensitivity: "public" },
  { key: "beta", type: "boolean", sensitivity: "public" },
  { key: "roles", type: "list", sensitivity: "public" },
  { key: "since", type: "date", sensitivity: "public" },
];

/** A value the engine accepts for each way of entering values. */
const SAMPLE: Record<string, ClauseValue> = { number: 3, semver: "1.2.0", date: "2026-01-01", boolean: true, allowed: "pro", text: "abc" };

describe("operators offered per type", () => {
  const attributeOf: Record<AttributeType, string> = { string: "email", number: "age", boolean: "beta", semver: "app", date: "since", list: "roles" };
  const cases = Object.entries(CLAUSE_OPERATORS).flatMap(([type, ops]) => ops.map((op) => [type as AttributeType, op] as const));
  test.each(cases)("%s %s passes the engine's validation", (type, op) => {
    const attribute = attributeOf[type];
    const kind = valueKindOf(type, op as Operator, catalog.find((a) => a.key === attribute)?.allowedValues);
    const values = kind === "none" ? [] : [op === "matches" ? "^a" : op === "inCidr" ? "10.0.0.0/8" : SAMPLE[kind]];
    const clause: Clause = { attribute, op, values };
    const issues = validateSegment({ key: "s", included: [], excluded: [], rules: [{ id: "r", clauses: [clause] }] }, catalog, []);
    expect(issues.filter((i) => i.severity !== "warning")).toEqual([]);
  });
});

describe("the picker", () => {
  test("forbidden attributes are never offered; built-ins come last", () => {
    expect(offeredAttributes(catalog).map((a) => a.key)).toEqual(["age", "app", "beta", "email", "plan", "roles", "since", "targetingKey", "currentTime"]);
  });

  test("a new condition starts with the type's usual operator", () => {
    expect(newClause(catalog, "app")).toEqual({ attribute: "app", op: "semverGte", values: [] });
    expect(newClause(catalog)).toEqual({ attribute: "age", op: "in", values: [] });
  });

  test("changing the attribute keeps a fitting operator, else resets; segments switch to membership", () => {
    expect(withAttribute({ attribute: "plan", op: "contains", values: ["x"] }, "email", catalog)).toEqual({ attribute: "email", op: "contains", values: [] });
    expect(withAttribute({ attribute: "plan", op: "contains", values: ["x"] }, "age", catalog)).toEqual({ attribute: "age", op: "in", values: [] });
    expect(withAttribute({ attribute: "plan", op: "in", values: ["pro"] }, SEGMENT_CHOICE, catalog)).toEqual({ attribute: "targetingKey", op: "inSegment", values: [] });
  });

  test("changing the operator keeps values entered the same way", () => {
    expect(withOperator({ attribute: "email", op: "contains", values: ["@a"], caseInsensitive: true }, "endsWith", catalog)).toEqual({ attribute: "email", op: "endsWith", values: ["@a"], caseInsensitive: true });
    expect(withOperator({ attribute: "email", op: "contains", values: ["@a"], caseInsensitive: true }, "inCidr", catalog)).toEqual({ attribute: "email", op: "inCidr", values: ["@a"] });
    expect(withOperator({ attribute: "email", op: "contains", values: ["@a"] }, "exists", catalog)).toEqual({ attribute: "email", op: "exists", values: [] });
  });
});

describe("typed and pasted values", () => {
  test.each([
    ["pro, enterprise, free", "text", ["pro", "enterprise", "free"]],
    ["^a,b$\n^c", "text", ["^a,b$", "^c"]],
    ["1, 2.5, x, 1", "number", [1, 2.5, "x"]],
    [" 2026-01-01 \n\n", "date", ["2026-01-01"]],
  ] as const)("%j as %s", (text, kind, expected) => {
    expect(parseClauseValues(text, kind)).toEqual(expected);
  });
});
