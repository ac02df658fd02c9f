import { getPrisma } from "@/lib/db";

/** Flags of a project with their configuration in one environment, newest change first. */
export function listFlagsForEnvironment(projectId: string, environmentId: string) {
  return getPrisma().flag.findMany({
    where: { projectId, lifecycle: { not: "archived" } },
    include: {
      owner: { select: { email: true, name: true } },
      configs: { where: { environmentId }, select: { config: true, version: true, updatedAt: true } },
    },
    orderBy: [{ updatedAt: "desc" }, { key: "asc" }],
  });
}
