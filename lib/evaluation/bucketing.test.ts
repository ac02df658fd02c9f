import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { bucketFor, bucketPrefix, bucketWithPrefix, unleashNormalizedValue } from "./bucketing";
import { lowBytePrefix, murmurContinue, murmurLowByte, murmurUtf8, utf8Prefix } from "./murmur";

const require = createRequire(import.meta.url);
// The package Unleash's Node SDK hashes with: our low-byte mode must equal it exactly.
const murmurhash3js = require("murmurhash3js") as { x86: { hash32(key: string, seed?: number): number } };

/** Reference: murmurhash3js over a "binary string" holding the UTF-8 bytes. */
function referenceUtf8(s: string, seed = 0): number {
  const bytes = new TextEncoder().encode(s);
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return murmurhash3js.x86.hash32(bin, seed);
}

const SAMPLES = [
  "",
  "a",
  "ab",
  "abc",
  "abcd",
  "hello",
  "The quick brown fox jumps over the lazy dog",
  "user-12345",
  "Feature.UTF-8.Hellø_Wørld",
  "😊_φriend_你好_🌍",
  "lone \ud800 surrogate",
  "end surrogate \udfff",
  "x".repeat(1000),
];

describe("MurmurHash3 x86/32", () => {
  it("matches the published test vectors", () => {
    expect(murmurUtf8("")).toBe(0);
    expect(murmurUtf8("", 1)).toBe(0x514e28b7);
    expect(murmurUtf8("hello")).toBe(0x248bfa47);
    expect(murmurUtf8("The quick brown fox jumps over the lazy dog")).toBe(0x2e4ff723);
  });

  it.each(SAMPLES)("UTF-8 mode equals hashing TextEncoder bytes: %j", (s) => {
    for (const seed of [0, 1, 86028157]) expect(murmurUtf8(s, seed)).toBe(referenceUtf8(s, seed));
  });

  it.each(SAMPLES)("low-byte mode equals murmurhash3js (Unleash): %j", (s) => {
    for (const seed of [0, 86028157]) expect(murmurLowByte(s, seed)).toBe(murmurhash3js.x86.hash32(s, seed));
  });

  it("continuing from a precomputed prefix equals hashing the whole string", () => {
    for (const prefix of ["", "a", "ab", "abc", "seed:flag:", "ø:", "😊:"]) {
      for (const s of SAMPLES) {
        expect(murmurContinue(utf8Prefix(prefix), s)).toBe(murmurUtf8(prefix + s));
        expect(murmurContinue(lowBytePrefix(prefix, 7), s)).toBe(murmurLowByte(prefix + s, 7));
      }
    }
  });
});

describe("bucketFor", () => {
  it("hashes seed:flagKey:value into [0, 100000)", () => {
    const b = bucketFor("seed", "flag", "user-1");
    expect(b).toBe(Math.floor((murmurUtf8("seed:flag:user-1") * 100000) / 2 ** 32));
    expect(Number.isInteger(b)).toBe(true);
    expect(b).toBeGreaterThanOrEqual(0);
    expect(b).toBeLessThan(100000);
  });
  it("equals the prefix-based fast path", () => {
    const p = bucketPrefix("s", "new-checkout");
    for (const s of SAMPLES) expect(bucketWithPrefix(p, s)).toBe(bucketFor("s", "new-checkout", s));
  });
  it("hashes the prefix in parts exactly as the joined string, surrogates at the joins included", () => {
    for (const seed of SAMPLES) {
      for (const flagKey of ["new-checkout", "\udc00x", "x\ud800", "😊", ""]) {
        const p = bucketPrefix(seed, flagKey);
        for (const s of ["user-1", "\udc00", "ü"]) expect(bucketWithPrefix(p, s)).toBe(bucketFor(seed, flagKey, s));
      }
    }
  });
  it("is stable (changing these values would re-bucket every user)", () => {
    expect([
      bucketFor("new-checkout", "new-checkout", "user-1"),
      bucketFor("a", "b", "c"),
      bucketFor("flag", "flag", "alice"),
      bucketFor("flag", "flag", "bob"),
      bucketFor("s", "f", "ünïcødé-😊"),
    ]).toEqual([48846, 42275, 15486, 62222, 70850]);
  });
});

describe("Unleash normalised values", () => {
  it("match unleash-client's normalizedStrategyValue / normalizedVariantValue", () => {
    // Values from unleash-client's own tests and the client specification.
    const util = require("unleash-client/lib/strategy/util") as {
      normalizedStrategyValue(id: string, groupId: string): number;
      normalizedVariantValue(id: string, groupId: string, normalizer: number): number;
    };
    for (const id of ["123", "174", "499", "user-ø", "😊", ""]) {
      for (const g of ["", "AB12A", "Feature.flexibleRollout.10", "grøup"]) {
        expect(unleashNormalizedValue(id, g, 100, 0)).toBe(util.normalizedStrategyValue(id, g));
        expect(unleashNormalizedValue(id, g, 1000, 86028157)).toBe(util.normalizedVariantValue(id, g, 1000));
      }
    }
  });
});
