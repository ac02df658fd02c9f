import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { AuditStamp } from "@/lib/audit/audit-actor";
import { getPrisma } from "@/lib/db";

const WITH_SCOPE = {
  environment: { select: { id: true, key: true } },
  project: { select: { id: true, key: true } },
} as const;

/** The key with its environment and project, for authenticating SDK requests. */
export function findSdkKeyByHash(keyHash: string) {
  return getPrisma().sdkKey.findUnique({ where: { keyHash }, include: WITH_SCOPE });
}

export function findSdkKeyById(id: string) {
  return getPrisma().sdkKey.findUnique({ where: { id }, include: WITH_SCOPE });
}

export function listSdkKeys(projectId: string, environmentId?: string) {
  return getPrisma().sdkKey.findMany({
    where: { projectId, ...(environmentId ? { environmentId } : {}) },
    include: { environment: { select: { key: true, name: true } }, createdBy: { select: { email: true } } },
    orderBy: [{ revokedAt: { sort: "asc", nulls: "first" } }, { createdAt: "desc" }],
  });
}

export function insertSdkKey(
  data: { projectId: string; environmentId: string; kind: "server" | "client"; name: string; prefix: string; keyHash: string; createdById: string | null },
  audit: AuditStamp,
) {
  return getPrisma().$transaction(async (tx) => {
    const key = await tx.sdkKey.create({ data });
    await appendAuditEvent(tx, {
      ...audit,
      projectId: data.projectId,
      environmentId: data.environmentId,
      action: "sdk_key.created",
      entityType: "sdk_key",
      entityKey: key.id,
      after: { name: data.name, kind: data.kind, prefix: data.prefix },
    });
    return key;
  });
}

export function markSdkKeyRevoked(key: { id: string; name: string; projectId: string; environmentId: string }, at: Date, audit: AuditStamp) {
  return getPrisma().$transaction(async (tx) => {
    const { count } = await tx.sdkKey.updateMany({ where: { id: key.id, revokedAt: null }, data: { revokedAt: at } });
    if (count > 0) {
      await appendAuditEvent(tx, {
        ...audit,
        projectId: key.projectId,
        environmentId: key.environmentId,
        action: "sdk_key.revoked",
        entityType: "sdk_key",
        entityKey: key.id,
        before: { name: key.name },
      });
    }
    return count > 0;
  });
}
