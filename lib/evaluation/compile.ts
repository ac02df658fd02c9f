import { BUCKET_SCALE, UNLEASH_STRATEGY_SEED, UNLEASH_VARIANT_SEED, bucketPrefix, bucketWithPrefix } from "./bucketing";
import { lowBytePrefix, murmurContinue, type HashPrefix } from "./murmur";
import { cidrContains, parseCidr, parseIp, type CidrRange } from "./operators/cidr";
import { compileRegex, regexTest, type CompiledRegex } from "./operators/regex";
import { compareSemver, contextSemver, parseSemver, type SemVer } from "./operators/semver";
import { CLOCK_ATTRIBUTE, toNum, toStr, toTime } from "./operators/values";
import type {
  Clause,
  EvaluationContext,
  EvaluationErrorCode,
  EvaluationResult,
  Flag,
  JsonValue,
  Rollout,
  Rule,
  RuleCoverage,
  Segment,
  Serve,
  UnleashBucketing,
  Variation,
} from "./types";

/**
 * Compilation turns flags and segments into closures once, when a snapshot is loaded, so that an
 * evaluation does no parsing, no regex compilation and almost no allocation:
 * - segments are compiled once per snapshot and shared by every clause that names them; their key
 *   lists become Sets;
 * - list operands become Sets, numbers/dates/versions/CIDRs are parsed, regexes compiled;
 * - individual targets become one Map from context key to a precomputed result;
 * - results that do not depend on the context (fixed serves) are precomputed frozen objects;
 * - a rollout's hash state after `seed:flagKey:` is precomputed, so only the bucket value is hashed.
 */

export const MAX_PREREQUISITE_DEPTH = 10;

type Ctx = Record<string, unknown>;
/** A compiled clause / rule / segment test. `now` is NaN when the caller gave no clock. */
type Test = (ctx: Ctx, now: number) => boolean;

/** What flag evaluators return internally: a final result, or an error to finish with the default. */
export type InternalResult = EvaluationResult;

export interface CompiledFlag {
  readonly key: string;
  readonly flag: Flag;
  evaluate(ctx: Ctx, now: number, depth: number): InternalResult;
}

export interface CompiledSegment {
  readonly key: string;
  matches: Test;
}

/** An opaque, precompiled snapshot: build it with `compileSnapshot`, read it with `evaluateFlag`. */
export interface CompiledSnapshot {
  readonly kind: "switchyard.compiled-snapshot";
  readonly flagKeys: readonly string[];
  /** @internal */
  readonly flags: ReadonlyMap<string, CompiledFlag>;
  /** @internal */
  readonly segments: ReadonlyMap<string, CompiledSegment>;
  readonly optOutAttribute?: string;
}

export function errorResult(code: EvaluationErrorCode, message: string): InternalResult {
  return { value: null, reason: "ERROR", errorCode: code, errorMessage: message };
}

function freeze<T extends object>(o: T): T {
  return Object.freeze(o);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null;
}

function asArray<T>(v: unknown): T[] {
  return Array.isArray(v) ? (v as T[]) : [];
}

// ---------------------------------------------------------------------------------------------
// Snapshot

export function compileSnapshot(input: { flags: Flag[]; segments: Segment[]; optOutAttribute?: string }): CompiledSnapshot {
  const flagsIn = asArray<Flag>(isObject(input) ? input.flags : undefined);
  const segmentsIn = asArray<Segment>(isObject(input) ? input.segments : undefined);
  const optOut = isObject(input) && typeof input.optOutAttribute === "string" && input.optOutAttribute !== ""
    ? input.optOutAttribute
    : undefined;

  const segments = compileSegments(segmentsIn);
  const flags = new Map<string, CompiledFlag>();
  for (const flag of flagsIn) {
    if (!isObject(flag) || typeof flag.key !== "string" || flags.has(flag.key)) continue;
    flags.set(flag.key, compileFlagSafely(flag, segments, flags, optOut));
  }
  const snapshot: CompiledSnapshot = {
    kind: "switchyard.compiled-snapshot",
    flagKeys: Object.freeze([...flags.keys()]),
    flags,
    segments,
    optOutAttribute: optOut,
  };
  markPrerequisiteProblems(flags);
  return snapshot;
}

// ---------------------------------------------------------------------------------------------
// Segments

function contextKey(ctx: Ctx): string | undefined {
  const k = ctx.targetingKey;
  if (typeof k === "string") return k;
  if (typeof k === "number" && Number.isFinite(k)) return String(k);
  return undefined;
}

