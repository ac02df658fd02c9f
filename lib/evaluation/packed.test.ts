import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { toSwitchyardFlag } from "../../bench/evaluation/switchyard";
import { agreementContexts, buildW1, buildW2 } from "../../bench/evaluation/workloads";
import { flagSchema } from "../schemas/flag-config";
import { compileSnapshot, type CompiledSnapshot } from "./compile";
import { evaluateFlag } from "./evaluate";
import { compilePackedSnapshot, packSnapshot, unpackSnapshot, type PackedSnapshot } from "./packed";
import { attrNames, depFlags, looseContext, looseFlag, looseSegment, looseValue, nasty, OPS, validFlagArb, validSegments, varKeys } from "./test-arbitraries";
import type { EvaluationContext, Flag, Segment } from "./types";

const shapedClause = fc.record(
  {
    attribute: attrNames,
    op: fc.oneof(fc.constantFrom(...OPS), fc.string()),
    values: fc.array(looseValue, { maxLength: 5 }),
    negate: fc.boolean(),
    caseInsensitive: fc.boolean(),
    negateMatchesMissing: fc.boolean(),
  },
  { requiredKeys: ["attribute", "op", "values"] },
);
const shapedServe = fc.oneof(
  fc.record({ variation: varKeys }),
  fc.record({
    rollout: fc.record(
      {
        weights: fc.array(fc.record({ variation: varKeys, weight: fc.oneof(fc.integer({ min: -10, max: 100_000 }), fc.constant(50_000)) }), { maxLength: 3 }),
        bucketBy: attrNames,
        seed: fc.string(),
      },
      { requiredKeys: ["weights"] },
    ),
  }),
);
/** Flags of the right shape (so they are packed) whose contents are anything the types allow. */
const shapedFlag = (key: string) =>
  fc.record({
    key: fc.constant(key),
    kind: fc.constantFrom("release", "experiment"),
    valueType: fc.constantFrom("boolean", "string"),
    variations: fc.array(fc.record({ key: varKeys, value: fc.jsonValue() }), { maxLength: 3 }),
    config: fc.record({
      on: fc.boolean(),
      offVariation: varKeys,
      targets: fc.array(fc.record({ variation: varKeys, values: fc.array(fc.oneof(fc.string(), fc.integer())) }), { maxLength: 2 }),
      rules: fc.array(
        fc.record(
          {
            id: fc.string(),
            match: fc.constantFrom("all", "any"),
            clauses: fc.array(fc.oneof(shapedClause, fc.record({ attribute: fc.constant(""), op: fc.constantFrom("inSegment", "notInSegment"), values: fc.array(fc.constantFrom("s0", "nope")) })), { maxLength: 3 }),
            serve: shapedServe,
            coverage: fc.record({ percentage: fc.integer({ min: -5, max: 100_005 }) }),
          },
          { requiredKeys: ["id", "clauses", "serve"] },
        ),
        { maxLength: 3 },
      ),
      fallthrough: shapedServe,
      prerequisites: fc.array(fc.record({ flagKey: fc.constantFrom("f0", "f1", "f2", "nope"), variation: varKeys }), { maxLength: 2 }),
    }),
  });

/** Both formats as an SDK receives them: through JSON. */
function viaJson<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

function bothFormats(input: { flags: unknown[]; segments: unknown[]; optOutAttribute?: string }): { f1: CompiledSnapshot; f2: CompiledSnapshot; packed: PackedSnapshot } {
  const f1 = compileSnapshot(viaJson(input) as { flags: Flag[]; segments: Segment[]; optOutAttribute?: string });
  const packed = viaJson(packSnapshot(input));
  return { f1, f2: compilePackedSnapshot(packed), packed };
}

/**
 * Unleash `random` stickiness calls Math.random at evaluation; both formats must see the same
 * sequence, so each evaluation starts from the same seed (a real PRNG, restored afterwards).
 */
const realRandom = Math.random;
let rngState = 1;
function reseed(): void {
  rngState = 1;
}
beforeEach(() => {
  Math.random = () => {
    rngState = (Math.imul(rngState, 48271) >>> 0) % 2147483647;
    return rngState / 2147483647;
  };
});
afterEach(() => {
  Math.random = realRandom;
});

function expectSameResults(f1: CompiledSnapshot, f2: CompiledSnapshot, keys: string[], ctx: EvaluationContext, now?: number): void {
  expect([...f2.flagKeys]).toEqual([...f1.flagKeys]);
  for (const key of keys) {
    reseed();
    const a = evaluateFlag(f1, key, ctx, { now });
    reseed();
    const b = evaluateFlag(f2, key, ctx, { now });
    expect(b).toEqual(a);
  }
}

