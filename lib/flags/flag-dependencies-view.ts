import type { DependencyEdge } from "./dependency-graph";

/** The flag page's view of a flag's dependencies (pure: the browser uses it too). */

/** Evaluations within this many days count as "still evaluated" (the staleness window). */
export const RECENT_EVALUATION_DAYS = 30;

export interface EnvironmentDependencies {
  environmentKey: string;
  environmentName: string;
  /** Whether the flag is on there (null: not configured there). */
  on: boolean | null;
  offVariation: string | null;
  /** The latest minute with exposures of the flag there, within RECENT_EVALUATION_DAYS. */
  lastEvaluatedAt: string | null;
  needs: (DependencyEdge & { flagName: string })[];
  neededBy: (DependencyEdge & { flagName: string })[];
}

/** The environments that still evaluate the flag: on there, or evaluated recently. */
export function environmentsStillEvaluating(dependencies: readonly EnvironmentDependencies[]) {
  return dependencies.filter((e) => e.on === true || e.lastEvaluatedAt !== null);
}