function compileSegments(list: Segment[]): Map<string, CompiledSegment> {
  const out = new Map<string, CompiledSegment>();
  const defs = new Map<string, Segment>();
  for (const s of list) {
    if (!isObject(s) || typeof s.key !== "string" || defs.has(s.key)) continue;
    defs.set(s.key, s);
    // Shells first so segments can reference each other in any order; bodies are filled below.
    out.set(s.key, { key: s.key, matches: () => false });
  }
  const cyclic = findSegmentCycles(defs);
  for (const [key, seg] of defs) {
    const shell = out.get(key)!;
    if (cyclic.has(key)) continue; // a segment in a reference cycle contains nobody
    try {
      (shell as { matches: Test }).matches = compileSegmentBody(seg, out);
    } catch {
      // Malformed segment: contains nobody.
    }
  }
  return out;
}

/** Keys of segments that reach themselves through inSegment / notInSegment clauses. */
export function findSegmentCycles(defs: Map<string, Segment>): Set<string> {
  const refs = (s: Segment): string[] => {
    const out: string[] = [];
    for (const r of asArray<{ clauses?: Clause[] }>(s.rules)) {
      for (const c of asArray<Clause>(r?.clauses)) {
        if (isObject(c) && (c.op === "inSegment" || c.op === "notInSegment")) {
          for (const v of asArray<unknown>(c.values)) if (typeof v === "string") out.push(v);
        }
      }
    }
    return out;
  };
  const state = new Map<string, 1 | 2>(); // 1 visiting, 2 done
  const cyclic = new Set<string>();
  const stack: string[] = [];
  const visit = (k: string): void => {
    const st = state.get(k);
    if (st === 2) return;
    if (st === 1) {
      const from = stack.indexOf(k);
      for (const x of stack.slice(from)) cyclic.add(x);
      return;
    }
    const def = defs.get(k);
    if (!def) return;
    state.set(k, 1);
    stack.push(k);
    for (const r of refs(def)) visit(r);
    stack.pop();
    state.set(k, 2);
  };
  for (const k of defs.keys()) visit(k);
  // Segments that depend on a cyclic segment are fine to evaluate (the cyclic one contains nobody).
  return cyclic;
}

function toKeySet(v: unknown): Set<string> {
  const set = new Set<string>();
  for (const x of asArray<unknown>(v)) {
    const s = toStr(x);
    if (s !== undefined) set.add(s);
  }
  return set;
}

function compileSegmentBody(seg: Segment, segments: Map<string, CompiledSegment>): Test {
  const included = toKeySet(seg.included);
  const excluded = toKeySet(seg.excluded);
  const rules: Test[] = [];
  for (const r of asArray<{ match?: string; clauses?: Clause[] }>(seg.rules)) {
    if (!isObject(r)) continue;
    rules.push(compileClauses(asArray<Clause>(r.clauses), r.match === "any", segments));
  }
  const nRules = rules.length;
  const hasExcluded = excluded.size > 0;
  const hasIncluded = included.size > 0;
  return (ctx, now) => {
    if (hasExcluded || hasIncluded) {
      const key = contextKey(ctx);
      if (key !== undefined) {
        if (hasExcluded && excluded.has(key)) return false;
        if (hasIncluded && included.has(key)) return true;
      }
    }
    for (let i = 0; i < nRules; i++) if (rules[i](ctx, now)) return true;
    return false;
  };
}

// ---------------------------------------------------------------------------------------------
// Clauses

/** Empty `all` matches everyone; empty `any` matches nobody. */
function compileClauses(clauses: Clause[], any: boolean, segments: Map<string, CompiledSegment>): Test {
  const tests = clauses.map((c) => compileClause(c, segments));
  const n = tests.length;
  if (n === 0) return any ? () => false : () => true;
  if (n === 1) return tests[0];
  if (any) {
    return (ctx, now) => {
      for (let i = 0; i < n; i++) if (tests[i](ctx, now)) return true;
      return false;
    };
  }
  if (n === 2) {
    const [a, b] = tests;
    return (ctx, now) => a(ctx, now) && b(ctx, now);
  }
  if (n === 3) {
    const [a, b, c] = tests;
    return (ctx, now) => a(ctx, now) && b(ctx, now) && c(ctx, now);
  }
  return (ctx, now) => {
    for (let i = 0; i < n; i++) if (!tests[i](ctx, now)) return false;
    return true;
  };
}

/** Tri-state per value: 1 match, 0 no match, -1 unusable for this operator. */
type ValueTest = (v: unknown, now: number) => number;

function readPath(ctx: Ctx, path: string[]): unknown {
  let cur: unknown = ctx;
  for (const p of path) {
    if (!isObject(cur)) return undefined;
    cur = cur[p];
  }
  return cur;
}

