import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { flagConfigSchema, flagDefinitionSchema, segmentSchema } from "../schemas/flag-config";
import { bucketFor } from "./bucketing";
import { compileSnapshot } from "./compile";
import { evaluate, evaluateAll, evaluateFlag } from "./evaluate";
import { explainResult } from "./explain";
import { toOfrepReason } from "./ofrep";
import type { Flag, Segment } from "./types";
import { catalog, looseContext, looseFlag, looseSegment, nasty, validFlagArb, validSegments, depFlags } from "./test-arbitraries";
import { validateFlagConfig, validateSegment } from "./validate";

// ---------------------------------------------------------------------------------------------
// Rollout properties

function twoWay(weightA: number, seed?: string): Flag {
  return {
    key: "rollout-flag",
    kind: "release",
    valueType: "boolean",
    variations: [
      { key: "a", value: true },
      { key: "b", value: false },
    ],
    config: {
      on: true,
      offVariation: "b",
      targets: [],
      rules: [],
      prerequisites: [],
      fallthrough: { rollout: { seed, weights: [{ variation: "a", weight: weightA }, { variation: "b", weight: 100_000 - weightA }] } },
    },
  };
}

describe("rollout properties", () => {
  it("is deterministic: the same context always gets the same result", () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 0, max: 100_000 }), fc.option(fc.string(), { nil: undefined }), (key, w, seed) => {
        const flag = twoWay(w, seed);
        const a = evaluate(flag, { targetingKey: key });
        const b = evaluate(structuredClone(flag), { targetingKey: key });
        expect(b).toEqual(a);
        const snap = compileSnapshot({ flags: [flag], segments: [] });
        expect(evaluateFlag(snap, flag.key, { targetingKey: key })).toEqual(a);
      }),
    );
  });

  it("raising one variation's share of a two-way rollout never removes anyone from it", () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: "grapheme" }), { minLength: 1, maxLength: 50 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.option(fc.string(), { nil: undefined }),
        (keys, x, y, seed) => {
          const [lo, hi] = x <= y ? [x, y] : [y, x];
          const before = compileSnapshot({ flags: [twoWay(lo, seed)], segments: [] });
          const after = compileSnapshot({ flags: [twoWay(hi, seed)], segments: [] });
          for (const key of keys) {
            const ctx = { targetingKey: key };
            const b = evaluateFlag(before, "rollout-flag", ctx).variationKey;
            const a = evaluateFlag(after, "rollout-flag", ctx).variationKey;
            // `a` grew from lo to hi: everyone in `a` stays; `b` shrank: everyone now in `b` was there.
            if (b === "a") expect(a).toBe("a");
            if (a === "b") expect(b).toBe("b");
          }
        },
      ),
    );
  });

  it("serves each variation within ±0.5 percentage points of its weight over 100,000 random keys", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 99_999 }), { minLength: 1, maxLength: 3 }).map((cuts) => {
          const sorted = [...new Set(cuts)].sort((p, q) => p - q);
          const bounds = [0, ...sorted, 100_000];
          return bounds.slice(1).map((b, i) => b - bounds[i]);
        }),
        fc.string(),
        fc.integer(),
        (weights, seed, keySeed) => {
          const variations = weights.map((_, i) => ({ key: `v${i}`, value: i }));
          const flag: Flag = {
            key: "dist",
            kind: "experiment",
            valueType: "number",
            variations,
            config: {
              on: true,
              offVariation: "v0",
              targets: [],
              rules: [],
              prerequisites: [],
              fallthrough: { rollout: { seed, weights: weights.map((w, i) => ({ variation: `v${i}`, weight: w })) } },
            },
          };
          const snap = compileSnapshot({ flags: [flag], segments: [] });
          const counts = new Array<number>(weights.length).fill(0);
          let s = keySeed | 0;
          const N = 100_000;
          const ctx = { targetingKey: "" };
          for (let i = 0; i < N; i++) {
            s = (Math.imul(s, 1664525) + 1013904223) | 0;
            ctx.targetingKey = `${(s >>> 0).toString(36)}-${i}`;
            counts[evaluateFlag(snap, "dist", ctx).value as number]++;
          }
          weights.forEach((w, i) => {
            expect(Math.abs((counts[i] / N) * 100 - w / 1000)).toBeLessThanOrEqual(0.5);
          });
        },
      ),
      { numRuns: 6 },
    );
  });

  it("bucketFor stays in [0, 100000)", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string({ unit: "binary" }), (seed, key, value) => {
        const b = bucketFor(seed, key, value);
        expect(Number.isInteger(b) && b >= 0 && b < 100_000).toBe(true);
      }),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Never throws: arbitrary, often malformed, configurations and arbitrary contexts

describe("evaluation never throws", () => {
  it("for arbitrary configurations, segments and contexts", () => {
    fc.assert(
      fc.property(
        fc.tuple(looseFlag("f0"), looseFlag("f1"), looseFlag("f2")),
        fc.array(looseSegment, { maxLength: 3 }),
        looseContext,
        fc.option(fc.integer(), { nil: undefined }),
        (flags, segments, context, now) => {
          const env = { flags: flags as unknown as Flag[], segments: segments as unknown as Segment[], now, optOutAttribute: "experimentsOptOut" };
          for (const f of flags) {
            const r = evaluate(f as unknown as Flag, context as never, env);
            expect(["OFF", "TARGET_MATCH", "RULE_MATCH", "FALLTHROUGH", "PREREQUISITE_FAILED", "ERROR"]).toContain(r.reason);
            expect(typeof explainResult(r, f as unknown as Flag, context as never)).toBe("string");
            expect(typeof toOfrepReason(r)).toBe("string");
          }
          const snap = compileSnapshot({ flags: flags as unknown as Flag[], segments: segments as unknown as Segment[] });
          expect(evaluateAll(snap, context as never).size).toBe(3);
        },
      ),
      { numRuns: 400 },
    );
  });

  it("for anything at all", () => {
    fc.assert(
      fc.property(nasty, nasty, nasty, (flag, context, env) => {
        expect(() => evaluate(flag as never, context as never, env as never)).not.toThrow();
        expect(() => compileSnapshot(flag as never)).not.toThrow();
        expect(() => validateFlagConfig(flag as never, context as never, env as never, [], flag as never)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Valid configurations: a generator that only produces configurations that should be accepted

describe("validation accepts every valid configuration", () => {
  it("the schema parses it and validateFlagConfig reports no errors; evaluation never errors", () => {
    fc.assert(
      fc.property(validFlagArb, fc.dictionary(fc.constantFrom("plan", "age", "appVersion", "email", "ip", "tags"), fc.jsonValue()), (gen, attrs) => {
        const { def, config } = gen;
        expect(flagDefinitionSchema.safeParse(def).success).toBe(true);
        const parsed = flagConfigSchema.safeParse(config);
        expect(parsed.error).toBeUndefined();
        const errors = validateFlagConfig(config, catalog, validSegments, depFlags, def).filter((i) => i.severity !== "warning");
        expect(errors).toEqual([]);
        const flag: Flag = { ...def, config };
        const r = evaluate(flag, { targetingKey: "someone", ...attrs }, { segments: validSegments, flags: depFlags });
        expect(r.reason).not.toBe("ERROR");
      }),
      { numRuns: 300 },
    );
  });

  it("the example segments are valid", () => {
    for (const s of validSegments) {
      expect(segmentSchema.safeParse(s).success).toBe(true);
      expect(validateSegment(s, catalog, validSegments)).toEqual([]);
    }
  });
});
