import { getPrisma } from "@/lib/db";
import { notFound } from "@/lib/errors";

export async function environmentOrThrow(projectId: string, environmentKey: string) {
  const environment = await getPrisma().environment.findUnique({ where: { projectId_key: { projectId, key: environmentKey } } });
  if (!environment) throw notFound(`Environment “${environmentKey}”`);
  return environment;
}
