import { getPrisma } from "@/lib/db";

/** A project's environments in display order, with their policies. */
export function listEnvironments(projectId: string) {
  return getPrisma().environment.findMany({ where: { projectId }, orderBy: [{ sortOrder: "asc" }, { key: "asc" }] });
}

export type EnvironmentRow = Awaited<ReturnType<typeof listEnvironments>>[number];
