/** Workload generators for the engine smoke bench (W1 / W2 from issue 3). */
import type { EvaluationContext, Flag, Segment } from "../../lib/evaluation";

// Deterministic pseudo-random numbers so runs are comparable.
let seed = 42;
function rnd(): number {
  seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
}
const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];

const boolVariations = [
  { key: "on", value: true },
  { key: "off", value: false },
];

export function w1Flags(n = 100): Flag[] {
  return Array.from({ length: n }, (_, i) => ({
    key: `w1-flag-${i}`,
    kind: "release",
    valueType: "boolean",
    variations: boolVariations,
    config: {
      on: true,
      offVariation: "off",
      targets: [],
      prerequisites: [],
      rules: [
        {
          id: "pro-na",
          clauses: [
            { attribute: "plan", op: "in", values: ["pro", "enterprise"] },
            { attribute: "country", op: "in", values: ["US", "CA"] },
          ],
          serve: { variation: "on" },
        },
      ],
      fallthrough: { rollout: { weights: [{ variation: "on", weight: 25_000 }, { variation: "off", weight: 75_000 }] } },
    },
  }));
}

export function w1Contexts(n = 10_000): EvaluationContext[] {
  return Array.from({ length: n }, (_, i) => ({
    targetingKey: `user-${i}`,
    plan: pick(["free", "pro", "enterprise", "team"]),
    country: pick(["US", "CA", "DE", "FR", "GB", "JP"]),
  }));
}

const COUNTRIES = ["US", "CA", "MX", "BR", "AR", "GB", "IE", "FR", "DE", "NL", "BE", "ES", "PT", "IT", "CH", "AT", "SE", "NO", "DK", "FI", "PL", "CZ", "JP", "KR", "IN", "AU", "NZ", "ZA", "EG", "NG"];

export function w2Segment(): Segment {
  return { key: "beta-testers", included: Array.from({ length: 1000 }, (_, i) => `user-${i * 7}`), excluded: [], rules: [] };
}

export function w2Flags(n = 100): Flag[] {
  return Array.from({ length: n }, (_, i) => ({
    key: `w2-flag-${i}`,
    kind: "experiment",
    valueType: "string",
    variations: [
      { key: "control", value: "control" },
      { key: "treatment-a", value: "a" },
      { key: "treatment-b", value: "b" },
    ],
    config: {
      on: true,
      offVariation: "control",
      targets: [],
      prerequisites: [],
      rules: [
        ...Array.from({ length: 5 }, (_, r) => ({
          id: `rule-${r}`,
          clauses: [
            { attribute: "country", op: "in" as const, values: COUNTRIES.slice(r, r + 20) },
            r % 2 === 0
              ? { attribute: "age", op: "gt" as const, values: [30 + r * 5] }
              : { attribute: "email", op: "startsWith" as const, values: [`vip${r}`] },
            { attribute: "appVersion", op: "semverGte" as const, values: [`2.${r + 3}.0`] },
          ],
          serve: { variation: r % 2 === 0 ? "treatment-a" : "treatment-b" },
        })),
        { id: "beta", clauses: [{ attribute: "", op: "inSegment" as const, values: ["beta-testers"] }], serve: { variation: "treatment-a" } },
      ],
      fallthrough: {
        rollout: {
          weights: [
            { variation: "control", weight: 33_000 },
            { variation: "treatment-a", weight: 33_000 },
            { variation: "treatment-b", weight: 34_000 },
          ],
        },
      },
    },
  }));
}

export function w2Contexts(n = 10_000): EvaluationContext[] {
  return Array.from({ length: n }, (_, i) => ({
    targetingKey: `user-${i}`,
    country: pick(COUNTRIES.concat(["XX", "YY", "ZZ"])),
    age: Math.floor(rnd() * 70) + 13,
    email: `${pick(["vip1", "vip3", "user", "test", "someone"])}-${i}@example.com`,
    appVersion: `${pick([1, 2, 2, 2, 3])}.${Math.floor(rnd() * 9)}.${Math.floor(rnd() * 5)}`,
  }));
}


const REGIONS = Array.from({ length: 200 }, (_, i) => `region-${i.toString(36)}`);

/**
 * W2 with distinct operands per flag, like bench/evaluation/workloads.ts: each of the 5 rules uses
 * 3 of the 4 clause kinds (region in 20 of 200 regions, sessions > n, appVersion semver ≥ v,
 * path starts with /section/k), then a shared 1,000-key segment, then a 33/33/34 split.
 */
export function w2DistinctFlags(n = 100): Flag[] {
  return Array.from({ length: n }, (_, i) => {
    const rules = Array.from({ length: 5 }, (_, r) => {
      const kinds = [0, 1, 2, 3].filter((k) => k !== r % 4);
      const clauses = kinds.map((k) => {
        switch (k) {
          case 0: {
            const start = Math.floor(rnd() * 180);
            return { attribute: "region", op: "in" as const, values: REGIONS.slice(start, start + 20) };
          }
          case 1:
            return { attribute: "sessions", op: "gt" as const, values: [Math.floor(rnd() * 100)] };
          case 2:
            return { attribute: "appVersion", op: "semverGte" as const, values: [`${1 + Math.floor(rnd() * 3)}.${Math.floor(rnd() * 10)}.0`] };
          default:
            return { attribute: "path", op: "startsWith" as const, values: [`/section/${Math.floor(rnd() * 20)}`] };
        }
      });
      return { id: `rule-${r}`, clauses, serve: { variation: `v${r}` } };
    });
    return {
      key: `w2d-flag-${i}`,
      kind: "experiment" as const,
      valueType: "string" as const,
      variations: ["control", "a", "b", "v0", "v1", "v2", "v3", "v4", "seg"].map((k) => ({ key: k, value: k })),
      config: {
        on: true,
        offVariation: "control",
        targets: [],
        prerequisites: [],
        rules: [...rules, { id: "segment", clauses: [{ attribute: "", op: "inSegment" as const, values: ["beta-testers"] }], serve: { variation: "seg" } }],
        fallthrough: {
          rollout: {
            weights: [
              { variation: "control", weight: 33_000 },
              { variation: "a", weight: 33_000 },
              { variation: "b", weight: 34_000 },
            ],
          },
        },
      },
    };
  });
}

export function w2DistinctContexts(n = 10_000): EvaluationContext[] {
  return Array.from({ length: n }, (_, i) => ({
    targetingKey: `user-${i}`,
    region: REGIONS[Math.floor(rnd() * REGIONS.length)],
    sessions: Math.floor(rnd() * 120),
    appVersion: `${1 + Math.floor(rnd() * 3)}.${Math.floor(rnd() * 10)}.${Math.floor(rnd() * 5)}`,
    path: `/section/${Math.floor(rnd() * 25)}/page`,
  }));
}