export function compileClause(clause: Clause, segments: Map<string, CompiledSegment>): Test {
  if (!isObject(clause)) return () => false;
  const op = clause.op;
  const negate = clause.negate === true;
  const values = asArray<unknown>(clause.values);

  if (op === "inSegment" || op === "notInSegment") {
    const refs: CompiledSegment[] = [];
    for (const v of values) {
      const seg = typeof v === "string" ? segments.get(v) : undefined;
      if (seg) refs.push(seg); // an unknown segment contains nobody
    }
    const flip = (op === "notInSegment") !== negate;
    const n = refs.length;
    if (n === 1) {
      const seg = refs[0];
      return (ctx, now) => seg.matches(ctx, now) !== flip;
    }
    return (ctx, now) => {
      for (let i = 0; i < n; i++) if (refs[i].matches(ctx, now)) return !flip;
      return flip;
    };
  }

  const attr = typeof clause.attribute === "string" ? clause.attribute : "";
  const path = attr.includes(".") ? attr.split(".") : null;
  const isClock = attr === CLOCK_ATTRIBUTE;
  // Missing or unusable attribute: no match, except `exists` (where negate applies) and the
  // Unleash-style `negateMatchesMissing`.
  const onMissing = op === "exists" ? negate : negate && clause.negateMatchesMissing === true;
  const ci = clause.caseInsensitive === true;

  // Fast path for the most common clause: string attribute in a list.
  if (op === "in" || op === "notIn") {
    const set = new Set<string>();
    for (const v of values) {
      const s = toStr(v);
      if (s !== undefined) set.add(ci ? s.toLowerCase() : s);
    }
    const flip = (op === "notIn") !== negate;
    const test: ValueTest = (v) => {
      const s = toStr(v);
      if (s === undefined) return -1;
      return set.has(ci ? s.toLowerCase() : s) ? 1 : 0;
    };
    if (!path && !ci) {
      return (ctx) => {
        const v = ctx[attr];
        if (typeof v === "string") return set.has(v) !== flip;
        return slow(v, test, flip, onMissing, 0);
      };
    }
    return wrap(attr, path, false, test, flip, onMissing);
  }

  const test = compileValueTest(op, values, ci);
  if (test === null) return () => false; // unknown operator: never matches
  return wrap(attr, path, isClock, test, negate, onMissing);
}

function slow(v: unknown, test: ValueTest, flip: boolean, onMissing: boolean, now: number): boolean {
  if (v === undefined || v === null) return onMissing;
  let r: number;
  if (Array.isArray(v)) {
    // A list-valued attribute matches if any element does; unusable elements are skipped.
    r = -1;
    for (let i = 0; i < v.length; i++) {
      const x = test(v[i], now);
      if (x === 1) {
        r = 1;
        break;
      }
      if (x === 0) r = 0;
    }
    if (v.length === 0) r = 0;
  } else r = test(v, now);
  if (r < 0) return onMissing;
  return (r === 1) !== flip;
}

function wrap(attr: string, path: string[] | null, isClock: boolean, test: ValueTest, flip: boolean, onMissing: boolean): Test {
  if (isClock) {
    return (ctx, now) => {
      let v = ctx[attr];
      if (v === undefined || v === null) v = Number.isNaN(now) ? Date.now() : now;
      return slow(v, test, flip, onMissing, now);
    };
  }
  if (path) {
    return (ctx, now) => {
      let v = ctx[attr];
      if (v === undefined) v = readPath(ctx, path);
      return slow(v, test, flip, onMissing, now);
    };
  }
  return (ctx, now) => slow(ctx[attr], test, flip, onMissing, now);
}

function stringOperands(values: unknown[], ci: boolean): string[] {
  const out: string[] = [];
  for (const v of values) {
    const s = toStr(v);
    if (s !== undefined) out.push(ci ? s.toLowerCase() : s);
  }
  return out;
}

function numberOperands(values: unknown[]): number[] {
  const out: number[] = [];
  for (const v of values) {
    const n = typeof v === "boolean" ? NaN : toNum(v);
    if (!Number.isNaN(n)) out.push(n);
  }
  return out;
}

