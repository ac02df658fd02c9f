import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { getOrCreateSecret } from "@/lib/db/secrets";

/**
 * Webhook signing secrets. Signing needs the secret itself, so it cannot be hashed like API
 * tokens: it is stored encrypted with AES-256-GCM under a key from `WEBHOOK_ENCRYPTION_SECRET`
 * (or, when unset, one generated once beside the database — lib/db/secrets.ts). Set the env var
 * in production so a copy of the database alone does not reveal the secrets.
 */
const VERSION = "v1";

export function generateWebhookSecret(): string {
  return "whsec_" + randomBytes(24).toString("base64url");
}

async function encryptionKey(): Promise<Buffer> {
  return createHash("sha256").update(await getOrCreateSecret("webhook-encryption"), "utf8").digest();
}

export async function encryptWebhookSecret(secret: string): Promise<string> {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", await encryptionKey(), iv);
  const data = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
  return [VERSION, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), data.toString("base64url")].join(":");
}

export async function decryptWebhookSecret(stored: string): Promise<string> {
  const [version, iv, tag, data] = stored.split(":");
  if (version !== VERSION || !iv || !tag || !data) throw new Error("The webhook secret is not in the encrypted format; rotate it.");
  const decipher = createDecipheriv("aes-256-gcm", await encryptionKey(), Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
}
