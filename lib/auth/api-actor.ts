import { findApiTokenByHash, touchApiToken } from "@/lib/data/api-tokens";
import { unauthenticated } from "@/lib/errors";
import type { Actor } from "./actor";
import { hashSecret } from "./tokens";

/** Resolves `Authorization: Bearer <api token>` to an actor, or throws 401 with a reason. */
export async function actorFromBearer(authorization: string | null, now = new Date()): Promise<Actor> {
  const match = authorization?.match(/^Bearer\s+(\S+)\s*$/i);
  if (!match) throw unauthenticated("Send an API token as `Authorization: Bearer <token>`.");
  const token = await findApiTokenByHash(hashSecret(match[1]));
  if (!token || token.revokedAt) throw unauthenticated("This API token is not valid or has been revoked.");
  if (token.expiresAt && token.expiresAt <= now) throw unauthenticated("This API token has expired.");
  void touchApiToken(token.id, now);
  return {
    type: "api_token",
    tokenId: token.id,
    name: token.name,
    userId: token.userId,
    role: token.role,
    projectId: token.projectId,
  };
}