describe("snapshot format 2 evaluates exactly like format 1", { timeout: 120_000 }, () => {
  it("for arbitrary (often malformed) flags, segments and contexts", () => {
    let packedFlags = 0;
    let rawFlags = 0;
    fc.assert(
      fc.property(
        fc.tuple(looseFlag("f0"), looseFlag("f1"), looseFlag("f2")),
        fc.array(looseSegment, { maxLength: 3 }),
        fc.array(looseContext, { minLength: 1, maxLength: 4 }),
        fc.option(fc.integer(), { nil: undefined }),
        (flags, segments, contexts, now) => {
          const { f1, f2, packed } = bothFormats({ flags, segments, optOutAttribute: "experimentsOptOut" });
          rawFlags += packed.fr.length;
          packedFlags += flags.length - packed.fr.length;
          for (const ctx of contexts) expectSameResults(f1, f2, ["f0", "f1", "f2", "nope"], ctx as EvaluationContext, now);
        },
      ),
      { numRuns: 400 },
    );
    // Loose flags are mostly malformed, so this exercises the raw path (the next test the packed one).
    expect(rawFlags).toBeGreaterThan(100);
    expect(rawFlags + packedFlags).toBe(1200);
  });

  it("for well-shaped flags with arbitrary contents (operators, operand types, unknown variations, bad weights)", () => {
    let packedFlags = 0;
    fc.assert(
      fc.property(fc.tuple(shapedFlag("f0"), shapedFlag("f1"), shapedFlag("f2")), fc.array(looseContext, { minLength: 1, maxLength: 4 }), (flags, contexts) => {
        const segments = [{ key: "s0", included: ["a", "b"], excluded: ["c"], rules: [{ id: "r", clauses: [{ attribute: "plan", op: "in", values: ["pro"] }] }] }];
        const { f1, f2, packed } = bothFormats({ flags, segments, optOutAttribute: "experimentsOptOut" });
        packedFlags += flags.length - packed.fr.length;
        for (const ctx of contexts) expectSameResults(f1, f2, ["f0", "f1", "f2"], ctx as EvaluationContext, 1_700_000_000_000);
      }),
      { numRuns: 300 },
    );
    expect(packedFlags).toBe(900);
  });

  it("for valid flags, which are packed (not sent raw) and unpack to schema-valid format 1", () => {
    fc.assert(
      fc.property(
        validFlagArb,
        fc.array(fc.dictionary(fc.constantFrom("plan", "age", "appVersion", "email", "ip", "tags", "targetingKey", "orgId"), fc.jsonValue()), { minLength: 1, maxLength: 4 }),
        (gen, contexts) => {
          const flag: Flag = { ...gen.def, config: gen.config };
          const input = { flags: [flag, ...depFlags], segments: validSegments };
          const { f1, f2, packed } = bothFormats(input);
          expect(packed.fr).toEqual([]);
          expect(packed.g.every((s) => !("raw" in s))).toBe(true);
          for (const ctx of contexts) expectSameResults(f1, f2, [flag.key, ...depFlags.map((f) => f.key)], { targetingKey: "someone", ...ctx } as EvaluationContext);
          const unpacked = unpackSnapshot(packed);
          for (const f of unpacked.flags) expect(flagSchema.safeParse(f).error).toBeUndefined();
          // What unpacks compiles to the same results again.
          expectSameResults(f1, compileSnapshot(unpacked), [flag.key], { targetingKey: "someone" });
        },
      ),
      { numRuns: 300 },
    );
  });

  it("for the benchmark workloads (W1, W2) on their agreement contexts", () => {
    for (const workload of [buildW1(), buildW2(50)]) {
      const flags = workload.flags.map(toSwitchyardFlag);
      const segments = workload.segments.map((s) => ({ key: s.key, included: s.included, excluded: [], rules: [] }));
      const { f1, f2, packed } = bothFormats({ flags, segments });
      expect(packed.fr).toEqual([]);
      const contexts = agreementContexts(workload, 200).map(({ key, ...rest }) => ({ targetingKey: key, ...rest }));
      let served = 0;
      for (const ctx of contexts) {
        for (const f of flags) {
          const a = evaluateFlag(f1, f.key, ctx);
          expect(evaluateFlag(f2, f.key, ctx)).toEqual(a);
          if (a.reason !== "ERROR") served++;
        }
      }
      expect(served).toBe(contexts.length * flags.length);
    }
  });

  it("never throws on a damaged or arbitrary payload", () => {
    const good = viaJson(packSnapshot({ flags: buildW2(3).flags.map(toSwitchyardFlag), segments: [] }));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(good.F.length - 1), fc.integer({ min: -3, max: 5000 })), { maxLength: 6 }), nasty, (edits, junk) => {
        const damaged = structuredClone(good);
        for (const [at, value] of edits) damaged.F[at] = value;
        const snap = compilePackedSnapshot(damaged);
        for (const key of snap.flagKeys) expect(() => evaluateFlag(snap, key, { targetingKey: "u" })).not.toThrow();
        expect(() => compilePackedSnapshot(junk as PackedSnapshot)).not.toThrow();
        expect(() => unpackSnapshot(damaged)).not.toThrow();
      }),
      { numRuns: 200 },
    );
  });
});

