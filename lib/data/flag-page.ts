import { getPrisma } from "@/lib/db";

/** A flag with its owner and its configuration in every environment (the flag page). */
export function findFlagForPage(projectId: string, flagKey: string) {
  return getPrisma().flag.findUnique({
    where: { projectId_key: { projectId, key: flagKey } },
    include: {
      owner: { select: { email: true, name: true } },
      createdBy: { select: { email: true, name: true } },
      configs: {
        select: {
          config: true,
          version: true,
          updatedAt: true,
          updatedBy: { select: { email: true, name: true } },
          environment: { select: { key: true, name: true, color: true, sortOrder: true, requireReview: true } },
        },
      },
    },
  });
}

/** Audit entries about one flag (its definition, configurations and test cases), newest first. */
export function listFlagAuditEvents(projectId: string, flagKey: string, limit: number) {
  return getPrisma().auditEvent.findMany({
    where: { projectId, entityType: "flag", entityKey: flagKey },
    orderBy: { id: "desc" },
    take: limit,
    select: {
      id: true,
      createdAt: true,
      actorType: true,
      actorLabel: true,
      action: true,
      environmentId: true,
      before: true,
      after: true,
      reason: true,
      changeRequestId: true,
    },
  });
}

/** Keys of the project's flags (archived ones included: keys are never reused). */
export async function flagKeyExists(projectId: string, key: string): Promise<boolean> {
  return (await getPrisma().flag.count({ where: { projectId, key } })) > 0;
}
