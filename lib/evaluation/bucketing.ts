import { murmurContinue, murmurLowByte, murmurUtf8, utf8PrefixOf, type HashPrefix } from "./murmur";

/**
 * Switchyard bucketing (docs/decisions/0002-bucketing.md):
 *
 *   h      = MurmurHash3_x86_32(UTF-8(`${seed}:${flagKey}:${bucketValue}`), hash seed 0)
 *   bucket = floor(h * 100000 / 2^32)            an integer in [0, 100000)
 *
 * One bucket is 0.001 %, the unit of rollout weights. A rollout lays its variations out as
 * consecutive ranges starting at 0 in the order of the flag's `variations` list (not the order of
 * the rollout's weight list, so reordering the weights in a form moves nobody); a context gets the
 * variation whose range holds its bucket. With two variations A (first) and B, A owns [0, wA) and
 * B owns [wA, 100000): raising either weight only widens that variation's range, so nobody already
 * in it leaves. The seed defaults to the flag key; changing it re-buckets everyone.
 */
export const BUCKET_SCALE = 100_000;

/** Bucket in [0, 100000) for `seed:flagKey:bucketValue`. */
export function bucketFor(seed: string, flagKey: string, bucketValue: string): number {
  return scale(murmurUtf8(`${seed}:${flagKey}:${bucketValue}`));
}

/** Precomputed prefix `seed:flagKey:` for a rollout; `bucketWithPrefix` then hashes only the value. */
export function bucketPrefix(seed: string, flagKey: string): HashPrefix {
  return utf8PrefixOf(seed, ":", flagKey, ":");
}

export function bucketWithPrefix(prefix: HashPrefix, bucketValue: string): number {
  return scale(murmurContinue(prefix, bucketValue));
}

function scale(hash: number): number {
  // hash * 100000 < 2^53, so this is exact.
  return Math.floor((hash * BUCKET_SCALE) / 4294967296);
}

/** Unleash's strategy seed and variant seed (unleash-client lib/strategy/util.js). */
export const UNLEASH_STRATEGY_SEED = 0;
export const UNLEASH_VARIANT_SEED = 86028157;

/**
 * Unleash's normalised value: (murmurhash3js.x86.hash32(`${groupId}:${id}`, seed) % normalizer) + 1,
 * i.e. a number in [1, normalizer].
 */
export function unleashNormalizedValue(id: string, groupId: string, normalizer: number, seed: number): number {
  return (murmurLowByte(`${groupId}:${id}`, seed) % normalizer) + 1;
}
