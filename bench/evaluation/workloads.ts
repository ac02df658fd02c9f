/**
 * Engine-neutral description of the evaluation benchmark's workloads (issue 3, "Performance"),
 * a deterministic context generator, and a reference interpreter used to check that every
 * engine's translation means the same thing.
 *
 * Each adapter (switchyard.ts, unleash.ts, growthbook.ts, flagd.ts, launchdarkly.ts) translates
 * these shapes into its engine's own wire format; nothing here knows about any engine.
 *
 * W1 simple: 100 boolean flags, each `plan in [pro, enterprise] AND country in [US, CA]` → on,
 *   else a 25 % rollout by key.
 * W2 heavy:  100 string flags, each 5 rules × 3 clauses (drawn from: `region` in a list of 20
 *   strings, `sessions` > n, `appVersion` semver ≥ v, `path` starts with p), then a rule on one
 *   shared 1,000-key segment, then a 33/33/34 three-way split by key.
 *
 * In W2 every rule serves its own variation (`rule-0` … `rule-4`, `segment`) and the split serves
 * `a`/`b`/`c`, so which rule matched is visible in the served value of every engine, whatever its
 * API reports as a reason. That lets the semantic check compare rule decisions exactly.
 */

/** Units of 0.001 %: weights of a split sum to 100_000 (the Switchyard and LaunchDarkly unit). */
export const WEIGHT_TOTAL = 100_000;

export type NeutralClause =
  | { kind: "in"; attribute: string; values: string[] }
  | { kind: "gt"; attribute: string; value: number }
  | { kind: "semverGte"; attribute: string; value: string }
  | { kind: "startsWith"; attribute: string; value: string }
  | { kind: "inSegment"; segment: string };

export interface NeutralRule {
  /** Stable id, `r0` … `r4`, `seg`. */
  id: string;
  /** ANDed, evaluated in this order (every engine short-circuits in the same order). */
  clauses: NeutralClause[];
  /** Variation key served when the rule matches. */
  serve: string;
}

export interface NeutralVariation {
  key: string;
  value: boolean | string;
}

export interface NeutralSplit {
  variation: string;
  /** 0.001 % units. */
  weight: number;
}

export interface NeutralFlag {
  key: string;
  valueType: "boolean" | "string";
  variations: NeutralVariation[];
  /** First match wins. */
  rules: NeutralRule[];
  /** Served when no rule matches: a split bucketed by the context key, seeded by the flag key. */
  fallthrough: NeutralSplit[];
  /** Served when the flag is off (never in these workloads, but every engine wants one). */
  offVariation: string;
}

export interface NeutralSegment {
  key: string;
  /** Context keys in the segment. */
  included: string[];
}

export interface Workload {
  name: "W1" | "W2";
  flags: NeutralFlag[];
  segments: NeutralSegment[];
}

/** Every context carries every attribute, so "missing attribute" semantics never come into play. */
export interface BenchContext {
  key: string;
  plan: string;
  country: string;
  region: string;
  sessions: number;
  appVersion: string;
  path: string;
}

// ---------------------------------------------------------------------------------------------
// Deterministic randomness

/** mulberry32: small, fast, good enough for generating test data; same sequence everywhere. */
export function createRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randInt(rng: () => number, n: number): number {
  return Math.floor(rng() * n);
}

function pick<T>(rng: () => number, items: readonly T[]): T {
  return items[randInt(rng, items.length)];
}

