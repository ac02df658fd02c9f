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

/** Shared by everything compiled into one snapshot. */
interface Cx {
  segments: Map<string, CompiledSegment>;
  /** Identical clauses (same operator, attribute, flags and operands) compile once per snapshot. */
  clauses: Map<number, InternedClause[]>;
  /** Rules made of the same compiled clauses share one combined test. */
  combos: Map<Test, Map<Test, Map<Test | null, Test>>>;
}
/** A compiled clause / rule / segment test. `now` is NaN when the caller gave no clock. */
type Test = (ctx: Ctx, now: number) => boolean;

/** What flag evaluators return internally: a final result, or an error to finish with the default. */
export type InternalResult = EvaluationResult;

export interface CompiledFlag {
  readonly key: string;
  /** Keys of the flags this one requires (the input flag itself is not retained). */
  readonly prerequisiteKeys: readonly string[];
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

  const cx: Cx = { segments: new Map(), clauses: new Map(), combos: new Map() };
  const segments = compileSegments(segmentsIn, cx);
  const flags = new Map<string, CompiledFlag>();
  for (const flag of flagsIn) {
    if (!isObject(flag) || typeof flag.key !== "string" || flags.has(flag.key)) continue;
    flags.set(flag.key, compileFlagSafely(flag, cx, flags, optOut));
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

function compileSegments(list: Segment[], cx: Cx): Map<string, CompiledSegment> {
  const out = cx.segments;
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
      (shell as { matches: Test }).matches = compileSegmentBody(seg, cx);
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

function compileSegmentBody(seg: Segment, cx: Cx): Test {
  const included = toKeySet(seg.included);
  const excluded = toKeySet(seg.excluded);
  const rules: Test[] = [];
  for (const r of asArray<{ match?: string; clauses?: Clause[] }>(seg.rules)) {
    if (!isObject(r)) continue;
    rules.push(compileClauses(asArray<Clause>(r.clauses), r.match === "any", cx));
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
function sameValues(a: unknown[], b: unknown[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** FNV-1a over a string's UTF-16 units, folded into `h` (no allocation). */
function fnv(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return Math.imul(h ^ 0xff, 16777619);
}

function fnvValue(h: number, v: unknown): number {
  if (typeof v === "string") return fnv(h, v);
  if (typeof v === "number") return Math.imul(h ^ (v | 0) ^ 0x9e3779b9, 16777619);
  if (typeof v === "boolean") return Math.imul(h ^ (v ? 0x51 : 0x52), 16777619);
  return Math.imul(h ^ 0x53, 16777619);
}

interface InternedClause {
  op: unknown;
  attribute: unknown;
  flags: number;
  values: unknown[];
  test: Test;
}

function internClause(clause: Clause, cx: Cx): Test {
  if (!isObject(clause)) return () => false;
  const values = asArray<unknown>(clause.values);
  const n = values.length;
  const flags = (clause.negate === true ? 1 : 0) | (clause.caseInsensitive === true ? 2 : 0) | (clause.negateMatchesMissing === true ? 4 : 0);
  let h = fnvValue(0x811c9dc5 ^ flags ^ (n << 3), clause.op);
  h = fnvValue(h, clause.attribute);
  if (n > 0) h = fnvValue(h, values[0]);
  if (n > 1) h = fnvValue(h, values[n >> 1]);
  if (n > 2) h = fnvValue(h, values[n - 1]);
  let bucket = cx.clauses.get(h);
  if (bucket !== undefined) {
    for (const e of bucket) {
      if (e.op === clause.op && e.attribute === clause.attribute && e.flags === flags && sameValues(e.values, values)) return e.test;
    }
  } else {
    bucket = [];
    cx.clauses.set(h, bucket);
  }
  const test = compileClause(clause, cx.segments);
  bucket.push({ op: clause.op, attribute: clause.attribute, flags, values, test });
  return test;
}

function compileClauses(clauses: Clause[], any: boolean, cx: Cx): Test {
  const tests = clauses.map((c) => internClause(c, cx));
  const n = tests.length;
  if (n === 0) return any ? () => false : () => true;
  if (n === 1) return tests[0];
  if (any) {
    return (ctx, now) => {
      for (let i = 0; i < n; i++) if (tests[i](ctx, now)) return true;
      return false;
    };
  }
  if (n === 2 || n === 3) {
    const [a, b, c] = tests;
    let m1 = cx.combos.get(a);
    if (m1 === undefined) cx.combos.set(a, (m1 = new Map()));
    let m2 = m1.get(b);
    if (m2 === undefined) m1.set(b, (m2 = new Map()));
    const key = n === 3 ? c : null;
    let combined = m2.get(key);
    if (combined === undefined) {
      combined = n === 2 ? (ctx, now) => a(ctx, now) && b(ctx, now) : (ctx, now) => a(ctx, now) && b(ctx, now) && c(ctx, now);
      m2.set(key, combined);
    }
    return combined;
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
    if (!isObject(cur) || !Object.prototype.hasOwnProperty.call(cur, p)) return undefined;
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
  // Names like "toString" or "constructor" must not read Object.prototype: own properties only.
  const ownOnly = attr in Object.prototype;
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
    if (!path && !ci && !ownOnly) {
      return (ctx) => {
        const v = ctx[attr];
        if (typeof v === "string") return set.has(v) !== flip;
        return slow(v, test, flip, onMissing, 0);
      };
    }
    return wrap(attr, path, false, ownOnly, test, flip, onMissing);
  }

  const test = compileValueTest(op, values, ci);
  if (test === null) return () => false; // unknown operator: never matches
  return wrap(attr, path, isClock, ownOnly, test, negate, onMissing);
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

function wrap(
  attr: string,
  path: string[] | null,
  isClock: boolean,
  ownOnly: boolean,
  test: ValueTest,
  flip: boolean,
  onMissing: boolean,
): Test {
  if (ownOnly) {
    return (ctx, now) => slow(Object.prototype.hasOwnProperty.call(ctx, attr) ? ctx[attr] : undefined, test, flip, onMissing, now);
  }
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
//
// A compiled flag is a class instance holding arrays (no closure per flag or per rule), so a
// 10,000-flag snapshot stays small and quick to build. Results of fixed serves are built once.

type Gate = (ctx: Ctx) => boolean;

/** A rollout (or variant split): picks a result per context. */
interface RolloutServe {
  serve(ctx: Ctx): InternalResult;
}

interface PrereqTest {
  key: string;
  accepted: string[];
  failed: InternalResult;
  missing: InternalResult;
}

type ResultBase = {
  reason: EvaluationResult["reason"];
  ruleId?: string;
  ruleIndex?: number;
  isStatic?: boolean;
  prerequisiteKey?: string;
  errorCode?: EvaluationResult["errorCode"];
  errorMessage?: string;
};

/** A result without undefined fields, in a stable field order, frozen (results are shared). */
function mkResult(value: JsonValue, variationKey: string, base: ResultBase, extra?: Partial<EvaluationResult>): InternalResult {
  const r: EvaluationResult = { value, variationKey, reason: base.reason };
  if (base.ruleId !== undefined) {
    r.ruleId = base.ruleId;
    r.ruleIndex = base.ruleIndex;
  }
  if (base.isStatic) r.isStatic = true;
  if (base.prerequisiteKey !== undefined) r.prerequisiteKey = base.prerequisiteKey;
  if (base.errorCode !== undefined) r.errorCode = base.errorCode;
  if (base.errorMessage !== undefined) r.errorMessage = base.errorMessage;
  if (extra) {
    for (const k in extra) {
      const v = extra[k as keyof EvaluationResult];
      if (v !== undefined) (r as unknown as Record<string, unknown>)[k] = v;
    }
  }
  return freeze(r);
}

function malformed(message: string): InternalResult {
  return freeze(errorResult("MALFORMED_FLAG", message));
}

function findVariation(flag: Flag, key: unknown): Variation | undefined {
  const list = flag.variations;
  if (!Array.isArray(list) || typeof key !== "string") return undefined;
  for (let i = 0; i < list.length; i++) {
    const v = list[i];
    if (isObject(v) && v.key === key) return v;
  }
  return undefined;
}

function variationIndex(flag: Flag, key: string): number {
  const list = asArray<Variation>(flag.variations);
  for (let i = 0; i < list.length; i++) if (isObject(list[i]) && list[i].key === key) return i;
  return -1;
}

function fixedResult(flag: Flag, variationKey: unknown, base: ResultBase): InternalResult {
  const v = findVariation(flag, variationKey);
  if (!v) return malformed(`Flag ${flag.key} refers to a variation that does not exist (${String(variationKey)}).`);
  return mkResult(v.value, v.key, base);
}

class FlagEvaluator implements CompiledFlag {
  /** Set when the flag sits in a prerequisite cycle or too deep a chain. */
  problem: InternalResult | null = null;
  readonly prerequisiteKeys: readonly string[];
  constructor(
    readonly key: string,
    private readonly all: Map<string, CompiledFlag>,
    private readonly off: InternalResult | null,
    private readonly prereqs: PrereqTest[] | null,
    private readonly targets: Map<string, InternalResult> | null,
    private readonly tests: Test[],
    private readonly gates: (Gate | null)[] | null,
    private readonly fixed: (InternalResult | null)[],
    private readonly rolls: (RolloutServe | null)[],
    private readonly ftFixed: InternalResult | null,
    private readonly ftRoll: RolloutServe | null,
  ) {
    this.prerequisiteKeys = prereqs === null ? NO_KEYS : prereqs.map((p) => p.key);
  }

  /** The off variation as served when a prerequisite fails, for cycle results. */
  prerequisiteFailure(): InternalResult | null {
    return this.prereqs !== null && this.prereqs.length > 0 ? this.prereqs[0].failed : null;
  }

  evaluate(ctx: Ctx, now: number, depth: number): InternalResult {
    if (this.off !== null) return this.off;
    const prereqs = this.prereqs;
    if (prereqs !== null) {
      if (this.problem !== null) return this.problem;
      if (depth >= MAX_PREREQUISITE_DEPTH) {
        return errorResult("MALFORMED_FLAG", `Prerequisites of ${this.key} are nested more than ${MAX_PREREQUISITE_DEPTH} deep.`);
      }
      for (let i = 0; i < prereqs.length; i++) {
        const p = prereqs[i];
        const pf = this.all.get(p.key);
        if (pf === undefined) return p.missing;
        const r = pf.evaluate(ctx, now, depth + 1);
        if (r.reason === "ERROR" || r.variationKey === undefined || !p.accepted.includes(r.variationKey)) return p.failed;
      }
    }
    const targets = this.targets;
    if (targets !== null) {
      const key = contextKey(ctx);
      if (key !== undefined) {
        const t = targets.get(key);
        if (t !== undefined) return t;
      }
    }
    const tests = this.tests;
    const gates = this.gates;
    for (let i = 0; i < tests.length; i++) {
      if (tests[i](ctx, now)) {
        if (gates !== null) {
          const g = gates[i];
          if (g !== null && !g(ctx)) continue;
        }
        const f = this.fixed[i];
        return f !== null ? f : this.rolls[i]!.serve(ctx);
      }
    }
    return this.ftFixed !== null ? this.ftFixed : this.ftRoll!.serve(ctx);
  }
}

const NO_KEYS: readonly string[] = Object.freeze([]);

class ConstantFlag implements CompiledFlag {
  readonly prerequisiteKeys = NO_KEYS;
  constructor(
    readonly key: string,
    private readonly result: InternalResult,
  ) {}
  evaluate(): InternalResult {
    return this.result;
  }
}

function compileFlagSafely(flag: Flag, cx: Cx, flags: Map<string, CompiledFlag>, optOut: string | undefined): CompiledFlag {
  try {
    return compileFlag(flag, cx, flags, optOut);
  } catch (e) {
    return new ConstantFlag(flag.key, malformed(`Flag ${flag.key} could not be compiled: ${(e as Error)?.message ?? String(e)}`));
  }
}

interface FlagCompileEnv {
  flag: Flag;
  experimentOptOut: string | undefined;
  control: Variation | undefined;
}

type Served = { fixed: InternalResult; roll: null } | { fixed: null; roll: RolloutServe };

function compileFlag(flag: Flag, cx: Cx, flags: Map<string, CompiledFlag>, optOut: string | undefined): CompiledFlag {
  const config = flag.config;
  if (!isObject(config)) throw new Error("missing configuration");
  if (config.on !== true) return new ConstantFlag(flag.key, fixedResult(flag, config.offVariation, { reason: "OFF" }));

  const controlKey = typeof flag.controlVariation === "string" ? flag.controlVariation : asArray<Variation>(flag.variations)[0]?.key;
  const env: FlagCompileEnv = {
    flag,
    experimentOptOut: flag.kind === "experiment" ? optOut : undefined,
    control: findVariation(flag, controlKey),
  };
  const rules = asArray<Rule>(config.rules);
  const targetList = asArray<{ variation: string; values: string[] }>(config.targets);
  const prereqList = asArray<{ flagKey: string; variation: string; variations?: string[] }>(config.prerequisites);
  const isStatic =
    rules.length === 0 && targetList.length === 0 && prereqList.length === 0 && isObject(config.fallthrough) && "variation" in config.fallthrough;

  // Prerequisites: the flag must serve one of the accepted variations.
  let prereqs: PrereqTest[] | null = null;
  for (const p of prereqList) {
    if (!isObject(p)) continue;
    const accepted: string[] = [];
    if (typeof p.variation === "string") accepted.push(p.variation);
    for (const v of asArray<unknown>(p.variations)) if (typeof v === "string") accepted.push(v);
    (prereqs ??= []).push({
      key: String(p.flagKey),
      accepted,
      failed: fixedResult(flag, config.offVariation, { reason: "PREREQUISITE_FAILED", prerequisiteKey: p.flagKey }),
      missing: fixedResult(flag, config.offVariation, {
        reason: "PREREQUISITE_FAILED",
        prerequisiteKey: p.flagKey,
        errorCode: "PREREQUISITE_NOT_FOUND",
        errorMessage: `Prerequisite flag ${p.flagKey} does not exist.`,
      }),
    });
  }

  // Targets: one map from context key to result; the first target listing a key wins.
  let targets: Map<string, InternalResult> | null = null;
  for (const t of targetList) {
    if (!isObject(t)) continue;
    const res = fixedResult(flag, t.variation, { reason: "TARGET_MATCH" });
    for (const k of asArray<unknown>(t.values)) {
      const s = toStr(k);
      if (s === undefined) continue;
      targets ??= new Map();
      if (!targets.has(s)) targets.set(s, res);
    }
  }

  // Rules
  const tests: Test[] = [];
  let gates: (Gate | null)[] | null = null;
  const fixed: (InternalResult | null)[] = [];
  const rolls: (RolloutServe | null)[] = [];
  for (let index = 0; index < rules.length; index++) {
    const rule = rules[index];
    if (!isObject(rule)) continue;
    const ruleId = typeof rule.id === "string" ? rule.id : String(index);
    tests.push(compileClauses(asArray<Clause>(rule.clauses), rule.match === "any", cx));
    if (isObject(rule.coverage)) {
      gates ??= new Array<Gate | null>(tests.length - 1).fill(null);
      gates.push(compileCoverage(env, rule.coverage, ruleId));
    } else if (gates !== null) gates.push(null);
    const served = compileServe(env, rule.serve, { reason: "RULE_MATCH", ruleId, ruleIndex: index });
    fixed.push(served.fixed);
    rolls.push(served.roll);
  }
  const ft = compileServe(env, config.fallthrough, isStatic ? { reason: "FALLTHROUGH", isStatic: true } : { reason: "FALLTHROUGH" });
  return new FlagEvaluator(flag.key, flags, null, prereqs, targets, tests, gates, fixed, rolls, ft.fixed, ft.roll);
}

/** Flags in a prerequisite cycle or chain deeper than the limit fail fast with a reason. */
function markPrerequisiteProblems(flags: Map<string, CompiledFlag>): void {
  const prereqKeys = (f: CompiledFlag): readonly string[] => f.prerequisiteKeys;
  let any = false;
  for (const f of flags.values()) if (f.prerequisiteKeys.length > 0) any = true;
  if (!any) return;
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
    if (!(f instanceof FlagEvaluator)) continue;
    if (inCycle.has(key)) {
      const off = f.prerequisiteFailure();
      const base: ResultBase = {
        reason: "PREREQUISITE_FAILED",
        prerequisiteKey: prereqKeys(f)[0],
        errorCode: "PREREQUISITE_CYCLE",
        errorMessage: `Flag ${key} is part of a prerequisite cycle.`,
      };
      f.problem = off && off.variationKey !== undefined ? mkResult(off.value, off.variationKey, base) : malformed(`Flag ${key} is part of a prerequisite cycle.`);
    } else if ((depth.get(key) ?? 0) > MAX_PREREQUISITE_DEPTH) {
      f.problem = malformed(`Prerequisites of ${key} are nested more than ${MAX_PREREQUISITE_DEPTH} deep.`);
    }
  }
}

class ErrorServe implements RolloutServe {
  constructor(private readonly result: InternalResult) {}
  serve(): InternalResult {
    return this.result;
  }
}

function compileServe(env: FlagCompileEnv, serve: Serve | undefined, base: ResultBase): Served {
  if (isObject(serve)) {
    if ("variation" in serve) return { fixed: fixedResult(env.flag, serve.variation, base), roll: null };
    if ("rollout" in serve && isObject(serve.rollout)) {
      const roll = isObject(serve.rollout.unleash) ? compileUnleashRollout(env, serve.rollout, base) : compileRollout(env, serve.rollout, base);
      return { fixed: null, roll };
    }
  }
  return { fixed: malformed(`Flag ${env.flag.key} has a rule or fallthrough that serves nothing.`), roll: null };
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

/** Switchyard rollout: bucket = scaled MurmurHash3 of `seed:flagKey:value`, see bucketing.ts. */
class NativeRollout implements RolloutServe {
  private missingResult: InternalResult | null = null;
  private optedOutResult: InternalResult | null = null;
  constructor(
    private readonly optOut: string | undefined,
    private readonly control: Variation | undefined,
    private readonly base: ResultBase,
    private readonly prefix: HashPrefix,
    private readonly bucketBy: string,
    /** Exclusive upper bucket of each range, in layout order. */
    private readonly uppers: number[],
    private readonly vars: Variation[],
    private readonly first: Variation,
  ) {}

  serve(ctx: Ctx): InternalResult {
    const optOut = this.optOut;
    if (optOut !== undefined && this.control !== undefined && optedOut(ctx, optOut)) {
      return (this.optedOutResult ??= mkResult(this.control.value, this.control.key, this.base, { inRollout: false, optedOut: true }));
    }
    const value = readBucketValue(ctx, this.bucketBy);
    if (value === undefined) {
      return (this.missingResult ??= mkResult(this.first.value, this.first.key, this.base, {
        inRollout: false,
        errorCode: "MISSING_BUCKET_KEY",
        errorMessage: `The context has no ${this.bucketBy}, which this rollout buckets by.`,
      }));
    }
    const b = bucketWithPrefix(this.prefix, value);
    const uppers = this.uppers;
    const last = uppers.length - 1;
    let i = 0;
    while (i < last && b >= uppers[i]) i++;
    const v = this.vars[i];
    const base = this.base;
    return base.ruleId === undefined
      ? { value: v.value, variationKey: v.key, reason: base.reason, inRollout: true, bucket: b / 1000 }
      : { value: v.value, variationKey: v.key, reason: base.reason, ruleId: base.ruleId, ruleIndex: base.ruleIndex, inRollout: true, bucket: b / 1000 };
  }
}

function compileRollout(env: FlagCompileEnv, rollout: Rollout, base: ResultBase): RolloutServe {
  const flag = env.flag;
  const weights = asArray<{ variation: string; weight: number }>(rollout.weights);
  let sum = 0;
  let sorted = true;
  let prev = -1;
  for (const w of weights) {
    if (!isObject(w)) return new ErrorServe(malformed(`Flag ${flag.key} has an invalid rollout.`));
    const idx = variationIndex(flag, w.variation);
    if (idx < 0) return new ErrorServe(malformed(`Flag ${flag.key} has a rollout to a variation that does not exist (${w.variation}).`));
    if (typeof w.weight !== "number" || !Number.isInteger(w.weight) || w.weight < 0) {
      return new ErrorServe(malformed(`Flag ${flag.key} has a rollout with an invalid weight.`));
    }
    if (idx < prev) sorted = false;
    prev = idx;
    sum += w.weight;
  }
  if (sum !== BUCKET_SCALE || weights.length === 0) {
    return new ErrorServe(malformed(`Flag ${flag.key} has a rollout whose weights do not add up to 100 %.`));
  }
  // Layout in the order of the flag's variations (see bucketing.ts).
  const laid = sorted ? weights : [...weights].sort((a, b) => variationIndex(flag, a.variation) - variationIndex(flag, b.variation));
  const uppers: number[] = [];
  const vars: Variation[] = [];
  let acc = 0;
  let first: Variation | undefined;
  for (const w of laid) {
    acc += w.weight;
    uppers.push(acc);
    const v = findVariation(flag, w.variation)!;
    vars.push(v);
    if (first === undefined && w.weight > 0) first = v;
  }
  const bucketBy = typeof rollout.bucketBy === "string" && rollout.bucketBy !== "" ? rollout.bucketBy : "targetingKey";
  const seed = typeof rollout.seed === "string" && rollout.seed !== "" ? rollout.seed : flag.key;
  return new NativeRollout(env.experimentOptOut, env.control, base, bucketPrefix(seed, flag.key), bucketBy, uppers, vars, first ?? vars[0]);
}

// ---------------------------------------------------------------------------------------------
// Coverage gates and Unleash bucketing

function compileCoverage(env: FlagCompileEnv, cov: RuleCoverage, ruleId: string): Gate | null {
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
function compileUnleashStrategyGate(u: UnleashBucketing, pct: number): Gate {
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
class UnleashRollout implements RolloutServe {
  constructor(
    private readonly prefix: HashPrefix,
    private readonly stickiness: string,
    private readonly total: number,
    private readonly ws: number[],
    private readonly results: InternalResult[],
    private readonly overrides: { attribute: string; values: Set<string>; result: InternalResult }[],
  ) {}

  private seedOf(ctx: Ctx): string {
    if (this.stickiness === "default") {
      for (const k of UNLEASH_DEFAULT_STICKINESS) {
        const v = ctx[k];
        if (typeof v === "string" && v !== "") return v;
      }
      return String(Math.round(Math.random() * 100000));
    }
    const v = unleashValue(ctx, this.stickiness);
    return v ? v : String(Math.round(Math.random() * 100000));
  }

  serve(ctx: Ctx): InternalResult {
    for (const o of this.overrides) {
      const v = ctx[o.attribute];
      if (v !== undefined && v !== null && o.values.has(String(v))) return o.result;
    }
    const target = (murmurContinue(this.prefix, this.seedOf(ctx)) % this.total) + 1;
    let counter = 0;
    const ws = this.ws;
    for (let i = 0; i < ws.length; i++) {
      if (ws[i] === 0) continue;
      counter += ws[i];
      if (counter >= target) return this.results[i];
    }
    return this.results[this.results.length - 1];
  }
}

const UNLEASH_DEFAULT_STICKINESS = ["userId", "sessionId", "remoteAddress"];

function compileUnleashRollout(env: FlagCompileEnv, rollout: Rollout, base: ResultBase): RolloutServe {
  const u = rollout.unleash!;
  const flag = env.flag;
  const weights = asArray<{ variation: string; weight: number }>(rollout.weights).filter(isObject);
  const results: InternalResult[] = [];
  const ws: number[] = [];
  for (const w of weights) {
    const v = findVariation(flag, w.variation);
    if (!v) return new ErrorServe(malformed(`Flag ${flag.key} has a rollout to a variation that does not exist (${w.variation}).`));
    results.push(mkResult(v.value, v.key, base, { inRollout: true }));
    ws.push(typeof w.weight === "number" && w.weight > 0 ? w.weight : 0);
  }
  const total = ws.reduce((a, b) => a + b, 0);
  if (total <= 0) return new ErrorServe(malformed(`Flag ${flag.key} has a variant split with no weight.`));
  const overrides: { attribute: string; values: Set<string>; result: InternalResult }[] = [];
  for (const o of asArray<{ attribute: string; values: string[]; variation: string }>(rollout.overrides)) {
    if (!isObject(o)) continue;
    overrides.push({
      attribute: String(o.attribute),
      values: new Set(asArray<unknown>(o.values).map((x) => String(x))),
      result: fixedResult(flag, o.variation, base),
    });
  }
  const groupId = typeof u.groupId === "string" ? u.groupId : String(u.groupId);
  const stickiness = typeof u.stickiness === "string" && u.stickiness !== "" ? u.stickiness : "default";
  return new UnleashRollout(lowBytePrefix(`${groupId}:`, UNLEASH_VARIANT_SEED), stickiness, total, ws, results, overrides);
}

/** Attribute read by a rollout or coverage gate, for explanations. */
export function describeBucketBy(r: Rollout | RuleCoverage): string {
  if (isObject(r.unleash)) return r.unleash.stickiness === "default" ? "userId or sessionId" : r.unleash.stickiness;
  return r.bucketBy || "targetingKey";
}

export function toContext(context: unknown): Ctx {
  return isObject(context) ? (context as EvaluationContext) : {};
}
