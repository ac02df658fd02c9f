import type { ProjectAccess } from "@/lib/auth/access";
import { generateSecret } from "@/lib/auth/tokens";
import { findApiTokenById, insertApiToken, markApiTokenRevoked } from "@/lib/data/api-tokens";
import { findMembership } from "@/lib/data/memberships";
import { AppError, notFound } from "@/lib/errors";
import type { CreateApiTokenInput } from "@/lib/schemas/api-token";

/** Returns the secret once; only its hash is stored. */
export async function createApiToken(access: ProjectAccess, input: CreateApiTokenInput, now = new Date()) {
  const { actor, project } = access;
  const owner = actor.type === "user" ? actor.userId : actor.type === "api_token" ? actor.userId : null;
  if (input.kind === "personal" && !owner) {
    throw new AppError("BAD_REQUEST", "Only a person can own a personal token; create a service token instead.");
  }
  const { secret, prefix, hash } = generateSecret("api");
  const token = await insertApiToken({
    name: input.name,
    prefix,
    tokenHash: hash,
    userId: input.kind === "personal" ? owner : null,
    role: input.kind === "service" ? input.role : null,
    projectId: input.kind === "service" ? project.id : null,
    createdById: owner,
    expiresAt: input.expiresInDays ? new Date(now.getTime() + input.expiresInDays * 86_400_000) : null,
  }, actor, project.id);
  return { id: token.id, name: token.name, prefix, secret };
}

export async function revokeApiToken(access: ProjectAccess, tokenId: string, now = new Date()) {
  const token = await findApiTokenById(tokenId);
  // Admins manage this project's service tokens and their members' personal tokens.
  const belongsHere =
    token && (token.projectId === access.project.id || (token.userId !== null && (await findMembership(token.userId, access.project.id))));
  if (!token || !belongsHere) throw notFound("That API token");
  await markApiTokenRevoked(token, now, access.actor, access.project.id);
  return { id: token.id, name: token.name };
}

export function apiTokenStatus(token: { revokedAt: Date | null; expiresAt: Date | null }, now = new Date()): "active" | "revoked" | "expired" {
  if (token.revokedAt) return "revoked";
  return token.expiresAt && token.expiresAt <= now ? "expired" : "active";
}
