import { hash } from "node:crypto";

/**
 * The key of a context's unique-count bookkeeping row (ExposureRollupContext in
 * prisma/schema.prisma): the first 64 bits of SHA-1 over environment, flag, variation and context
 * key, as a signed bigint in decimal (PostgreSQL's bigint; JSON numbers would lose bits). The parts
 * are joined on NUL, which none of them can hold (see compute-rollups.ts), so distinct tuples give
 * distinct inputs. A cryptographic hash keeps collisions at chance level even for chosen keys.
 */
export function exposureContextHash(environmentId: string, flagKey: string, variationKey: string, contextKey: string): string {
  const hex = hash("sha1", `${environmentId}\u0000${flagKey}\u0000${variationKey}\u0000${contextKey}`);
  return BigInt.asIntN(64, BigInt(`0x${hex.slice(0, 16)}`)).toString();
}
