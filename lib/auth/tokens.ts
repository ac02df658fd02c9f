import { createHash, randomBytes } from "node:crypto";

/**
 * API tokens and SDK keys are long random secrets shown once. They carry 192 bits of entropy,
 * so a fast hash (SHA-256) is the right storage: a slow password hash would only slow every
 * request down without adding safety. The prefix is stored in clear to tell keys apart in lists.
 */
export type SecretKind = "api" | "sdk-server" | "sdk-client";

const PREFIX: Record<SecretKind, string> = { api: "sy_api_", "sdk-server": "sy_srv_", "sdk-client": "sy_cli_" };

export function generateSecret(kind: SecretKind): { secret: string; prefix: string; hash: string } {
  const secret = PREFIX[kind] + randomBytes(24).toString("base64url");
  return { secret, prefix: displayPrefix(secret), hash: hashSecret(secret) };
}

export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

/** Enough characters to recognise a key in a list, far too few to guess the rest. */
export function displayPrefix(secret: string): string {
  return secret.slice(0, secret.indexOf("_", 3) + 5);
}
