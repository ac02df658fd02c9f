import { describe, expect, test } from "vitest";
import { dependencyGraph, dependentsBrokenBy, type DependencyNode } from "./dependency-graph";

const node = (key: string, ...prerequisites: [string, string][]): DependencyNode => ({ key, prerequisites: prerequisites.map(([flagKey, variation]) => ({ flagKey, variation })) });

describe("dependencyGraph", () => {
  // base ← mid ← top, base ← side; other is unrelated; loop-a ↔ loop-b is a (refused) cycle.
  const flags = [node("base", ["infra", "on"]), node("infra"), node("mid", ["base", "on"]), node("top", ["mid", "on"]), node("side", ["base", "off"]), node("other")];

  test("what the flag needs, transitively, and what needs it", () => {
    const graph = dependencyGraph(flags, "base");
    expect(graph.needs).toEqual([{ flagKey: "infra", via: "base", variations: ["on"], depth: 1 }]);
    expect(graph.neededBy).toEqual([
      { flagKey: "mid", via: "base", variations: ["on"], depth: 1 },
      { flagKey: "side", via: "base", variations: ["off"], depth: 1 },
      { flagKey: "top", via: "mid", variations: ["on"], depth: 2 },
    ]);
    expect(dependencyGraph(flags, "top").needs.map((e) => [e.flagKey, e.depth])).toEqual([
      ["mid", 1],
      ["base", 2],
      ["infra", 3],
    ]);
    expect(dependencyGraph(flags, "other")).toEqual({ needs: [], neededBy: [] });
  });

  test("a cycle does not loop", () => {
    const graph = dependencyGraph([node("a", ["b", "on"]), node("b", ["a", "on"])], "a");
    expect(graph.needs.map((e) => e.flagKey)).toEqual(["b"]);
    expect(graph.neededBy.map((e) => e.flagKey)).toEqual(["b"]);
  });

  test("turning a flag off breaks the dependents wanting another variation, and theirs", () => {
    const graph = dependencyGraph(flags, "base");
    expect(dependentsBrokenBy(graph, "base", "off").map((e) => e.flagKey)).toEqual(["mid", "top"]);
    expect(dependentsBrokenBy(graph, "base", "on").map((e) => e.flagKey)).toEqual(["side"]);
  });
});
