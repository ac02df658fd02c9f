import { describe, expect, test } from "vitest";
import { validateFlagConfig } from "@/lib/evaluation";
import type { AttributeType, CatalogAttribute, ClauseValue, FlagConfig, Operator } from "@/lib/evaluation/types";
import { OPERATORS_BY_TYPE, selectableAttributes } from "./operators";

const SAMPLE: Record<AttributeType, ClauseValue> = { string: "x", number: 3, boolean: true, semver: "1.2.3", date: "2026-01-01", list: "x" };
const OPERAND: Partial<Record<Operator, ClauseValue>> = { inCidr: "10.0.0.0/8", matches: "^x$" };

describe("operators offered per attribute type", () => {
  for (const [type, ops] of Object.entries(OPERATORS_BY_TYPE) as [AttributeType, Operator[]][]) {
    test.each(ops)(`${type}: %s is accepted by the engine's validation`, (op) => {
      const catalog: CatalogAttribute[] = [{ key: "a", type, sensitivity: "public" }];
      const config: FlagConfig = {
        on: true,
        offVariation: "off",
        targets: [],
        rules: [{ id: "r", clauses: [{ attribute: "a", op, values: op === "exists" ? [] : [OPERAND[op] ?? SAMPLE[type]] }], serve: { variation: "on" } }],
        fallthrough: { variation: "off" },
        prerequisites: [],
      };
      const issues = validateFlagConfig(config, catalog, [], [], { key: "f", kind: "release", valueType: "boolean", variations: [{ key: "on", value: true }, { key: "off", value: false }] });
      expect(issues.filter((i) => i.severity !== "warning")).toEqual([]);
    });
  }
});

test("forbidden attributes are not offered; built-ins are", () => {
  const keys = selectableAttributes([
    { key: "plan", type: "string", sensitivity: "public" },
    { key: "email", type: "string", sensitivity: "private" },
    { key: "dateOfBirth", type: "date", sensitivity: "forbidden" },
  ]).map((a) => a.key);
  expect(keys).toEqual(["email", "plan", "targetingKey", "currentTime"]);
});
