import { findSdkKeyByHash } from "@/lib/data/sdk-keys";
import { hashSecret } from "./tokens";

export interface SdkPrincipal {
  keyId: string;
  kind: "server" | "client";
  projectId: string;
  projectKey: string;
  environmentId: string;
  environmentKey: string;
}

export type SdkAuthResult = { ok: true; principal: SdkPrincipal } | { ok: false; status: 401 | 403 };

/**
 * Lookups are cached for at most one second, so the evaluation path does not query the database
 * on every request while a revoked key still stops working within a second on every instance.
 * Unknown keys are cached too, so a flood of bad keys cannot hammer the database.
 */
const CACHE_TTL_MS = 1000;
const cache = new Map<string, { at: number; principal: SdkPrincipal | null }>();

/** The SDK key from `Authorization: Bearer <key>` or `X-API-Key: <key>` (OFREP allows both). */
export function sdkKeyFrom(headers: Headers): string | null {
  const bearer = headers.get("authorization")?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
  return bearer ?? headers.get("x-api-key")?.trim() ?? null;
}

export async function authenticateSdkKey(headers: Headers, now = Date.now()): Promise<SdkAuthResult> {
  const key = sdkKeyFrom(headers);
  if (!key) return { ok: false, status: 401 };
  const hash = hashSecret(key);
  const cached = cache.get(hash);
  let principal: SdkPrincipal | null;
  if (cached && now - cached.at < CACHE_TTL_MS) principal = cached.principal;
  else {
    const row = await findSdkKeyByHash(hash);
    principal =
      row && !row.revokedAt
        ? {
            keyId: row.id,
            kind: row.kind,
            projectId: row.project.id,
            projectKey: row.project.key,
            environmentId: row.environment.id,
            environmentKey: row.environment.key,
          }
        : null;
    if (cache.size > 10_000) cache.clear();
    cache.set(hash, { at: now, principal });
  }
  return principal ? { ok: true, principal } : { ok: false, status: 401 };
}