describe("format 2 stores shared things once", () => {
  const flagWith = (key: string, regions: string[]): Flag => ({
    key,
    kind: "release",
    valueType: "boolean",
    variations: [
      { key: "on", value: true },
      { key: "off", value: false },
    ],
    config: {
      on: true,
      offVariation: "off",
      targets: [],
      rules: [
        { id: "r", clauses: [{ attribute: "region", op: "in", values: regions }], serve: { variation: "on" } },
        { id: "s", clauses: [{ attribute: "", op: "inSegment", values: ["big"] }], serve: { variation: "on" } },
      ],
      fallthrough: { variation: "off" },
      prerequisites: [],
    },
  });
  const big: Segment = { key: "big", included: Array.from({ length: 1000 }, (_, i) => `user-${i}`), excluded: [], rules: [] };

  it("an operand list used by many flags (in any order) is one list and one clause", () => {
    const flags = Array.from({ length: 50 }, (_, i) => flagWith(`f${i}`, i % 2 ? ["eu-west", "us-east", "ap-south"] : ["ap-south", "eu-west", "us-east", "eu-west"]));
    const packed = packSnapshot({ flags, segments: [big] });
    // Clauses: the region in-list and the segment reference, each once for all 50 flags.
    expect(packed.c.length / 4).toBe(2);
    // Lists: the region list (3 keys), the segment reference (1), the segment's included keys (1000), its empty excluded list.
    expect(packed.o.length).toBe(1 + 3 + 1 + 1 + 1 + 1000 + 1);
    expect(packed.v).toHaveLength(1);
    const snap = compilePackedSnapshot(viaJson(packed));
    expect(evaluateFlag(snap, "f7", { targetingKey: "x", region: "us-east" }).variationKey).toBe("on");
    expect(evaluateFlag(snap, "f8", { targetingKey: "x", region: "US-EAST" }).variationKey).toBe("off");
  });

  it("a segment is stored once and referenced, never copied into flags", () => {
    const flags = Array.from({ length: 200 }, (_, i) => flagWith(`f${i}`, [`region-${i}`]));
    const packed = packSnapshot({ flags, segments: [big] });
    expect(packed.g).toHaveLength(1);
    const text = JSON.stringify(packed);
    expect(text.match(/user-999"/g)).toHaveLength(1);
    // The format 1 payload pastes nothing either, but format 2 is smaller still.
    expect(text.length).toBeLessThan(JSON.stringify({ flags, segments: [big] }).length / 2);
    const snap = compilePackedSnapshot(viaJson(packed));
    expect(snap.segments.size).toBe(1);
    expect(evaluateFlag(snap, "f3", { targetingKey: "user-999" })).toMatchObject({ variationKey: "on", ruleId: "s", ruleIndex: 1 });
    expect(evaluateFlag(snap, "f3", { targetingKey: "user-1000" })).toMatchObject({ variationKey: "off", reason: "FALLTHROUGH" });
  });

  it("a malformed flag travels raw and evaluates as in format 1", () => {
    const broken = { key: "broken", kind: "release", valueType: "boolean", variations: [{ key: "on", value: true }], config: { on: true, offVariation: 5, rules: "no" } };
    const packed = packSnapshot({ flags: [broken, flagWith("ok", ["a"])], segments: [] });
    expect(packed.fr).toHaveLength(1);
    const { f1, f2 } = bothFormats({ flags: [broken, flagWith("ok", ["a"])], segments: [] });
    expectSameResults(f1, f2, ["broken", "ok"], { targetingKey: "u", region: "a" });
    expect(evaluateFlag(f2, "broken", {}).errorCode).toBe("MALFORMED_FLAG");
  });

  it("a list with holes (an object handed to the packer, not parsed JSON) travels raw instead of crashing compile", () => {
    // The fuzzer's counterexample: `prerequisites: [,]` packed as `[null]`, which compile then read.
    const sparse = { key: "f2", kind: "release", valueType: "boolean", variations: [], config: { fallthrough: { variation: "{}" }, prerequisites: [,] } };
    const packed = packSnapshot({ flags: [sparse], segments: [] });
    expect(packed.fr).toHaveLength(1);
    const { f1, f2 } = bothFormats({ flags: [sparse], segments: [] });
    expectSameResults(f1, f2, ["f2"], { targetingKey: "u" });
  });
});
