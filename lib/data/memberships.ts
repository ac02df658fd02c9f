import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { auditActorFields } from "@/lib/audit/audit-actor";
import type { Actor } from "@/lib/auth/actor";
import type { Role } from "@/lib/auth/permissions";
import { getPrisma } from "@/lib/db";
import { AppError } from "@/lib/errors";

export function findMembership(userId: string, projectId: string) {
  return getPrisma().membership.findUnique({ where: { userId_projectId: { userId, projectId } } });
}

export function listMembers(projectId: string) {
  return getPrisma().membership.findMany({
    where: { projectId },
    include: { user: { select: { id: true, email: true, name: true } } },
    orderBy: { user: { email: "asc" } },
  });
}

/** The project member with this email (stored lowercase), or null. */
export async function findMemberByEmail(projectId: string, email: string) {
  const membership = await getPrisma().membership.findFirst({
    where: { projectId, user: { email: email.trim().toLowerCase(), disabledAt: null } },
    include: { user: { select: { id: true, email: true, name: true } } },
  });
  return membership?.user ?? null;
}

export async function isAdminOfAnyProject(userId: string): Promise<boolean> {
  return (await getPrisma().membership.count({ where: { userId, role: "admin" } })) > 0;
}

/** The roles a person holds across all projects (each once). */
export async function listRolesOfUser(userId: string): Promise<Role[]> {
  const rows = await getPrisma().membership.findMany({ where: { userId }, select: { role: true }, distinct: ["role"] });
  return rows.map((row) => row.role);
}

export function insertMembership(projectId: string, user: { id: string; email: string }, role: Role, actor: Actor) {
  return getPrisma().$transaction(async (tx) => {
    const membership = await tx.membership.create({ data: { projectId, userId: user.id, role } });
    await appendAuditEvent(tx, {
      ...auditActorFields(actor),
      projectId,
      action: "member.added",
      entityType: "member",
      entityKey: user.email,
      after: { role },
    });
    return membership;
  });
}

/**
 * Changes a role or removes a member (nextRole null), refusing to leave the project without an
 * admin. The check and the write share a transaction holding row locks on the project's admins,
 * so two admins demoting each other at once cannot both succeed.
 */
export async function changeMembership(projectId: string, userId: string, nextRole: Role | null, actor: Actor) {
  return getPrisma().$transaction(async (tx) => {
    const admins = await tx.$queryRaw<{ user_id: string }[]>`
      SELECT "userId" AS user_id FROM memberships WHERE "projectId" = ${projectId} AND role = 'admin' FOR UPDATE`;
    const membership = await tx.membership.findUnique({
      where: { userId_projectId: { userId, projectId } },
      include: { user: { select: { email: true } } },
    });
    if (!membership) throw new AppError("NOT_FOUND", "That person is not a member of this project.");
    const losesAdmin = membership.role === "admin" && nextRole !== "admin";
    if (losesAdmin && admins.length <= 1) {
      throw new AppError("CONFLICT", "A project needs at least one admin. Make someone else an admin first.");
    }
    if (nextRole === null) await tx.membership.delete({ where: { id: membership.id } });
    else await tx.membership.update({ where: { id: membership.id }, data: { role: nextRole } });
    await appendAuditEvent(tx, {
      ...auditActorFields(actor),
      projectId,
      action: nextRole === null ? "member.removed" : "member.role_changed",
      entityType: "member",
      entityKey: membership.user.email,
      before: { role: membership.role },
      after: nextRole === null ? null : { role: nextRole },
    });
    return { before: membership.role, after: nextRole };
  });
}
