import { getPrisma } from "@/lib/db";
import type { Role } from "@/lib/auth/permissions";

export function findApiTokenByHash(tokenHash: string) {
  return getPrisma().apiToken.findUnique({ where: { tokenHash } });
}

export function insertApiToken(data: {
  name: string;
  prefix: string;
  tokenHash: string;
  userId: string | null;
  role: Role | null;
  projectId: string | null;
  createdById: string | null;
  expiresAt: Date | null;
}) {
  return getPrisma().apiToken.create({ data });
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

export function markApiTokenRevoked(id: string, at: Date) {
  return getPrisma().apiToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: at } });
}

/** Best effort: a lost update of the last-used time is harmless, so it never blocks a request. */
export function touchApiToken(id: string, at: Date) {
  return getPrisma().apiToken.update({ where: { id }, data: { lastUsedAt: at } }).catch(() => undefined);
}
