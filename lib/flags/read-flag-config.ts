import type { ProjectAccess } from "@/lib/auth/access";
import { findFlagWithConfig } from "@/lib/data/flag-configs";
import { notFound } from "@/lib/errors";
import type { FlagConfig } from "@/lib/evaluation/types";
import { environmentOrThrow } from "@/lib/projects/environment-or-throw";

export async function readFlagConfig(access: ProjectAccess, environmentKey: string, flagKey: string) {
  const environment = await environmentOrThrow(access.project.id, environmentKey);
  const flag = await findFlagWithConfig(access.project.id, flagKey, environment.id);
  const current = flag?.configs[0];
  if (!flag || !current) throw notFound(`Flag “${flagKey}” in ${environment.name}`);
  return { flagKey: flag.key, environmentKey: environment.key, version: current.version, config: current.config as unknown as FlagConfig };
}
