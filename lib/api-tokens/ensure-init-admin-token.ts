import { hashSecret, displayPrefix } from "@/lib/auth/tokens";
import { findApiTokenByHash, insertApiToken } from "@/lib/data/api-tokens";

/**
 * `SWITCHYARD_INIT_ADMIN_TOKEN`: provisioning and CI need an admin credential before anyone
 * has signed in. Creates that unscoped admin service token unless it already exists (or was
 * revoked, which is respected: a revoked bootstrap token stays revoked).
 */
export async function ensureInitAdminToken(secret: string): Promise<"created" | "exists"> {
  if (secret.length < 24) throw new Error("SWITCHYARD_INIT_ADMIN_TOKEN must be at least 24 characters long.");
  const tokenHash = hashSecret(secret);
  if (await findApiTokenByHash(tokenHash)) return "exists";
  await insertApiToken(
    { name: "init-admin", prefix: displayPrefix(secret), tokenHash, userId: null, role: "admin", projectId: null, createdById: null, expiresAt: null },
    { type: "system", name: "startup" },
    null,
  );
  return "created";
}