function compileValueTest(op: string, values: unknown[], ci: boolean): ValueTest | null {
  switch (op) {
    case "equals": {
      const strs = new Set(stringOperands(values, ci));
      const nums = values.filter((v): v is number => typeof v === "number" && !Number.isNaN(v));
      return (v) => {
        const s = toStr(v);
        if (s === undefined) return -1;
        if (strs.has(ci ? s.toLowerCase() : s)) return 1;
        if (nums.length > 0) {
          const n = toNum(v);
          for (let i = 0; i < nums.length; i++) if (nums[i] === n) return 1;
        }
        return 0;
      };
    }
    case "contains":
    case "startsWith":
    case "endsWith": {
      const ops = stringOperands(values, ci);
      const n = ops.length;
      const kind = op === "contains" ? 0 : op === "startsWith" ? 1 : 2;
      return (v) => {
        let s = toStr(v);
        if (s === undefined) return -1;
        if (ci) s = s.toLowerCase();
        for (let i = 0; i < n; i++) {
          const o = ops[i];
          if (kind === 1 ? s.startsWith(o) : kind === 2 ? s.endsWith(o) : s.includes(o)) return 1;
        }
        return 0;
      };
    }
    case "matches": {
      const res: CompiledRegex[] = [];
      for (const v of values) {
        if (typeof v !== "string") continue;
        const re = compileRegex(v, ci);
        if (re) res.push(re);
      }
      const n = res.length;
      return (v) => {
        const s = toStr(v);
        if (s === undefined) return -1;
        for (let i = 0; i < n; i++) if (regexTest(res[i], s)) return 1;
        return 0;
      };
    }
    case "lt":
    case "lte":
    case "gt":
    case "gte": {
      const nums = numberOperands(values);
      if (nums.length === 0) return (v) => (Number.isNaN(toNum(v)) ? -1 : 0);
      // "any operand" collapses to one threshold.
      const lower = op === "lt" || op === "lte";
      const t = lower ? Math.max(...nums) : Math.min(...nums);
      if (op === "lt") return (v) => cmpNum(v, (x) => x < t);
      if (op === "lte") return (v) => cmpNum(v, (x) => x <= t);
      if (op === "gt") {
        return (v) => {
          const x = typeof v === "number" ? v : toNum(v);
          return Number.isNaN(x) ? -1 : x > t ? 1 : 0;
        };
      }
      return (v) => cmpNum(v, (x) => x >= t);
    }
    case "before":
    case "after": {
      const times: number[] = [];
      for (const v of values) {
        const t = typeof v === "boolean" ? NaN : toTime(v);
        if (!Number.isNaN(t)) times.push(t);
      }
      if (times.length === 0) return (v) => (Number.isNaN(toTime(v)) ? -1 : 0);
      if (op === "before") {
        const t = Math.max(...times);
        return (v) => {
          const x = toTime(v);
          return Number.isNaN(x) ? -1 : x < t ? 1 : 0;
        };
      }
      const t = Math.min(...times);
      return (v) => {
        const x = toTime(v);
        return Number.isNaN(x) ? -1 : x > t ? 1 : 0;
      };
    }
    case "semverEq":
    case "semverLt":
    case "semverGt":
    case "semverGte":
    case "semverLte": {
      const vers: SemVer[] = [];
      for (const v of values) {
        const p = typeof v === "string" ? parseSemver(v, true) : null;
        if (p) vers.push(p);
      }
      const n = vers.length;
      const pick = (wantMax: boolean): SemVer | null =>
        n === 0 ? null : vers.reduce((a, b) => ((compareSemver(a, b) < 0) === wantMax ? b : a));
      const readVer = (v: unknown): SemVer | null => (typeof v === "string" ? contextSemver(v) : null);
      if (op === "semverEq") {
        return (v) => {
          const x = readVer(v);
          if (x === null) return -1;
          for (let i = 0; i < n; i++) if (compareSemver(x, vers[i]) === 0) return 1;
          return 0;
        };
      }
      const lower = op === "semverLt" || op === "semverLte";
      const t = pick(lower);
      return (v) => {
        const x = readVer(v);
        if (x === null) return -1;
        if (t === null) return 0;
        const c = compareSemver(x, t);
        switch (op) {
          case "semverLt":
            return c < 0 ? 1 : 0;
          case "semverLte":
            return c <= 0 ? 1 : 0;
          case "semverGt":
            return c > 0 ? 1 : 0;
          default:
            return c >= 0 ? 1 : 0;
        }
      };
    }
    case "exists":
      return () => 1;
    case "inCidr": {
      const ranges: CidrRange[] = [];
      for (const v of values) {
        const r = typeof v === "string" ? parseCidr(v) : null;
        if (r) ranges.push(r);
      }
      return (v) => {
        if (typeof v !== "string") return -1;
        const ip = parseIp(v);
        if (ip === null) return -1;
        for (const r of ranges) if (cidrContains(r, ip)) return 1;
        return 0;
      };
    }
    default:
      return null;
  }
}

