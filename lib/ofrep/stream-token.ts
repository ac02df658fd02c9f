import { createHmac, timingSafeEqual } from "node:crypto";
import type { SdkPrincipal } from "@/lib/auth/sdk-key-auth";
import { getOrCreateSecret } from "@/lib/db";

/**
 * The SSE URL handed to OFREP clients carries a token instead of the SDK key (browsers'
 * EventSource cannot send headers). It names the key and is signed with a server secret, so it
 * stops working when the key is revoked and reveals nothing usable for evaluation.
 */
let secret: Promise<string> | null = null;
const signingSecret = () => (secret ??= getOrCreateSecret("ofrep-stream"));

function sign(keyId: string, key: string): string {
  return createHmac("sha256", key).update(`ofrep-stream:${keyId}`).digest("base64url");
}

// A key's token never changes, and every bulk response carries it: sign once per key.
const tokens = new Map<string, string>();

export async function streamUrlFor(origin: string, principal: SdkPrincipal): Promise<string> {
  let token = tokens.get(principal.keyId);
  if (token === undefined) {
    token = encodeURIComponent(`${principal.keyId}.${sign(principal.keyId, await signingSecret())}`);
    if (tokens.size > 10_000) tokens.clear();
    tokens.set(principal.keyId, token);
  }
  return `${origin}/ofrep/v1/stream?token=${token}`;
}

/** The key id a token was issued for, or null when the signature does not match. */
export async function keyIdFromStreamToken(token: string | null): Promise<string | null> {
  const [keyId, signature] = (token ?? "").split(".");
  if (!keyId || !signature) return null;
  const expected = Buffer.from(sign(keyId, await signingSecret()));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given) ? keyId : null;
}
