import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { auditActorFields } from "@/lib/audit/audit-actor";
import type { Actor } from "@/lib/auth/actor";
import type { Role } from "@/lib/auth/permissions";
import { getPrisma } from "@/lib/db";

export function findProjectByKey(key: string) {
  return getPrisma().project.findUnique({ where: { key } });
}

export function findProjectWithEnvironments(key: string) {
  return getPrisma().project.findUnique({
    where: { key },
    include: { environments: { orderBy: [{ sortOrder: "asc" }, { key: "asc" }] } },
  });
}

export function listProjectsForUser(userId: string) {
  return getPrisma().project.findMany({
    where: { memberships: { some: { userId } } },
    orderBy: { key: "asc" },
  });
}

export function listProjectsByIds(ids: string[] | "all") {
  return getPrisma().project.findMany({
    where: ids === "all" ? {} : { id: { in: ids } },
    orderBy: { key: "asc" },
  });
}

export function countProjects() {
  return getPrisma().project.count();
}

export interface NewEnvironment {
  key: string;
  name: string;
  sortOrder: number;
  color: string;
  requireReview: boolean;
  requiredApprovals: number;
}

/**
 * Creates the project, its environments, the creator's admin membership (for a person) and
 * the audit entry, atomically.
 */
export function insertProject(
  input: { key: string; name: string; description: string; environments: NewEnvironment[]; adminUserId: string | null },
  actor: Actor,
) {
  const { environments, adminUserId, ...project } = input;
  const role: Role = "admin";
  return getPrisma().$transaction(async (tx) => {
    const created = await tx.project.create({
      data: {
        ...project,
        environments: { create: environments },
        ...(adminUserId ? { memberships: { create: { userId: adminUserId, role } } } : {}),
      },
      include: { environments: { orderBy: { sortOrder: "asc" } } },
    });
    await appendAuditEvent(tx, {
      ...auditActorFields(actor),
      projectId: created.id,
      action: "project.created",
      entityType: "project",
      entityKey: created.key,
      after: { ...project, environments: environments.map((env) => env.key) },
    });
    return created;
  });
}
