import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { auditActorFields } from "@/lib/audit/audit-actor";
import type { Actor } from "@/lib/auth/actor";
import type { Role } from "@/lib/auth/permissions";
import { getPrisma } from "@/lib/db";

export function findApiTokenByHash(tokenHash: string) {
  return getPrisma().apiToken.findUnique({ where: { tokenHash } });
}


interface NewApiToken {
  name: string;
  prefix: string;
  tokenHash: string;
  userId: string | null;
  role: Role | null;
  projectId: string | null;
  createdById: string | null;
  expiresAt: Date | null;
}

/** Stores a token (its hash only) and audits its creation. */
export function insertApiToken(data: NewApiToken, actor: Actor, auditProjectId: string | null) {
  return getPrisma().$transaction(async (tx) => {
    const token = await tx.apiToken.create({ data });
    await appendAuditEvent(tx, {
      ...auditActorFields(actor),
      projectId: auditProjectId,
      action: "api_token.created",
      entityType: "api_token",
      entityKey: token.id,
      after: { name: data.name, prefix: data.prefix, role: data.role, personal: data.userId !== null, expiresAt: data.expiresAt },
    });
    return token;
  });
}

/** Tokens a project's admins manage: its service tokens and its members' personal tokens. */
export function listApiTokensForProject(projectId: string) {
  return getPrisma().apiToken.findMany({
    where: { OR: [{ projectId }, { user: { memberships: { some: { projectId } } } }] },
    include: { user: { select: { email: true } } },
    orderBy: { createdAt: "desc" },
  });
}

export function findApiTokenById(id: string) {
  return getPrisma().apiToken.findUnique({ where: { id }, include: { user: { select: { email: true } } } });
}

export function markApiTokenRevoked(token: { id: string; name: string }, at: Date, actor: Actor, auditProjectId: string) {
  return getPrisma().$transaction(async (tx) => {
    const { count } = await tx.apiToken.updateMany({ where: { id: token.id, revokedAt: null }, data: { revokedAt: at } });
    if (count > 0) {
      await appendAuditEvent(tx, {
        ...auditActorFields(actor),
        projectId: auditProjectId,
        action: "api_token.revoked",
        entityType: "api_token",
        entityKey: token.id,
        before: { name: token.name },
      });
    }
    return count > 0;
  });
}

/** Best effort: a lost update of the last-used time is harmless, so it never blocks a request. */
export function touchApiToken(id: string, at: Date) {
  return getPrisma().apiToken.update({ where: { id }, data: { lastUsedAt: at } }).catch(() => undefined);
}
