import { cidrContains, parseCidr, parseIp, type CidrRange } from "./operators/cidr";
import { compileRegex, regexTest, type CompiledRegex } from "./operators/regex";
import { compareSemver, contextSemver, parseSemver, type SemVer } from "./operators/semver";
import { CLOCK_ATTRIBUTE, toNum, toStr, toTime } from "./operators/values";
import type { Clause, Segment } from "./types";

/**
 * Compiled clauses, rules and segments. A clause compiles to one small object — an operator code
 * plus its pre-parsed operands — read by one `test` method, rather than to nested closures: a
 * 10,000-flag snapshot then allocates a few objects per clause, keeps no compile-time scope alive,
 * and identical clauses (same operator, attribute, flags and operands) are shared across the
 * whole snapshot.
 */

export type Ctx = Record<string, unknown>;

const enum Op {
  Never,
  /** In-list as a sorted array, binary-searched. */
  In,
  /** In-list as a Set (long lists). */
  InSet,
  Equals,
  Contains,
  StartsWith,
  EndsWith,
  Matches,
  Lt,
  Lte,
  Gt,
  Gte,
  Before,
  After,
  SemverEq,
  SemverLt,
  SemverGt,
  SemverGte,
  SemverLte,
  Exists,
  Segment,
  Cidr,
}

const OPS: Record<string, Op> = {
  in: Op.In,
  notIn: Op.In,
  equals: Op.Equals,
  contains: Op.Contains,
  startsWith: Op.StartsWith,
  endsWith: Op.EndsWith,
  matches: Op.Matches,
  lt: Op.Lt,
  lte: Op.Lte,
  gt: Op.Gt,
  gte: Op.Gte,
  before: Op.Before,
  after: Op.After,
  semverEq: Op.SemverEq,
  semverLt: Op.SemverLt,
  semverGt: Op.SemverGt,
  semverGte: Op.SemverGte,
  semverLte: Op.SemverLte,
  exists: Op.Exists,
  inSegment: Op.Segment,
  notInSegment: Op.Segment,
  inCidr: Op.Cidr,
};

const enum Read {
  Plain,
  Clock,
  Own,
  Path,
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null;
}

function asArray<T>(v: unknown): T[] {
  return Array.isArray(v) ? (v as T[]) : [];
}

function readPath(ctx: Ctx, path: string[]): unknown {
  let cur: unknown = ctx;
  for (const p of path) {
    if (!isObject(cur) || !Object.prototype.hasOwnProperty.call(cur, p)) return undefined;
    cur = cur[p];
  }
  return cur;
}

export function contextKey(ctx: Ctx): string | undefined {
  const k = ctx.targetingKey;
  if (typeof k === "string") return k;
  if (typeof k === "number" && Number.isFinite(k)) return String(k);
  return undefined;
}

/**
 * In-lists up to this size are kept as sorted arrays and binary-searched (a quarter of a Set's
 * memory, and nearly as fast at these sizes); longer ones become Sets.
 */
const SORTED_MAX = 64;

