import { describe, expect, test } from "vitest";
import { compileSnapshot } from "@/lib/evaluation";
import type { Flag, FlagConfig } from "@/lib/evaluation/types";
import { impactDimensions, privateAttributeKeys } from "./dimensions";
import { withDependents, withPrerequisites } from "./flag-closure";
import { DIMENSION_VALUE_LIMIT, NOT_SET, OTHER, replayContexts } from "./replay";

const config = (over: Partial<FlagConfig> = {}): FlagConfig => ({ on: true, offVariation: "off", targets: [], rules: [], fallthrough: { variation: "off" }, prerequisites: [], ...over });
const flag = (key: string, over: Partial<FlagConfig> = {}): Flag => ({
  key,
  kind: "release",
  valueType: "boolean",
  variations: [
    { key: "on", value: true },
    { key: "off", value: false },
  ],
  config: config(over),
});
const proOn = { rules: [{ id: "pro", clauses: [{ attribute: "plan", op: "in" as const, values: ["pro"] }], serve: { variation: "on" } }] };
const now = new Date("2026-01-01T00:00:00Z");

describe("impactDimensions", () => {
  test("only public dashboard dimensions, sorted", () => {
    expect(
      impactDimensions([
        { key: "region", sensitivity: "public", dashboardDimension: true },
        { key: "plan", sensitivity: "public", dashboardDimension: true },
        { key: "email", sensitivity: "private", dashboardDimension: true },
        { key: "ssn", sensitivity: "forbidden", dashboardDimension: true },
        { key: "age", sensitivity: "public", dashboardDimension: false },
      ]),
    ).toEqual(["plan", "region"]);
  });

  test("private and forbidden attributes are the ones events lack", () => {
    expect(
      [...privateAttributeKeys([
        { key: "plan", sensitivity: "public", dashboardDimension: true },
        { key: "email", sensitivity: "private", dashboardDimension: false },
        { key: "ssn", sensitivity: "forbidden", dashboardDimension: false },
      ])].sort(),
    ).toEqual(["email", "ssn"]);
  });
});

describe("flag closure", () => {
  const a = flag("a");
  const b = flag("b", { prerequisites: [{ flagKey: "a", variation: "on" }] });
  const c = flag("c", { prerequisites: [{ flagKey: "b", variation: "on" }] });
  const d = flag("d");
  test("dependents follow prerequisite chains", () => {
    expect([...withDependents([a, b, c, d], ["a"])].sort()).toEqual(["a", "b", "c"]);
    expect([...withDependents([a, b, c, d], ["c"])]).toEqual(["c"]);
  });
  test("prerequisites are pulled in transitively, unknown keys dropped", () => {
    expect(withPrerequisites([a, b, c, d], ["c", "missing"]).map((f) => f.key).sort()).toEqual(["a", "b", "c"]);
  });
});

describe("replayContexts", () => {
  const before = compileSnapshot({ flags: [flag("f")], segments: [] });
  const after = compileSnapshot({ flags: [flag("f", proOn)], segments: [] });
  const contexts = [
    { contextKey: "u1", attributes: { plan: "pro", region: "eu" } },
    { contextKey: "u2", attributes: { plan: "pro", region: "us" } },
    { contextKey: "u3", attributes: { plan: "free", region: "eu" } },
    { contextKey: "u4", attributes: { region: "eu" } },
  ];

  test("counts changed contexts by transition and by dimension value", () => {
    const tally = replayContexts({ before, after, flagKeys: ["f"], contexts, dimensions: ["plan", "region"], now }).get("f")!;
    expect(tally.changed).toBe(2);
    expect(tally.transitions).toEqual([{ from: "off", to: "on", count: 2 }]);
    expect(tally.byDimension).toEqual([
      {
        dimension: "plan",
        values: [
          { value: "pro", seen: 2, changed: 2 },
          { value: NOT_SET, seen: 1, changed: 0 },
          { value: "free", seen: 1, changed: 0 },
        ],
      },
      {
        dimension: "region",
        values: [
          { value: "eu", seen: 3, changed: 1 },
          { value: "us", seen: 1, changed: 1 },
        ],
      },
    ]);
  });

  test("an unchanged edit changes nobody", () => {
    const tally = replayContexts({ before, after: before, flagKeys: ["f"], contexts, dimensions: ["plan"], now }).get("f")!;
    expect(tally.changed).toBe(0);
    expect(tally.transitions).toEqual([]);
    expect(tally.byDimension[0].values.every((v) => v.changed === 0)).toBe(true);
  });

  test("dependents change through their prerequisite", () => {
    const dependent = flag("g", { prerequisites: [{ flagKey: "f", variation: "on" }], fallthrough: { variation: "on" } });
    const tallies = replayContexts({
      before: compileSnapshot({ flags: [flag("f"), dependent], segments: [] }),
      after: compileSnapshot({ flags: [flag("f", proOn), dependent], segments: [] }),
      flagKeys: ["f", "g"],
      contexts,
      dimensions: [],
      now,
    });
    expect(tallies.get("g")).toMatchObject({ changed: 2, transitions: [{ from: "off", to: "on", count: 2 }], byDimension: [] });
  });

  test("many values are folded into (other), keeping the totals", () => {
    const many = Array.from({ length: 30 }, (_, i) => ({ contextKey: `c${i}`, attributes: { plan: i % 2 ? "pro" : "free", region: `r${i}` } }));
    const [region] = replayContexts({ before, after, flagKeys: ["f"], contexts: many, dimensions: ["region"], now }).get("f")!.byDimension;
    expect(region.values).toHaveLength(DIMENSION_VALUE_LIMIT);
    expect(region.values.at(-1)!.value).toBe(OTHER);
    expect(region.values.reduce((s, v) => s + v.seen, 0)).toBe(30);
    expect(region.values.reduce((s, v) => s + v.changed, 0)).toBe(15);
  });
});
