import { findSdkKeyByHash, findSdkKeyById } from "@/lib/data/sdk-keys";
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

type SdkKeyRow = NonNullable<Awaited<ReturnType<typeof findSdkKeyByHash>>>;

/**
 * Lookups are cached for at most one second, so the evaluation path does not query the database
 * on every request while a revoked key still stops working within a second on every instance.
 * Unknown keys are cached too, so a flood of bad keys cannot hammer the database.
 */
const CACHE_TTL_MS = 1000;
const cache = new Map<string, { at: number; principal: SdkPrincipal | null }>();

function principalOf(row: SdkKeyRow | null): SdkPrincipal | null {
  if (!row || row.revokedAt) return null;
  return {
    keyId: row.id,
    kind: row.kind,
    projectId: row.project.id,
    projectKey: row.project.key,
    environmentId: row.environment.id,
    environmentKey: row.environment.key,
  };
}

async function cached(cacheKey: string, load: () => Promise<SdkKeyRow | null>, now: number): Promise<SdkPrincipal | null> {
  const hit = cache.get(cacheKey);
  if (hit && now - hit.at < CACHE_TTL_MS) return hit.principal;
  let row: SdkKeyRow | null;
  try {
    row = await load();
  } catch (error) {
    // Fail static: while the database is unreachable, keys it last confirmed keep working
    // (nobody can revoke one meanwhile); unknown keys cannot be checked.
    if (hit) return hit.principal;
    throw error;
  }
  const principal = principalOf(row);
  if (cache.size > 10_000) cache.clear();
  cache.set(cacheKey, { at: now, principal });
  return principal;
}

/** The SDK key from `Authorization: Bearer <key>` or `X-API-Key: <key>` (OFREP allows both). */
/** Request headers as far as key authentication reads them (a Web `Headers` is one). */
export interface HeaderReader {
  get(name: string): string | null;
}

export function sdkKeyFrom(headers: HeaderReader): string | null {
  const bearer = headers.get("authorization")?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
  return bearer ?? headers.get("x-api-key")?.trim() ?? null;
}

export async function authenticateSdkKey(headers: HeaderReader, now = Date.now()): Promise<SdkAuthResult> {
  const key = sdkKeyFrom(headers);
  if (!key) return { ok: false, status: 401 };
  const hash = hashSecret(key);
  const principal = await cached(`hash:${hash}`, () => findSdkKeyByHash(hash), now);
  return principal ? { ok: true, principal } : { ok: false, status: 401 };
}

/** For signed stream URLs, which name the key by id. */
export async function principalForSdkKeyId(keyId: string, now = Date.now()): Promise<SdkPrincipal | null> {
  return cached(`id:${keyId}`, () => findSdkKeyById(keyId), now);
}
