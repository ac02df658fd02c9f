import type { z } from "zod";
import type { projectSchema } from "@/lib/schemas/project";

type ProjectRow = {
  key: string;
  name: string;
  description: string;
  createdAt: Date;
  environments?: { key: string; name: string; requireReview: boolean; requiredApprovals: number }[];
};

/** The REST representation of a project (documented by `projectSchema`). */
export function projectJson(project: ProjectRow): z.infer<typeof projectSchema> {
  return {
    key: project.key,
    name: project.name,
    description: project.description,
    createdAt: project.createdAt.toISOString(),
    environments: (project.environments ?? []).map(({ key, name, requireReview, requiredApprovals }) => ({
      key,
      name,
      requireReview,
      requiredApprovals,
    })),
  };
}