function cmpNum(v: unknown, pred: (x: number) => boolean): number {
  const x = typeof v === "number" ? v : toNum(v);
  return Number.isNaN(x) ? -1 : pred(x) ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// Flags

function compileFlagSafely(
  flag: Flag,
  segments: Map<string, CompiledSegment>,
  flags: Map<string, CompiledFlag>,
  optOut: string | undefined,
): CompiledFlag {
  try {
    return compileFlag(flag, segments, flags, optOut);
  } catch (e) {
    const err = freeze(errorResult("MALFORMED_FLAG", `Flag ${flag.key} could not be compiled: ${(e as Error)?.message ?? e}`));
    return { key: flag.key, flag, evaluate: () => err };
  }
}

interface FlagCompileEnv {
  flag: Flag;
  variations: Map<string, Variation>;
  /** Order of variations in the flag definition, for rollout layout. */
  order: Map<string, number>;
  experimentOptOut: string | undefined;
  control: Variation | undefined;
}

type Evaluator = (ctx: Ctx, now: number) => InternalResult | null;

function compileFlag(
  flag: Flag,
  segments: Map<string, CompiledSegment>,
  flags: Map<string, CompiledFlag>,
  optOut: string | undefined,
): CompiledFlag {
  const config = flag.config;
  if (!isObject(config)) throw new Error("missing configuration");
  const variations = new Map<string, Variation>();
  const order = new Map<string, number>();
  asArray<Variation>(flag.variations).forEach((v, i) => {
    if (isObject(v) && typeof v.key === "string" && !variations.has(v.key)) {
      variations.set(v.key, v);
      order.set(v.key, i);
    }
  });
  const controlKey = typeof flag.controlVariation === "string" ? flag.controlVariation : asArray<Variation>(flag.variations)[0]?.key;
  const env: FlagCompileEnv = {
    flag,
    variations,
    order,
    experimentOptOut: flag.kind === "experiment" ? optOut : undefined,
    control: controlKey !== undefined ? variations.get(controlKey) : undefined,
  };

  const rules = asArray<Rule>(config.rules);
  const targets = asArray<{ variation: string; values: string[] }>(config.targets);
  const prereqs = asArray<{ flagKey: string; variation: string; variations?: string[] }>(config.prerequisites);
  const isStatic = rules.length === 0 && targets.length === 0 && prereqs.length === 0 && isObject(config.fallthrough) && "variation" in config.fallthrough;

  // Off
  const offResult = fixedResult(env, config.offVariation, { reason: "OFF" });
  if (config.on !== true) {
    return { key: flag.key, flag, evaluate: () => offResult };
  }

  // Prerequisites: the flag must serve one of the accepted variations.
  const prereqTests = prereqs.filter(isObject).map((p) => {
    const accepted = new Set<string>([p.variation, ...asArray<string>(p.variations)].filter((x) => typeof x === "string"));
    const failed = fixedResult(env, config.offVariation, { reason: "PREREQUISITE_FAILED", prerequisiteKey: p.flagKey });
    const missing = fixedResult(env, config.offVariation, {
      reason: "PREREQUISITE_FAILED",
      prerequisiteKey: p.flagKey,
      errorCode: "PREREQUISITE_NOT_FOUND",
      errorMessage: `Prerequisite flag ${p.flagKey} does not exist.`,
    });
    return { key: p.flagKey, accepted, failed, missing };
  });

  // Targets: one map from context key to result; the first target listing a key wins.
  const targetMap = new Map<string, InternalResult>();
  for (const t of targets) {
    if (!isObject(t)) continue;
    const res = fixedResult(env, t.variation, { reason: "TARGET_MATCH" });
    for (const k of asArray<unknown>(t.values)) {
      const s = toStr(k);
      if (s !== undefined && !targetMap.has(s)) targetMap.set(s, res);
    }
  }
  const hasTargets = targetMap.size > 0;

  // Rules
  const ruleEvals: Evaluator[] = [];
  rules.forEach((rule, index) => {
    if (!isObject(rule)) return;
    const ruleId = typeof rule.id === "string" ? rule.id : String(index);
    const matches = compileClauses(asArray<Clause>(rule.clauses), rule.match === "any", segments);
    const serve = compileServe(env, rule.serve, { reason: "RULE_MATCH", ruleId, ruleIndex: index });
    const gate = isObject(rule.coverage) ? compileCoverage(env, rule.coverage, ruleId) : null;
    if (gate) {
      ruleEvals.push((ctx, now) => (matches(ctx, now) && gate(ctx) ? serve(ctx, now) : null));
    } else {
      ruleEvals.push((ctx, now) => (matches(ctx, now) ? serve(ctx, now) : null));
    }
  });
  const nRules = ruleEvals.length;
  const fallthrough = compileServe(env, config.fallthrough, { reason: "FALLTHROUGH", isStatic: isStatic || undefined });
  const nPrereqs = prereqTests.length;

  const compiled: CompiledFlag & { problem?: InternalResult } = {
    key: flag.key,
    flag,
    evaluate(ctx, now, depth) {
      if (nPrereqs > 0) {
        if (compiled.problem) return compiled.problem;
        if (depth >= MAX_PREREQUISITE_DEPTH) {
          return errorResult("MALFORMED_FLAG", `Prerequisites of ${flag.key} are nested more than ${MAX_PREREQUISITE_DEPTH} deep.`);
        }
        for (let i = 0; i < nPrereqs; i++) {
          const p = prereqTests[i];
          const pf = flags.get(p.key);
          if (pf === undefined) return p.missing;
          const r = pf.evaluate(ctx, now, depth + 1);
          if (r.reason === "ERROR" || r.variationKey === undefined || !p.accepted.has(r.variationKey)) return p.failed;
        }
      }
      if (hasTargets) {
        const key = contextKey(ctx);
        if (key !== undefined) {
          const t = targetMap.get(key);
          if (t !== undefined) return t;
        }
      }
      for (let i = 0; i < nRules; i++) {
        const r = ruleEvals[i](ctx, now);
        if (r !== null) return r;
      }
      return fallthrough(ctx, now)!;
    },
  };
  return compiled;
}

/** Flags in a prerequisite cycle or chain deeper than the limit fail fast with a reason. */
function markPrerequisiteProblems(flags: Map<string, CompiledFlag>): void {
  const prereqKeys = (f: CompiledFlag): string[] =>
    asArray<{ flagKey?: unknown }>(isObject(f.flag.config) ? f.flag.config.prerequisites : undefined)
      .map((p) => (isObject(p) && typeof p.flagKey === "string" ? p.flagKey : ""))
      .filter((k) => k !== "");
  const depth = new Map<string, number>();
  const onStack = new Set<string>();
  const inCycle = new Set<string>();
  const visit = (key: string, stack: string[]): number => {
    const known = depth.get(key);
    if (known !== undefined) return known;
    const f = flags.get(key);
    if (!f) return 0;
    if (onStack.has(key)) {
      for (const k of stack.slice(stack.indexOf(key))) inCycle.add(k);
      return 0;
    }
    onStack.add(key);
    stack.push(key);
    let d = 0;
    for (const p of prereqKeys(f)) d = Math.max(d, 1 + visit(p, stack));
    stack.pop();
    onStack.delete(key);
    depth.set(key, d);
    return d;
  };
  for (const key of flags.keys()) visit(key, []);
  for (const [key, f] of flags) {
    const target = f as CompiledFlag & { problem?: InternalResult };
    if (inCycle.has(key)) {
      target.problem = freeze({
        ...offOrError(f),
        reason: "PREREQUISITE_FAILED",
        prerequisiteKey: prereqKeys(f)[0],
        errorCode: "PREREQUISITE_CYCLE",
        errorMessage: `Flag ${key} is part of a prerequisite cycle.`,
      } as InternalResult);
    } else if ((depth.get(key) ?? 0) > MAX_PREREQUISITE_DEPTH) {
      target.problem = freeze(errorResult("MALFORMED_FLAG", `Prerequisites of ${key} are nested more than ${MAX_PREREQUISITE_DEPTH} deep.`));
    }
  }
}

function offOrError(f: CompiledFlag): { value: JsonValue; variationKey?: string } {
  const off = asArray<Variation>(f.flag.variations).find((v) => isObject(v) && v.key === f.flag.config?.offVariation);
  return off ? { value: off.value, variationKey: off.key } : { value: null };
}

type ResultBase = Partial<EvaluationResult> & { reason: EvaluationResult["reason"] };

function fixedResult(env: FlagCompileEnv, variationKey: unknown, base: ResultBase): InternalResult {
  const v = typeof variationKey === "string" ? env.variations.get(variationKey) : undefined;
  if (!v) {
    return freeze(errorResult("MALFORMED_FLAG", `Flag ${env.flag.key} refers to a variation that does not exist (${String(variationKey)}).`));
  }
  return freeze(clean({ value: v.value, variationKey: v.key, ...base }));
}

function clean(r: EvaluationResult): EvaluationResult {
  for (const k of Object.keys(r) as (keyof EvaluationResult)[]) if (r[k] === undefined) delete r[k];
  return r;
}

function compileServe(env: FlagCompileEnv, serve: Serve | undefined, base: ResultBase): Evaluator {
  if (!isObject(serve)) {
    const err = freeze(errorResult("MALFORMED_FLAG", `Flag ${env.flag.key} has a rule or fallthrough that serves nothing.`));
    return () => err;
  }
  if ("variation" in serve) {
    const r = fixedResult(env, serve.variation, base);
    return () => r;
  }
  if ("rollout" in serve && isObject(serve.rollout)) {
    return isObject(serve.rollout.unleash) ? compileUnleashRollout(env, serve.rollout, base) : compileRollout(env, serve.rollout, base);
  }
  const err = freeze(errorResult("MALFORMED_FLAG", `Flag ${env.flag.key} has a rule or fallthrough that serves nothing.`));
  return () => err;
}

function readBucketValue(ctx: Ctx, attr: string): string | undefined {
  const v = attr === "targetingKey" ? ctx.targetingKey : ctx[attr];
  if (typeof v === "string") return v === "" ? undefined : v;
  return toStr(v);
}

function optedOut(ctx: Ctx, attr: string): boolean {
  const v = ctx[attr];
  return v === true || v === "true";
}

function compileRollout(env: FlagCompileEnv, rollout: Rollout, base: ResultBase): Evaluator {
  const flagKey = env.flag.key;
  const weights = asArray<{ variation: string; weight: number }>(rollout.weights).filter(isObject);
  let sum = 0;
  for (const w of weights) {
    if (!env.variations.has(w.variation)) {
      const err = freeze(errorResult("MALFORMED_FLAG", `Flag ${flagKey} has a rollout to a variation that does not exist (${w.variation}).`));
      return () => err;
    }
    if (typeof w.weight !== "number" || !Number.isInteger(w.weight) || w.weight < 0) {
      const err = freeze(errorResult("MALFORMED_FLAG", `Flag ${flagKey} has a rollout with an invalid weight.`));
      return () => err;
    }
    sum += w.weight;
  }
  if (sum !== BUCKET_SCALE || weights.length === 0) {
    const err = freeze(errorResult("MALFORMED_FLAG", `Flag ${flagKey} has a rollout whose weights do not add up to 100 %.`));
    return () => err;
  }
  // Layout in the order of the flag's variations (see bucketing.ts).
  const laid = [...weights].sort((a, b) => env.order.get(a.variation)! - env.order.get(b.variation)!);
  const uppers: number[] = [];
  const vars: Variation[] = [];
  let acc = 0;
  for (const w of laid) {
    acc += w.weight;
    uppers.push(acc);
    vars.push(env.variations.get(w.variation)!);
  }
  const n = uppers.length;
  const bucketBy = typeof rollout.bucketBy === "string" && rollout.bucketBy !== "" ? rollout.bucketBy : "targetingKey";
  const seed = typeof rollout.seed === "string" && rollout.seed !== "" ? rollout.seed : flagKey;
  const prefix = bucketPrefix(seed, flagKey);
  const first = laid.find((w) => w.weight > 0) ?? laid[0];
  const missing = freeze(
    clean({
      ...base,
      value: env.variations.get(first.variation)!.value,
      variationKey: first.variation,
      inRollout: false,
      errorCode: "MISSING_BUCKET_KEY",
      errorMessage: `The context has no ${bucketBy}, which this rollout buckets by.`,
    }),
  );
  const optOutAttr = env.experimentOptOut;
  const optedOutResult = env.control
    ? freeze(clean({ ...base, value: env.control.value, variationKey: env.control.key, inRollout: false, optedOut: true }))
    : null;
  const reason = base.reason;
  const ruleId = base.ruleId;
  const ruleIndex = base.ruleIndex;
  return (ctx) => {
    if (optOutAttr !== undefined && optedOutResult !== null && optedOut(ctx, optOutAttr)) return optedOutResult;
    const value = readBucketValue(ctx, bucketBy);
    if (value === undefined) return missing;
    const b = bucketWithPrefix(prefix, value);
    let i = 0;
    while (i < n - 1 && b >= uppers[i]) i++;
    const v = vars[i];
    return ruleId === undefined
      ? { value: v.value, variationKey: v.key, reason, inRollout: true, bucket: b / 1000 }
      : { value: v.value, variationKey: v.key, reason, ruleId, ruleIndex, inRollout: true, bucket: b / 1000 };
  };
}

// ---------------------------------------------------------------------------------------------
// Coverage gates and Unleash bucketing

function compileCoverage(env: FlagCompileEnv, cov: RuleCoverage, ruleId: string): ((ctx: Ctx) => boolean) | null {
  const pct = typeof cov.percentage === "number" ? cov.percentage : NaN;
  if (Number.isNaN(pct)) return () => false;
  if (isObject(cov.unleash)) return compileUnleashStrategyGate(cov.unleash, pct);
  if (pct >= BUCKET_SCALE) return null;
  if (pct <= 0) return () => false;
  const bucketBy = typeof cov.bucketBy === "string" && cov.bucketBy !== "" ? cov.bucketBy : "targetingKey";
  const seed = typeof cov.seed === "string" && cov.seed !== "" ? cov.seed : `${env.flag.key}/${ruleId}`;
  const prefix = bucketPrefix(seed, env.flag.key);
  return (ctx) => {
    const value = readBucketValue(ctx, bucketBy);
    return value !== undefined && bucketWithPrefix(prefix, value) < pct;
  };
}

/** Unleash reads `context[field] ?? context.properties[field]`, stringified; we flatten on import. */
function unleashValue(ctx: Ctx, field: string): string | undefined {
  const v = ctx[field];
  if (v === undefined || v === null) return undefined;
  if (v instanceof Date) return v.toString();
  return String(v);
}

function randomStickiness(): string {
  return String(Math.round(Math.random() * 10000) + 1);
}

/**
 * Unleash strategy percentage (flexibleRollout, gradualRollout*): the context is in when
 * `normalizedStrategyValue(stickinessId, groupId) <= percentage`, with percentage > 0.
 * Stickiness `default` is userId || sessionId || random; a custom field that is missing fails.
 */
function compileUnleashStrategyGate(u: UnleashBucketing, pct: number): (ctx: Ctx) => boolean {
  const groupId = typeof u.groupId === "string" ? u.groupId : "";
  const stickiness = typeof u.stickiness === "string" && u.stickiness !== "" ? u.stickiness : "default";
  const prefix = lowBytePrefix(`${groupId}:`, UNLEASH_STRATEGY_SEED);
  if (pct <= 0) return () => false;
  const inside = (id: string): boolean => ((murmurContinue(prefix, id) % 100) + 1) * 1000 <= pct;
  if (stickiness === "random") return () => inside(randomStickiness());
  if (stickiness === "default") {
    return (ctx) => {
      const id = (ctx.userId || ctx.sessionId || randomStickiness()) as unknown;
      return inside(typeof id === "string" ? id : String(id));
    };
  }
  return (ctx) => {
    const id = unleashValue(ctx, stickiness);
    return id !== undefined && id !== "" && inside(id);
  };
}

/**
 * Unleash variant selection (unleash-client lib/variant.js): overrides first, then
 * `normalizedVariantValue(seed, groupId, totalWeight)` (variant hash seed 86028157) walks the
 * cumulative weights in their original order, skipping weight 0. Stickiness `default` is the
 * first non-empty string of userId, sessionId, remoteAddress, else random.
 */
function compileUnleashRollout(env: FlagCompileEnv, rollout: Rollout, base: ResultBase): Evaluator {
  const u = rollout.unleash!;
  const flagKey = env.flag.key;
  const weights = asArray<{ variation: string; weight: number }>(rollout.weights).filter(isObject);
  for (const w of weights) {
    if (!env.variations.has(w.variation)) {
      const err = freeze(errorResult("MALFORMED_FLAG", `Flag ${flagKey} has a rollout to a variation that does not exist (${w.variation}).`));
      return () => err;
    }
  }
  const total = weights.reduce((a, w) => a + (typeof w.weight === "number" ? w.weight : 0), 0);
  if (total <= 0) {
    const err = freeze(errorResult("MALFORMED_FLAG", `Flag ${flagKey} has a variant split with no weight.`));
    return () => err;
  }
  const results = weights.map((w) =>
    freeze(clean({ ...base, value: env.variations.get(w.variation)!.value, variationKey: w.variation, inRollout: true })),
  );
  const overrides = asArray<{ attribute: string; values: string[]; variation: string }>(rollout.overrides)
    .filter(isObject)
    .map((o) => ({
      attribute: String(o.attribute),
      values: new Set(asArray<unknown>(o.values).map((x) => String(x))),
      result: fixedResult(env, o.variation, base),
    }));
  const groupId = typeof u.groupId === "string" ? u.groupId : String(u.groupId);
  const stickiness = typeof u.stickiness === "string" && u.stickiness !== "" ? u.stickiness : "default";
  const prefix: HashPrefix = lowBytePrefix(`${groupId}:`, UNLEASH_VARIANT_SEED);
  const seedOf = (ctx: Ctx): string => {
    if (stickiness === "default") {
      for (const k of ["userId", "sessionId", "remoteAddress"]) {
        const v = ctx[k];
        if (typeof v === "string" && v !== "") return v;
      }
      return String(Math.round(Math.random() * 100000));
    }
    const v = unleashValue(ctx, stickiness);
    return v ? v : String(Math.round(Math.random() * 100000));
  };
  const ws = weights.map((w) => (typeof w.weight === "number" ? w.weight : 0));
  return (ctx) => {
    for (const o of overrides) {
      const v = ctx[o.attribute];
      if (v !== undefined && v !== null && o.values.has(String(v))) return o.result;
    }
    const target = (murmurContinue(prefix, seedOf(ctx)) % total) + 1;
    let counter = 0;
    for (let i = 0; i < ws.length; i++) {
      if (ws[i] === 0) continue;
      counter += ws[i];
      if (counter >= target) return results[i];
    }
    return results[results.length - 1];
  };
}

/** Attribute read by a rollout or coverage gate, for explanations. */
export function describeBucketBy(r: Rollout | RuleCoverage): string {
  if (isObject(r.unleash)) return r.unleash.stickiness === "default" ? "userId or sessionId" : r.unleash.stickiness;
  return r.bucketBy || "targetingKey";
}

export function toContext(context: unknown): Ctx {
  return isObject(context) ? (context as EvaluationContext) : {};
}
