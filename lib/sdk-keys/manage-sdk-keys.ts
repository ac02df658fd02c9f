import type { ProjectAccess } from "@/lib/auth/access";
import { auditActorFields } from "@/lib/audit/audit-actor";
import { generateSecret } from "@/lib/auth/tokens";
import { findSdkKeyById, insertSdkKey, listSdkKeys, markSdkKeyRevoked } from "@/lib/data/sdk-keys";
import { notFound } from "@/lib/errors";
import { environmentOrThrow } from "@/lib/projects/environment-or-throw";

type SdkKeyRow = Awaited<ReturnType<typeof listSdkKeys>>[number];

export function sdkKeyJson(row: Pick<SdkKeyRow, "id" | "name" | "kind" | "prefix" | "createdAt" | "revokedAt" | "lastUsedAt"> & { environment: { key: string } }) {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    environment: row.environment.key,
    prefix: row.prefix,
    createdAt: row.createdAt.toISOString(),
    revokedAt: row.revokedAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
  };
}


/** Creates a key for one environment; the whole key is returned once and only its hash is kept. */
export async function createSdkKey(access: ProjectAccess, input: { environmentKey: string; kind: "server" | "client"; name: string }) {
  const environment = await environmentOrThrow(access.project.id, input.environmentKey);
  const secret = generateSecret(input.kind === "server" ? "sdk-server" : "sdk-client");
  const createdById = access.actor.type === "user" ? access.actor.userId : null;
  const row = await insertSdkKey(
    { projectId: access.project.id, environmentId: environment.id, kind: input.kind, name: input.name, prefix: secret.prefix, keyHash: secret.hash, createdById },
    auditActorFields(access.actor),
  );
  return { ...sdkKeyJson({ ...row, environment }), key: secret.secret };
}

export async function listSdkKeysJson(access: ProjectAccess, environmentKey?: string) {
  const environment = environmentKey ? await environmentOrThrow(access.project.id, environmentKey) : null;
  return (await listSdkKeys(access.project.id, environment?.id)).map(sdkKeyJson);
}

/** Revokes a key; every instance refuses it within a second (the key cache lives one second). */
export async function revokeSdkKey(access: ProjectAccess, keyId: string, now = new Date()) {
  const key = await findSdkKeyById(keyId);
  if (!key || key.projectId !== access.project.id) throw notFound("That SDK key");
  await markSdkKeyRevoked(key, now, auditActorFields(access.actor));
  return { id: key.id, name: key.name };
}
