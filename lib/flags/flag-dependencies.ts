import type { ProjectAccess } from "@/lib/auth/access";
import { getPrisma } from "@/lib/db";
import type { FlagConfig } from "@/lib/evaluation/types";
import { dependencyGraph, type DependencyEdge } from "./dependency-graph";
import { RECENT_EVALUATION_DAYS, type EnvironmentDependencies } from "./flag-dependencies-view";

export type { EnvironmentDependencies } from "./flag-dependencies-view";

/**
 * The flag's prerequisite graph in every environment, both ways, and whether each environment
 * still evaluates it (on, or exposures in the last 30 days): what the flag page shows as its
 * dependencies, and what archiving asks to confirm.
 */
export async function loadFlagDependencies(access: ProjectAccess, flagKey: string, now = new Date()): Promise<EnvironmentDependencies[]> {
  const prisma = getPrisma();
  const [environments, configs, evaluated] = await Promise.all([
    prisma.environment.findMany({ where: { projectId: access.project.id }, orderBy: [{ sortOrder: "asc" }, { key: "asc" }], select: { id: true, key: true, name: true } }),
    // Archived flags are not evaluated: they neither need nor are needed (the flag itself is kept).
    prisma.flagEnvironmentConfig.findMany({
      where: { flag: { projectId: access.project.id, OR: [{ lifecycle: { not: "archived" } }, { key: flagKey }] } },
      select: { environmentId: true, config: true, flag: { select: { key: true, name: true } } },
    }),
    prisma.exposureRollup.groupBy({
      by: ["environmentId"],
      where: { flagKey, environment: { projectId: access.project.id }, bucketStart: { gte: new Date(now.getTime() - RECENT_EVALUATION_DAYS * 86_400_000) } },
      _max: { bucketStart: true },
    }),
  ]);
  const names = new Map(configs.map((c) => [c.flag.key, c.flag.name]));
  const lastEvaluated = new Map(evaluated.map((row) => [row.environmentId, row._max.bucketStart]));
  const named = (edge: DependencyEdge) => ({ ...edge, flagName: names.get(edge.flagKey) ?? edge.flagKey });
  return environments.map((environment) => {
    const here = configs.filter((c) => c.environmentId === environment.id);
    const graph = dependencyGraph(
      here.map((c) => ({ key: c.flag.key, prerequisites: (c.config as unknown as FlagConfig).prerequisites ?? [] })),
      flagKey,
    );
    const own = here.find((c) => c.flag.key === flagKey)?.config as unknown as FlagConfig | undefined;
    return {
      environmentKey: environment.key,
      environmentName: environment.name,
      on: own ? own.on : null,
      offVariation: own ? own.offVariation : null,
      lastEvaluatedAt: lastEvaluated.get(environment.id)?.toISOString() ?? null,
      needs: graph.needs.map(named),
      neededBy: graph.neededBy.map(named),
    };
  });
}