/** Is `s` in `a[from]` … `a[to - 1]` (sorted)? */
function binarySearch(a: readonly string[], from: number, to: number, s: string): boolean {
  let lo = from;
  let hi = to - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = a[mid];
    if (v === s) return true;
    if (v < s) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

export class ClauseMatcher {
  constructor(
    private readonly op: Op,
    private readonly attr: string,
    private readonly read: Read,
    private readonly path: string[] | null,
    /** Invert a usable value's result (negate, notIn, notInSegment). */
    private readonly flip: boolean,
    /** Result for a missing or unusable value. */
    private readonly onMissing: boolean,
    private readonly ci: boolean,
    /**
     * The operands, parsed: sorted strings (In), a Set (InSet), strings (Equals, Contains,
     * StartsWith, EndsWith), regexes, semvers (the deciding one first), CIDR ranges or segments.
     */
    private readonly list: unknown,
    /** Numeric operands of `equals`. */
    private readonly nums: number[] | null,
    /**
     * Threshold of lt/lte/gt/gte/before/after (NaN: no valid operand); for `In`, where the sorted
     * operands start in `list`, which may hold other lists too (format 2 shares one array).
     */
    private readonly t: number,
    /** `In`: where the operands end in `list` (exclusive). */
    private readonly end = 0,
  ) {}

  test(ctx: Ctx, now: number): boolean {
    const op = this.op;
    if (op === Op.Segment) {
      const segs = this.list as SegmentMatcher[];
      for (let i = 0; i < segs.length; i++) if (segs[i].matches(ctx, now)) return !this.flip;
      return this.flip;
    }
    let v: unknown;
    switch (this.read) {
      case Read.Plain:
        v = ctx[this.attr];
        break;
      case Read.Clock:
        v = ctx[this.attr];
        if (v === undefined || v === null) v = Number.isNaN(now) ? Date.now() : now;
        break;
      case Read.Own:
        v = Object.prototype.hasOwnProperty.call(ctx, this.attr) ? ctx[this.attr] : undefined;
        break;
      default:
        v = ctx[this.attr];
        if (v === undefined) v = readPath(ctx, this.path!);
    }
    if (v === undefined || v === null) return this.onMissing;
    if (op === Op.Exists) return !this.flip; // present, even as an empty list
    if (typeof v === "string" && !this.ci) {
      if (op === Op.In) return binarySearch(this.list as string[], this.t, this.end, v) !== this.flip;
      if (op === Op.InSet) return (this.list as Set<string>).has(v) !== this.flip;
    }
    let r: number;
    if (Array.isArray(v)) {
      // A list-valued attribute matches if any element does; unusable elements are skipped.
      r = v.length === 0 ? 0 : -1;
      for (let i = 0; i < v.length; i++) {
        const x = this.one(v[i]);
        if (x === 1) {
          r = 1;
          break;
        }
        if (x === 0) r = 0;
      }
    } else r = this.one(v);
    if (r < 0) return this.onMissing;
    return (r === 1) !== this.flip;
  }

  /** 1 match, 0 no match, -1 unusable for this operator. */
  private one(v: unknown): number {
    switch (this.op) {
      case Op.In:
      case Op.InSet: {
        let s = toStr(v);
        if (s === undefined) return -1;
        if (this.ci) s = s.toLowerCase();
        return (this.op === Op.In ? binarySearch(this.list as string[], this.t, this.end, s) : (this.list as Set<string>).has(s)) ? 1 : 0;
      }
      case Op.Equals: {
        let s = toStr(v);
        if (s === undefined) return -1;
        if (this.ci) s = s.toLowerCase();
        if ((this.list as string[]).includes(s)) return 1;
        const nums = this.nums;
        if (nums !== null) {
          const n = toNum(v);
          for (let i = 0; i < nums.length; i++) if (nums[i] === n) return 1;
        }
        return 0;
      }
      case Op.Contains:
      case Op.StartsWith:
      case Op.EndsWith: {
        let s = toStr(v);
        if (s === undefined) return -1;
        if (this.ci) s = s.toLowerCase();
        const ops = this.list as string[];
        for (let i = 0; i < ops.length; i++) {
          const o = ops[i];
          if (this.op === Op.StartsWith ? s.startsWith(o) : this.op === Op.EndsWith ? s.endsWith(o) : s.includes(o)) return 1;
        }
        return 0;
      }
      case Op.Matches: {
        const s = toStr(v);
        if (s === undefined) return -1;
        const regs = this.list as CompiledRegex[];
        for (let i = 0; i < regs.length; i++) if (regexTest(regs[i], s)) return 1;
        return 0;
      }
      case Op.Lt:
      case Op.Lte:
      case Op.Gt:
      case Op.Gte: {
        const x = typeof v === "number" ? v : toNum(v);
        if (Number.isNaN(x)) return -1;
        const t = this.t;
        if (Number.isNaN(t)) return 0;
        switch (this.op) {
          case Op.Lt:
            return x < t ? 1 : 0;
          case Op.Lte:
            return x <= t ? 1 : 0;
          case Op.Gt:
            return x > t ? 1 : 0;
          default:
            return x >= t ? 1 : 0;
        }
      }
      case Op.Before:
      case Op.After: {
        const x = toTime(v);
        if (Number.isNaN(x)) return -1;
        const t = this.t;
        if (Number.isNaN(t)) return 0;
        return (this.op === Op.Before ? x < t : x > t) ? 1 : 0;
      }
      case Op.SemverEq:
      case Op.SemverLt:
      case Op.SemverGt:
      case Op.SemverGte:
      case Op.SemverLte: {
        const x = typeof v === "string" ? contextSemver(v) : null;
        if (x === null) return -1;
        const vers = this.list as SemVer[];
        if (vers.length === 0) return 0;
        if (this.op === Op.SemverEq) {
          for (let i = 0; i < vers.length; i++) if (compareSemver(x, vers[i]) === 0) return 1;
          return 0;
        }
        const c = compareSemver(x, vers[0]); // the one threshold that decides "any operand"
        switch (this.op) {
          case Op.SemverLt:
            return c < 0 ? 1 : 0;
          case Op.SemverLte:
            return c <= 0 ? 1 : 0;
          case Op.SemverGt:
            return c > 0 ? 1 : 0;
          default:
            return c >= 0 ? 1 : 0;
        }
      }
      case Op.Exists:
        return 1;
      case Op.Cidr: {
        if (typeof v !== "string") return -1;
        const ip = parseIp(v);
        if (ip === null) return -1;
        const ranges = this.list as CidrRange[];
        for (let i = 0; i < ranges.length; i++) if (cidrContains(ranges[i], ip)) return 1;
        return 0;
      }
      default:
        return 0;
    }
  }
}

const NEVER = new ClauseMatcher(Op.Never, "", Read.Plain, null, false, false, false, null, null, NaN);

/** Sort in place (UTF-16 code unit order, as `<` compares) and drop duplicates; lists are short. */
function sortUnique(a: string[]): string[] {
  for (let i = 1; i < a.length; i++) {
    const x = a[i];
    let j = i - 1;
    while (j >= 0 && a[j] > x) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = x;
  }
  let w = 0;
  for (let i = 0; i < a.length; i++) if (i === 0 || a[i] !== a[w - 1]) a[w++] = a[i];
  if (w === a.length) return a;
  a.length = w;
  return a.slice();
}

/** String forms of the operands, in an array of exactly that size (snapshots keep these). */
function stringOperands(values: unknown[], ci: boolean, owned: boolean): string[] {
  let allStrings = !ci;
  for (let i = 0; allStrings && i < values.length; i++) if (typeof values[i] !== "string") allStrings = false;
  if (allStrings) return owned ? (values as string[]) : (values as string[]).slice();
  const out: string[] = [];
  for (const v of values) {
    const s = toStr(v);
    if (s !== undefined) out.push(ci ? s.toLowerCase() : s);
  }
  return out.slice();
}

/** How a clause reads its attribute from a context. */
type AttributeReader = { readonly read: Read; readonly path: string[] | null };

/**
 * Readers by attribute name: a snapshot has few attribute names and tens of thousands of clauses.
 * Bounded, since names come from the payload; the readers and paths are read-only, so shared.
 */
const attributeReaders = new Map<string, AttributeReader>();
const ATTRIBUTE_READERS_MAX = 1024;

function attributeReader(attr: string): AttributeReader {
  let reader = attributeReaders.get(attr);
  if (reader === undefined) {
    reader = newAttributeReader(attr);
    if (attributeReaders.size < ATTRIBUTE_READERS_MAX) attributeReaders.set(attr, reader);
  }
  return reader;
}

function newAttributeReader(attr: string): AttributeReader {
  const path = attr.includes(".") ? attr.split(".") : null;
  // Names like "toString" or "constructor" must not read Object.prototype: own properties only.
  const read = attr === CLOCK_ATTRIBUTE ? Read.Clock : attr in Object.prototype ? Read.Own : path !== null ? Read.Path : Read.Plain;
  return { read, path };
}

/**
 * `in` / `notIn` on strings, case-sensitive, whose operands are already sorted (UTF-16 code unit
 * order) and free of duplicates, as snapshot format 2 stores them: the same matcher as
 * `compileClauseMatcher` builds, without re-checking and re-sorting the list, which it keeps.
 */
export function compileSortedInClause(
  attribute: string,
  notIn: boolean,
  negate: boolean,
  negateMatchesMissing: boolean,
  strings: readonly string[],
  from: number,
  to: number,
): ClauseMatcher {
  const { read, path } = attributeReader(attribute);
  const flip = notIn !== negate;
  const onMissing = negate && negateMatchesMissing;
  if (to - from > SORTED_MAX) return new ClauseMatcher(Op.InSet, attribute, read, path, flip, onMissing, false, new Set(strings.slice(from, to)), null, NaN);
  return new ClauseMatcher(Op.In, attribute, read, path, flip, onMissing, false, strings, null, from, to);
}

/**
 * Compile one clause (not interned). Unknown operators never match. `owned`: the clause's values
 * array is the caller's fresh copy, which the matcher may keep (and sort) instead of copying.
 */
export function compileClauseMatcher(clause: Clause, segments: Map<string, SegmentMatcher>, owned = false): ClauseMatcher {
  if (!isObject(clause)) return NEVER;
  const op = OPS[clause.op as string];
  if (op === undefined || !Object.prototype.hasOwnProperty.call(OPS, clause.op)) return NEVER;
  const negate = clause.negate === true;
  const values = asArray<unknown>(clause.values);

  if (op === Op.Segment) {
    const refs: SegmentMatcher[] = [];
    for (const v of values) {
      const seg = typeof v === "string" ? segments.get(v) : undefined;
      if (seg) refs.push(seg); // an unknown segment contains nobody
    }
    const flip = (clause.op === "notInSegment") !== negate;
    return new ClauseMatcher(op, "", Read.Plain, null, flip, flip, false, refs, null, NaN);
  }

  const attr = typeof clause.attribute === "string" ? clause.attribute : "";
  const { read, path } = attributeReader(attr);
  const ci = clause.caseInsensitive === true;
  const flip = op === Op.In ? (clause.op === "notIn") !== negate : negate;
  // Missing or unusable value: no match, except `exists` (where negate applies) and the
  // Unleash-style `negateMatchesMissing` (the plain negation of the un-negated clause).
  const onMissing = op === Op.Exists ? negate : negate && clause.negateMatchesMissing === true;
  const make = (list: unknown, nums: number[] | null = null, t = NaN, code: Op = op): ClauseMatcher =>
    new ClauseMatcher(code, attr, read, path, flip, onMissing, ci, list, nums, t);

  switch (op) {
    case Op.In: {
      const strs = stringOperands(values, ci, owned);
      if (strs.length > SORTED_MAX) return make(new Set(strs), null, NaN, Op.InSet);
      const sorted = sortUnique(strs);
      return new ClauseMatcher(op, attr, read, path, flip, onMissing, ci, sorted, null, 0, sorted.length);
    }
    case Op.Equals: {
      const nums = values.filter((v): v is number => typeof v === "number" && !Number.isNaN(v));
      return make(stringOperands(values, ci, owned), nums.length > 0 ? nums : null);
    }
    case Op.Contains:
    case Op.StartsWith:
    case Op.EndsWith:
      return make(stringOperands(values, ci, owned));
    case Op.Matches: {
      const regs: CompiledRegex[] = [];
      for (const v of values) {
        const re = typeof v === "string" ? compileRegex(v, ci) : null;
        if (re) regs.push(re);
      }
      return make(regs);
    }
    case Op.Lt:
    case Op.Lte:
    case Op.Gt:
    case Op.Gte: {
      // "Any operand" collapses to one threshold: lt/lte the largest, gt/gte the smallest.
      let t = NaN;
      for (const v of values) {
        const n = typeof v === "boolean" ? NaN : toNum(v);
        if (Number.isNaN(n)) continue;
        if (Number.isNaN(t)) t = n;
        else t = op === Op.Lt || op === Op.Lte ? Math.max(t, n) : Math.min(t, n);
      }
      return make(null, null, t);
    }
    case Op.Before:
    case Op.After: {
      let t = NaN;
      for (const v of values) {
        const x = typeof v === "boolean" ? NaN : toTime(v);
        if (Number.isNaN(x)) continue;
        if (Number.isNaN(t)) t = x;
        else t = op === Op.Before ? Math.max(t, x) : Math.min(t, x);
      }
      return make(null, null, t);
    }
    case Op.SemverEq:
    case Op.SemverLt:
    case Op.SemverGt:
    case Op.SemverGte:
    case Op.SemverLte: {
      const vers: SemVer[] = [];
      for (const v of values) {
        const p = typeof v === "string" ? parseSemver(v, true) : null;
        if (p) vers.push(p);
      }
      if (op !== Op.SemverEq && vers.length > 1) {
        // lt/lte: the largest operand decides; gt/gte: the smallest.
        const wantMax = op === Op.SemverLt || op === Op.SemverLte;
        let best = vers[0];
        for (const x of vers) if ((compareSemver(x, best) > 0) === wantMax && compareSemver(x, best) !== 0) best = x;
        return make([best]);
      }
      return make(vers);
    }
    case Op.Exists:
      return make(null);
    case Op.Cidr: {
      const ranges: CidrRange[] = [];
      for (const v of values) {
        const r = typeof v === "string" ? parseCidr(v) : null;
        if (r) ranges.push(r);
      }
      return make(ranges);
    }
    default:
      return NEVER;
  }
}

// ---------------------------------------------------------------------------------------------
// Interning: identical clauses compile once per snapshot

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

interface Interned {
  op: unknown;
  attribute: unknown;
  flags: number;
  values: unknown[];
  matcher: ClauseMatcher;
  /** Next entry with the same hash. */
  next: Interned | null;
}

/** Compile-time state shared by one snapshot; dropped when compilation ends. */
export class ClauseCompiler {
  readonly segments = new Map<string, SegmentMatcher>();
  private readonly interned = new Map<number, Interned>();

  clause(clause: Clause): ClauseMatcher {
    if (!isObject(clause)) return NEVER;
    const values = asArray<unknown>(clause.values);
    const n = values.length;
    const flags = (clause.negate === true ? 1 : 0) | (clause.caseInsensitive === true ? 2 : 0) | (clause.negateMatchesMissing === true ? 4 : 0);
    let h = fnvValue(0x811c9dc5 ^ flags ^ (n << 3), clause.op);
    h = fnvValue(h, clause.attribute);
    if (n > 0) h = fnvValue(h, values[0]);
    if (n > 1) h = fnvValue(h, values[n >> 1]);
    if (n > 2) h = fnvValue(h, values[n - 1]);
    const head = this.interned.get(h);
    for (let e: Interned | null | undefined = head; e !== undefined && e !== null; e = e.next) {
      if (e.op === clause.op && e.attribute === clause.attribute && e.flags === flags && sameValues(e.values, values)) return e.matcher;
    }
    const matcher = compileClauseMatcher(clause, this.segments);
    this.interned.set(h, { op: clause.op, attribute: clause.attribute, flags, values, matcher, next: head ?? null });
    return matcher;
  }

  /** Rules (lists of clauses with `all` / `any`) as one flat array with end offsets. */
  rules(rules: readonly unknown[]): RuleSet {
    const clauses: ClauseMatcher[] = [];
    const ends: number[] = [];
    let any: boolean[] | null = null;
    for (let i = 0; i < rules.length; i++) {
      const r = rules[i];
      if (isObject(r)) {
        const cs = asArray<Clause>(r.clauses);
        for (let j = 0; j < cs.length; j++) clauses.push(this.clause(cs[j]));
        if (r.match === "any") {
          any ??= new Array<boolean>(rules.length).fill(false);
          any[i] = true;
        }
      } else {
        // Not a rule: never matches (an `any` rule with no clauses).
        any ??= new Array<boolean>(rules.length).fill(false);
        any[i] = true;
      }
      ends.push(clauses.length);
    }
    // slice(): arrays grown by push keep spare capacity, and snapshots keep these.
    return new RuleSet(clauses.slice(), ends.slice(), any);
  }
}

/** Clauses of several rules; rule i is clauses[ends[i-1] .. ends[i]). */
export class RuleSet {
  constructor(
    private readonly clauses: ClauseMatcher[],
    private readonly ends: number[],
    /** Rules that match on any clause (null: all rules are `all`). */
    private readonly any: boolean[] | null,
  ) {}

  get length(): number {
    return this.ends.length;
  }

  /** Does rule i match? An empty `all` rule matches everyone, an empty `any` rule nobody. */
  matches(i: number, ctx: Ctx, now: number): boolean {
    const clauses = this.clauses;
    const end = this.ends[i];
    let j = i === 0 ? 0 : this.ends[i - 1];
    if (this.any !== null && this.any[i]) {
      for (; j < end; j++) if (clauses[j].test(ctx, now)) return true;
      return false;
    }
    for (; j < end; j++) if (!clauses[j].test(ctx, now)) return false;
    return true;
  }
}

export class SegmentMatcher {
  private included: Set<string> | null = null;
  private excluded: Set<string> | null = null;
  private rules: RuleSet | null = null;
  constructor(readonly key: string) {}

  init(segment: Segment, compiler: ClauseCompiler): void {
    const included = toKeySet(segment.included);
    const excluded = toKeySet(segment.excluded);
    this.included = included.size > 0 ? included : null;
    this.excluded = excluded.size > 0 ? excluded : null;
    this.rules = compiler.rules(asArray(segment.rules));
  }

  /** Exclusion wins over inclusion and rules; a segment never initialised (cyclic) contains nobody. */
  matches(ctx: Ctx, now: number): boolean {
    if (this.included !== null || this.excluded !== null) {
      const key = contextKey(ctx);
      if (key !== undefined) {
        if (this.excluded !== null && this.excluded.has(key)) return false;
        if (this.included !== null && this.included.has(key)) return true;
      }
    }
    const rules = this.rules;
    if (rules === null) return false;
    for (let i = 0; i < rules.length; i++) if (rules.matches(i, ctx, now)) return true;
    return false;
  }
}

function toKeySet(v: unknown): Set<string> {
  const set = new Set<string>();
  for (const x of asArray<unknown>(v)) {
    const s = toStr(x);
    if (s !== undefined) set.add(s);
  }
  return set;
}
