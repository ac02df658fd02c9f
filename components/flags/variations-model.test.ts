import { describe, expect, test } from "vitest";
import type { FlagConfig, Variation } from "@/lib/evaluation/types";
import { describeVariationChanges, parseValue, rowsToVariations, toRow, variationUsage } from "./variations-model";

const variations: Variation[] = [
  { key: "on", value: true, name: "On", metadata: { kept: 1 } },
  { key: "off", value: false },
];
const config = (over: Partial<FlagConfig>): FlagConfig => ({ on: false, offVariation: "off", targets: [], rules: [], fallthrough: { variation: "off" }, prerequisites: [], ...over });

describe("variations model", () => {
  test("values are typed by the flag's value type", () => {
    expect(parseValue("boolean", "true")).toEqual({ value: true });
    expect(parseValue("boolean", "yes")).toHaveProperty("error");
    expect(parseValue("number", "2.5")).toEqual({ value: 2.5 });
    expect(parseValue("number", "")).toHaveProperty("error");
    expect(parseValue("json", '{"a":1}')).toEqual({ value: { a: 1 } });
    expect(parseValue("json", "{a")).toHaveProperty("error");
    expect(parseValue("string", "")).toEqual({ value: "" });
  });

  test("rows become variations, keeping metadata, and report bad or duplicate keys", () => {
    const rows = [...variations.map(toRow), { key: "on", name: "", valueText: "true", description: "", saved: false }, { key: "bad key", name: "", valueText: "false", description: "", saved: false }];
    rows[0] = { ...rows[0], description: "Shown to all" };
    const { variations: next, errors } = rowsToVariations("boolean", rows, variations);
    expect(next[0]).toEqual({ key: "on", value: true, name: "On", description: "Shown to all", metadata: { kept: 1 } });
    expect(next[1]).toEqual({ key: "off", value: false });
    expect(Object.keys(errors)).toEqual(["2", "3"]);
  });

  test("usage: any configuration naming a variation (even off) and dependents' prerequisites", () => {
    const usage = variationUsage(
      [
        { name: "Development", config: config({ rules: [{ id: "r", clauses: [], serve: { variation: "on" } }] }) },
        { name: "Production", config: null },
      ],
      [{ flagKey: "upsell", environmentName: "Staging", variations: ["on"] }],
    );
    expect(usage.get("on")).toEqual(["Development", "upsell (Staging)"]);
    expect(usage.get("off")).toEqual(["Development"]);
  });

  test("changes are described for the confirmation", () => {
    expect(describeVariationChanges(variations, [{ key: "on", value: true, name: "Enabled" }, { key: "maybe", value: false }])).toEqual([
      "“on”: name “On” → “Enabled”",
      "Adds “maybe” = false",
      "Removes “off”",
    ]);
  });
});