/** `count` distinct items of `items`, in random order (partial Fisher–Yates on a copy). */
function sample<T>(rng: () => number, items: readonly T[], count: number): T[] {
  const copy = items.slice();
  for (let i = 0; i < count; i++) {
    const j = i + randInt(rng, copy.length - i);
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy.slice(0, count);
}

// ---------------------------------------------------------------------------------------------
// Attribute vocabularies

export const PLANS = ["free", "starter", "pro", "enterprise"] as const;
export const COUNTRIES = ["US", "CA", "GB", "DE", "FR", "JP", "BR", "IN"] as const;
/** 200 region codes; an in-list of 20 of them matches ~10 % of contexts. */
export const REGIONS = Array.from({ length: 200 }, (_, i) => `region-${String(i).padStart(3, "0")}`);
/** A `startsWith` on `/<section>/` matches ~1/12 of contexts. */
export const SECTIONS = [
  "account", "billing", "checkout", "docs", "search", "settings",
  "admin", "reports", "catalog", "cart", "support", "onboarding",
] as const;
/** Context keys are `user-<n>`; the W2 segment holds 1,000 of the first KEY_SPACE keys (10 %). */
export const KEY_SPACE = 10_000;

export function contextKey(index: number): string {
  return `user-${index}`;
}

// ---------------------------------------------------------------------------------------------
// Workloads

export const W1_FLAG_COUNT = 100;
export const W2_FLAG_COUNT = 100;
export const W2_RULES_PER_FLAG = 5;
export const W2_SEGMENT_SIZE = 1_000;
export const SEGMENT_KEY = "beta-testers";

export function buildW1(flagCount = W1_FLAG_COUNT): Workload {
  const flags: NeutralFlag[] = [];
  for (let i = 0; i < flagCount; i++) {
    flags.push({
      key: `w1-flag-${String(i).padStart(3, "0")}`,
      valueType: "boolean",
      variations: [
        { key: "on", value: true },
        { key: "off", value: false },
      ],
      rules: [
        {
          id: "r0",
          clauses: [
            { kind: "in", attribute: "plan", values: ["pro", "enterprise"] },
            { kind: "in", attribute: "country", values: ["US", "CA"] },
          ],
          serve: "on",
        },
      ],
      fallthrough: [
        { variation: "on", weight: 25_000 },
        { variation: "off", weight: 75_000 },
      ],
      offVariation: "off",
    });
  }
  return { name: "W1", flags, segments: [] };
}

export function buildW2Segment(seed = 2): NeutralSegment {
  const rng = createRng(seed);
  const indices = sample(rng, Array.from({ length: KEY_SPACE }, (_, i) => i), W2_SEGMENT_SIZE);
  return { key: SEGMENT_KEY, included: indices.map(contextKey) };
}

type ClauseKind = "in" | "gt" | "semverGte" | "startsWith";
const CLAUSE_KINDS: readonly ClauseKind[] = ["in", "gt", "semverGte", "startsWith"];

function buildClause(rng: () => number, kind: ClauseKind): NeutralClause {
  switch (kind) {
    case "in":
      return { kind, attribute: "region", values: sample(rng, REGIONS, 20) };
    case "gt":
      // sessions is uniform in [0, 1000): a threshold in [300, 700) passes 30–70 %.
      return { kind, attribute: "sessions", value: 300 + randInt(rng, 400) };
    case "semverGte":
      // appVersion major is 1–5: a threshold with major 2–4 passes roughly 20–80 %.
      return { kind, attribute: "appVersion", value: `${2 + randInt(rng, 3)}.${randInt(rng, 20)}.${randInt(rng, 10)}` };
    case "startsWith":
      return { kind, attribute: "path", value: `/${pick(rng, SECTIONS)}/` };
  }
}

/**
 * W2 flags. Rule r uses the clause kinds other than kind (r mod 4), in the fixed order
 * in → gt → semverGte → startsWith, with operands drawn per flag. The segment rule comes after
 * the five rules; the fallthrough is a 33/33/34 split.
 */
export function buildW2(flagCount = W2_FLAG_COUNT, seed = 1): Workload {
  const rng = createRng(seed);
  const segment = buildW2Segment();
  const flags: NeutralFlag[] = [];
  for (let i = 0; i < flagCount; i++) {
    const rules: NeutralRule[] = [];
    for (let r = 0; r < W2_RULES_PER_FLAG; r++) {
      const kinds = CLAUSE_KINDS.filter((_, k) => k !== r % CLAUSE_KINDS.length);
      rules.push({ id: `r${r}`, clauses: kinds.map((kind) => buildClause(rng, kind)), serve: `rule-${r}` });
    }
    rules.push({ id: "seg", clauses: [{ kind: "inSegment", segment: segment.key }], serve: "segment" });
    const variationKeys = ["a", "b", "c", "rule-0", "rule-1", "rule-2", "rule-3", "rule-4", "segment"];
    flags.push({
      key: `w2-flag-${String(i).padStart(5, "0")}`,
      valueType: "string",
      variations: variationKeys.map((key) => ({ key, value: key })),
      rules,
      fallthrough: [
        { variation: "a", weight: 33_000 },
        { variation: "b", weight: 33_000 },
        { variation: "c", weight: 34_000 },
      ],
      offVariation: "a",
    });
  }
  return { name: "W2", flags, segments: [segment] };
}

export function buildWorkload(name: "W1" | "W2", flagCount?: number): Workload {
  return name === "W1" ? buildW1(flagCount) : buildW2(flagCount);
}

// ---------------------------------------------------------------------------------------------
// Contexts

/**
 * `count` contexts with keys `user-<first>` … `user-<first+count-1>`; attributes are drawn from a
 * PRNG seeded with `seed`, so a given (seed, first, count) always yields the same contexts.
 */
export function generateContexts(count: number, seed = 42, first = 0): BenchContext[] {
  const rng = createRng(seed ^ Math.imul(first + 1, 0x9e3779b1));
  const out: BenchContext[] = new Array(count);
  for (let i = 0; i < count; i++) {
    out[i] = {
      key: contextKey(first + i),
      plan: pick(rng, PLANS),
      country: pick(rng, COUNTRIES),
      region: pick(rng, REGIONS),
      sessions: randInt(rng, 1000),
      appVersion: `${1 + randInt(rng, 5)}.${randInt(rng, 20)}.${randInt(rng, 10)}`,
      path: `/${pick(rng, SECTIONS)}/${randInt(rng, 500)}`,
    };
  }
  return out;
}

/**
 * Contexts for the semantic check: keys outside the pool used for timing (`user-50000…`), with
 * every tenth context given a segment member's key so the segment rule is exercised too.
 */
export function agreementContexts(workload: Workload, count = 300): BenchContext[] {
  const members = workload.segments[0]?.included ?? [];
  return generateContexts(count, 7, 50_000).map((c, i) =>
    i % 10 === 0 && members.length ? { ...c, key: members[(i / 10) % members.length] } : c,
  );
}

// ---------------------------------------------------------------------------------------------
// Reference semantics

/** Plain `major.minor.patch` comparison: the generator only produces such versions. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < 3; i++) {
    if (pa[i] !== pb[i]) return pa[i] < pb[i] ? -1 : 1;
  }
  return 0;
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

function attributeOf(ctx: BenchContext, attribute: string): unknown {
  return (ctx as unknown as Record<string, unknown>)[attribute];
}

function clauseMatches(clause: NeutralClause, ctx: BenchContext, segments: Map<string, Set<string>>): boolean {
  switch (clause.kind) {
    case "in":
      return clause.values.includes(attributeOf(ctx, clause.attribute) as string);
    case "gt":
      return (attributeOf(ctx, clause.attribute) as number) > clause.value;
    case "semverGte":
      return compareVersions(attributeOf(ctx, clause.attribute) as string, clause.value) >= 0;
    case "startsWith":
      return (attributeOf(ctx, clause.attribute) as string).startsWith(clause.value);
    case "inSegment":
      return segments.get(clause.segment)?.has(ctx.key) ?? false;
  }
}

export function segmentIndex(workload: Workload): Map<string, Set<string>> {
  return new Map(workload.segments.map((s) => [s.key, new Set(s.included)]));
}

/** Index of the first matching rule, or -1 when the context falls through to the split. */
export function referenceRuleIndex(flag: NeutralFlag, ctx: BenchContext, segments: Map<string, Set<string>>): number {
  for (let r = 0; r < flag.rules.length; r++) {
    if (flag.rules[r].clauses.every((c) => clauseMatches(c, ctx, segments))) return r;
  }
  return -1;
}

/** The variation key whose value is `value` (values are unique within a flag in both workloads). */
export function variationKeyOf(flag: NeutralFlag, value: unknown): string | undefined {
  return flag.variations.find((v) => v.value === value)?.key;
}

// ---------------------------------------------------------------------------------------------
// Semantic agreement

/** One evaluation, as every adapter reports it: the served value. */
export type ServedValue = boolean | string | undefined;

export interface AgreementReport {
  engine: string;
  evaluations: number;
  /** Evaluations where the reference says rule r matched and the engine did not serve rule r's variation. */
  ruleMismatches: number;
  /** Evaluations that fell through in the reference but got a rule's (not a split's) variation. */
  fallthroughMismatches: number;
  /** Share of fallthrough evaluations per split variation, in percent. */
  splitShares: Record<string, number>;
  /** Share of all evaluations per variation, in percent. */
  variationShares: Record<string, number>;
  /** Largest |observed − configured| split share, in percentage points. */
  maxSplitDeviation: number;
  firstMismatch?: string;
}

/**
 * Compares one engine's served values with the reference: rule decisions exactly (a matched rule
 * must serve its variation, a fall-through must serve one of the split's variations), and the
 * split's proportions against the configured weights.
 */
export function checkAgreement(
  engine: string,
  workload: Workload,
  contexts: BenchContext[],
  served: (flagIndex: number, contextIndex: number) => ServedValue,
): AgreementReport {
  const segments = segmentIndex(workload);
  const splitCounts: Record<string, number> = {};
  const variationCounts: Record<string, number> = {};
  let fallthroughs = 0;
  let ruleMismatches = 0;
  let fallthroughMismatches = 0;
  let firstMismatch: string | undefined;
  let evaluations = 0;
  const splitWeights: Record<string, number> = {};
  for (const s of workload.flags[0].fallthrough) splitWeights[s.variation] = (100 * s.weight) / WEIGHT_TOTAL;

  workload.flags.forEach((flag, f) => {
    const splitVariations = new Set(flag.fallthrough.map((s) => s.variation));
    contexts.forEach((ctx, c) => {
      evaluations++;
      const value = served(f, c);
      const key = variationKeyOf(flag, value) ?? `<${String(value)}>`;
      variationCounts[key] = (variationCounts[key] ?? 0) + 1;
      const rule = referenceRuleIndex(flag, ctx, segments);
      if (rule >= 0) {
        if (key !== flag.rules[rule].serve) {
          ruleMismatches++;
          firstMismatch ??= `${flag.key} × ${ctx.key}: rule ${flag.rules[rule].id} matched, engine served ${key}`;
        }
      } else {
        fallthroughs++;
        if (!splitVariations.has(key)) {
          fallthroughMismatches++;
          firstMismatch ??= `${flag.key} × ${ctx.key}: no rule matched, engine served ${key}`;
        }
        splitCounts[key] = (splitCounts[key] ?? 0) + 1;
      }
    });
  });

  const splitShares: Record<string, number> = {};
  let maxSplitDeviation = 0;
  for (const [variation, weight] of Object.entries(splitWeights)) {
    const share = fallthroughs ? (100 * (splitCounts[variation] ?? 0)) / fallthroughs : 0;
    splitShares[variation] = share;
    maxSplitDeviation = Math.max(maxSplitDeviation, Math.abs(share - weight));
  }
  const variationShares: Record<string, number> = {};
  for (const [k, n] of Object.entries(variationCounts)) variationShares[k] = (100 * n) / evaluations;
  return {
    engine,
    evaluations,
    ruleMismatches,
    fallthroughMismatches,
    splitShares,
    variationShares,
    maxSplitDeviation,
    firstMismatch,
  };
}
