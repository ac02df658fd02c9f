import type { Prerequisite } from "@/lib/evaluation/types";

export interface DependencyNode {
  key: string;
  prerequisites: readonly Prerequisite[];
}

export interface DependencyEdge {
  /** The flag reached. */
  flagKey: string;
  /** The flag it was reached from: the one that requires it (needs), or that it requires (needed by). */
  via: string;
  /** The variations the requiring flag wants. */
  variations: string[];
  /** 1 for a direct prerequisite or dependent, 2 through one other flag, … */
  depth: number;
}

const wanted = (p: Prerequisite) => [...new Set([p.variation, ...(p.variations ?? [])])];

/**
 * One environment's prerequisite graph around `root`, both ways, breadth first: what it needs
 * (its prerequisites, theirs, …) and what needs it (flags requiring it, flags requiring those, …).
 * Each flag appears once, at its shortest distance; a cycle (refused at save) cannot loop.
 */
export function dependencyGraph(flags: readonly DependencyNode[], root: string): { needs: DependencyEdge[]; neededBy: DependencyEdge[] } {
  const byKey = new Map(flags.map((f) => [f.key, f]));
  const walk = (next: (key: string) => { flagKey: string; prerequisite: Prerequisite }[]) => {
    const edges: DependencyEdge[] = [];
    const seen = new Set([root]);
    let frontier = [root];
    for (let depth = 1; frontier.length; depth++) {
      const following: string[] = [];
      for (const key of frontier) {
        for (const { flagKey, prerequisite } of next(key)) {
          if (seen.has(flagKey)) continue;
          seen.add(flagKey);
          following.push(flagKey);
          edges.push({ flagKey, via: key, variations: wanted(prerequisite), depth });
        }
      }
      frontier = following;
    }
    return edges;
  };
  return {
    needs: walk((key) => (byKey.get(key)?.prerequisites ?? []).map((p) => ({ flagKey: p.flagKey, prerequisite: p }))),
    neededBy: walk((key) => flags.flatMap((f) => f.prerequisites.filter((p) => p.flagKey === key).map((p) => ({ flagKey: f.key, prerequisite: p })))),
  };
}

/**
 * The dependents whose results change when `root` serves `served` to everyone (turned off: its
 * off variation): those that require a variation other than `served`, and everything requiring them.
 */
export function dependentsBrokenBy<E extends DependencyEdge>(graph: { neededBy: E[] }, root: string, served: string): E[] {
  const broken = new Set<string>();
  for (const edge of graph.neededBy) {
    if ((edge.via === root && !edge.variations.includes(served)) || broken.has(edge.via)) broken.add(edge.flagKey);
  }
  return graph.neededBy.filter((edge) => broken.has(edge.flagKey));
}
