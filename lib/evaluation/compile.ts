import { BUCKET_SCALE, UNLEASH_STRATEGY_SEED, UNLEASH_VARIANT_SEED, bucketPrefix, bucketWithPrefix } from "./bucketing";
import { lowBytePrefix, murmurContinue, type HashPrefix } from "./murmur";
import { ClauseCompiler, contextKey, RuleSet, SegmentMatcher, type Ctx } from "./clauses";
import { toStr } from "./operators/values";
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
 * Compilation turns flags and segments into small objects once, when a snapshot is loaded, so
 * that an evaluation does no parsing, no regex compilation and almost no allocation:
 * - segments are compiled once per snapshot and shared by every clause that names them; their key
 *   lists become Sets;
 * - clauses become ClauseMatcher objects (clauses.ts) with parsed operands: sorted in-lists (Sets
 *   when long), numbers, dates, versions, CIDRs, compiled regexes; identical clauses are shared;
 * - individual targets become one Map from context key to a precomputed result;
 * - results that do not depend on the context (fixed serves) are precomputed frozen objects,
 *   identical ones shared;
 * - a rollout's hash state after `seed:flagKey:` is precomputed, so only the bucket value is hashed.
 * Compiled flags keep no reference to the input flags, so the parsed configuration can be freed.
 */

export const MAX_PREREQUISITE_DEPTH = 10;

type Cx = ClauseCompiler;

/** What flag evaluators return internally: a final result, or an error to finish with the default. */
export type InternalResult = EvaluationResult;

export interface CompiledFlag {
  readonly key: string;
  /** Keys of the flags this one requires (the input flag itself is not retained). */
  readonly prerequisiteKeys: readonly string[];
  evaluate(ctx: Ctx, now: number, depth: number): InternalResult;
}

export type CompiledSegment = SegmentMatcher;

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
  const optOut = isObject(input) ? input.optOutAttribute : undefined;
  return assembleSnapshot(segmentsIn, optOut, (_cx, add) => {
    for (const flag of flagsIn) add(flag, undefined);
  });
}

/**
 * Receives each flag to compile, with its rules' clauses already compiled when the caller has them
 * (packed.ts): `ruleSet` holds the matchers of `flag.config.rules`, in order, and when set the
 * rules' `clauses` are not read. A callback rather than a generator: no object per flag.
 */
export type AddFlag = (flag: Flag, ruleSet: RuleSet | undefined) => void;

/**
 * The one way a snapshot is built, from format 1 (`compileSnapshot`) or format 2
 * (`compilePackedSnapshot`): segments first (clauses may name them), then each flag from
 * `flagSources`, which receives the compiler so it can compile clauses against the segments.
 */
export function assembleSnapshot(
  segmentsIn: Segment[],
  optOutAttribute: unknown,
  flagSources: (cx: ClauseCompiler, add: AddFlag) => void,
): CompiledSnapshot {
  const optOut = typeof optOutAttribute === "string" && optOutAttribute !== "" ? optOutAttribute : undefined;
  const cx = new ClauseCompiler();
  const segments = compileSegments(segmentsIn, cx);
  const flags = new Map<string, CompiledFlag>();
  resultIntern = new Map();
  sharedRuleResults = new Map();
  sharedLayouts = new Map();
  lastServes = null;
  try {
    flagSources(cx, (flag, ruleSet) => {
      if (!isObject(flag) || typeof flag.key !== "string" || flags.has(flag.key)) return;
      flags.set(flag.key, compileFlagSafely(flag, cx, flags, optOut, ruleSet));
    });
  } finally {
    resultIntern = null;
    sharedRuleResults = null;
    sharedLayouts = null;
    lastServes = null;
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

function compileSegments(list: Segment[], compiler: ClauseCompiler): Map<string, SegmentMatcher> {
  const out = compiler.segments;
  const defs = new Map<string, Segment>();
  for (const s of list) {
    if (!isObject(s) || typeof s.key !== "string" || defs.has(s.key)) continue;
    defs.set(s.key, s);
    // Matchers first so segments can reference each other in any order; bodies are filled below.
    out.set(s.key, new SegmentMatcher(s.key));
  }
  const cyclic = findSegmentCycles(defs);
  for (const [key, seg] of defs) {
    if (cyclic.has(key)) continue; // a segment in a reference cycle contains nobody
    try {
      out.get(key)!.init(seg, compiler);
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

// ---------------------------------------------------------------------------------------------
// Flags
//
// A compiled flag is a class instance holding arrays (no closure per flag or per rule), so a
// 10,000-flag snapshot stays small and quick to build. Results of fixed serves are built once.

type Gate = (ctx: Ctx) => boolean;

/** A rollout (or variant split): picks a result per context. Fixed serves are plain results. */
abstract class Roll {
  abstract serve(ctx: Ctx): InternalResult;
}

type Serving = InternalResult | Roll;

/** Identical fixed results are shared within a snapshot (they are frozen); set while compiling. */
let resultIntern: Map<number, InternalResult[]> | null = null;

function hashField(h: number, v: unknown): number {
  if (typeof v === "string") {
    for (let i = 0; i < v.length; i++) h = Math.imul(h ^ v.charCodeAt(i), 16777619);
    return Math.imul(h ^ 0xff, 16777619);
  }
  if (typeof v === "number") return Math.imul(h ^ (v | 0) ^ 0x9e3779b9, 16777619);
  if (typeof v === "boolean") return Math.imul(h ^ (v ? 0x51 : 0x52), 16777619);
  return Math.imul(h ^ (v === null ? 0x53 : 0x54), 16777619);
}

function sameResult(a: EvaluationResult, b: EvaluationResult): boolean {
  return (
    a.variationKey === b.variationKey &&
    a.reason === b.reason &&
    a.ruleId === b.ruleId &&
    a.ruleIndex === b.ruleIndex &&
    Object.is(a.value, b.value) &&
    a.isStatic === b.isStatic &&
    a.prerequisiteKey === b.prerequisiteKey &&
    a.errorCode === b.errorCode &&
    a.errorMessage === b.errorMessage &&
    a.inRollout === b.inRollout &&
    a.optedOut === b.optedOut
  );
}

function internResult(r: EvaluationResult): InternalResult {
  const table = resultIntern;
  if (table === null || (r.value !== null && typeof r.value === "object")) return freeze(r);
  // An allocation-free hash of the fields; equal results are compared field by field.
  let h = 0x811c9dc5;
  h = hashField(h, r.value);
  h = hashField(h, r.variationKey);
  h = hashField(h, r.reason);
  h = hashField(h, r.ruleId);
  h = hashField(h, r.ruleIndex);
  let bucket = table.get(h);
  if (bucket !== undefined) {
    for (let i = 0; i < bucket.length; i++) if (sameResult(bucket[i], r)) return bucket[i];
  } else {
    bucket = [];
    table.set(h, bucket);
  }
  const frozen = freeze(r);
  bucket.push(frozen);
  return frozen;
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
  return internResult(r);
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
    private readonly prereqs: PrereqTest[] | null,
    private readonly targets: Map<string, InternalResult> | null,
    private readonly rules: RuleSet,
    private readonly gates: (Gate | null)[] | null,
    private readonly serves: Serving[],
    private readonly fallthrough: Serving,
  ) {
    this.prerequisiteKeys = prereqs === null ? NO_KEYS : prereqs.map((p) => p.key);
  }

  /** The off variation as served when a prerequisite fails, for cycle results. */
  prerequisiteFailure(): InternalResult | null {
    return this.prereqs !== null && this.prereqs.length > 0 ? this.prereqs[0].failed : null;
  }

  evaluate(ctx: Ctx, now: number, depth: number): InternalResult {
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
    const rules = this.rules;
    const gates = this.gates;
    const n = rules.length;
    for (let i = 0; i < n; i++) {
      if (rules.matches(i, ctx, now)) {
        if (gates !== null) {
          const g = gates[i];
          if (g !== null && !g(ctx)) continue;
        }
        const s = this.serves[i];
        return s instanceof Roll ? s.serve(ctx) : s;
      }
    }
    const ft = this.fallthrough;
    return ft instanceof Roll ? ft.serve(ctx) : ft;
  }
}

const NO_KEYS: readonly string[] = Object.freeze([]);

/** Placeholder serve of a rule that cannot match. */
const NEVER_SERVED: InternalResult = Object.freeze(errorResult("MALFORMED_FLAG", "A rule that is not valid was served."));

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

function compileFlagSafely(flag: Flag, cx: Cx, flags: Map<string, CompiledFlag>, optOut: string | undefined, ruleSet: RuleSet | undefined): CompiledFlag {
  try {
    return compileFlag(flag, cx, flags, optOut, ruleSet);
  } catch (e) {
    return new ConstantFlag(flag.key, malformed(`Flag ${flag.key} could not be compiled: ${(e as Error)?.message ?? String(e)}`));
  }
}

interface FlagCompileEnv {
  flag: Flag;
  experimentOptOut: string | undefined;
  control: Variation | undefined;
}


function compileFlag(flag: Flag, cx: Cx, flags: Map<string, CompiledFlag>, optOut: string | undefined, compiledRules: RuleSet | undefined): CompiledFlag {
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

  // Rules: their clauses as one RuleSet, their serves in parallel arrays (a rule that is not an
  // object never matches).
  const ruleSet = compiledRules ?? cx.rules(rules);
  let gates: (Gate | null)[] | null = null;
  const serves = new Array<Serving>(rules.length);
  for (let index = 0; index < rules.length; index++) {
    const rule = rules[index];
    if (!isObject(rule)) {
      serves[index] = NEVER_SERVED;
      if (gates !== null) gates.push(null);
      continue;
    }
    const ruleId = typeof rule.id === "string" ? rule.id : String(index);
    if (isObject(rule.coverage)) {
      gates ??= new Array<Gate | null>(index).fill(null);
      gates.push(compileCoverage(env, rule.coverage, ruleId));
    } else if (gates !== null) gates.push(null);
    serves[index] = ruleServe(env, rule, index, ruleId, compiledRules !== undefined);
  }
  const ft = compileServe(env, config.fallthrough, isStatic ? { reason: "FALLTHROUGH", isStatic: true } : { reason: "FALLTHROUGH" });
  // slice(): arrays grown by push keep spare capacity, and snapshots keep these.
  return new FlagEvaluator(flag.key, flags, prereqs, targets, ruleSet, gates === null ? null : gates.slice(), sharedServes(serves), ft);
}

/** The previous flag's rule serves; set while a snapshot compiles. */
let lastServes: Serving[] | null = null;

/**
 * `serves`, or the previous flag's equal array (read-only once built): neighbouring flags often
 * serve the same shared results, and a snapshot then keeps one array instead of one per flag.
 */
function sharedServes(serves: Serving[]): Serving[] {
  const last = lastServes;
  if (last !== null && last.length === serves.length) {
    let same = true;
    for (let i = 0; i < serves.length && same; i++) same = last[i] === serves[i];
    if (same) return last;
  }
  return (lastServes = serves);
}

/**
 * Fixed results of rule objects shared between flags (format 2 shares a rule, without its clauses,
 * among flags with the same id, serve and extras): the same rule at the same index over the same
 * variations list serves the same frozen result. Set while a snapshot compiles.
 */
let sharedRuleResults: Map<Rule, { variations: unknown; index: number; result: InternalResult }> | null = null;

function ruleServe(env: FlagCompileEnv, rule: Rule, index: number, ruleId: string, shared: boolean): Serving {
  const cache = shared ? sharedRuleResults : null;
  const hit = cache?.get(rule);
  if (hit !== undefined && hit.variations === env.flag.variations && hit.index === index) return hit.result;
  const serving = compileServe(env, rule.serve, { reason: "RULE_MATCH", ruleId, ruleIndex: index });
  // Errors name the flag and rollouts hash its key: only plain results are shared.
  if (cache !== null && !(serving instanceof Roll) && serving.reason !== "ERROR") cache.set(rule, { variations: env.flag.variations, index, result: serving });
  return serving;
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

function compileServe(env: FlagCompileEnv, serve: Serve | undefined, base: ResultBase): Serving {
  if (isObject(serve)) {
    if ("variation" in serve) return fixedResult(env.flag, serve.variation, base);
    if ("rollout" in serve && isObject(serve.rollout)) {
      return isObject(serve.rollout.unleash) ? compileUnleashRollout(env, serve.rollout, base) : compileRollout(env, serve.rollout, base);
    }
  }
  return malformed(`Flag ${env.flag.key} has a rule or fallthrough that serves nothing.`);
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

/**
 * Switchyard rollout: bucket = scaled MurmurHash3 of `seed:flagKey:value`, see bucketing.ts. The
 * rollout is its own precomputed hash prefix (the state after `seed:flagKey:`).
 */
class NativeRollout extends Roll implements HashPrefix {
  private missingResult: InternalResult | null = null;
  private optedOutResult: InternalResult | null = null;
  readonly h: number;
  readonly block: number;
  readonly blockLen: number;
  readonly total: number;
  readonly lowByte = false;
  constructor(
    private readonly optOut: string | undefined,
    private readonly control: Variation | undefined,
    private readonly base: ResultBase,
    prefix: HashPrefix,
    private readonly bucketBy: string,
    /** Exclusive upper bucket of each range, in layout order. */
    private readonly uppers: number[],
    private readonly vars: Variation[],
    private readonly first: Variation,
  ) {
    super();
    this.h = prefix.h;
    this.block = prefix.block;
    this.blockLen = prefix.blockLen;
    this.total = prefix.total;
  }

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
    const b = bucketWithPrefix(this, value);
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

/** A rollout's ranges over a flag's variations (see bucketing.ts), or why it cannot serve. */
type RolloutLayout = { uppers: number[]; vars: Variation[]; first: Variation } | { error: string };

/**
 * Layouts of rollout objects shared between flags (format 2 shares a rollout among flags with the
 * same weights): the same rollout over the same variations list has the same layout. Set while a
 * snapshot compiles.
 */
let sharedLayouts: Map<Rollout, { variations: unknown; layout: RolloutLayout }> | null = null;

function rolloutLayout(flag: Flag, rollout: Rollout): RolloutLayout {
  const weights = asArray<{ variation: string; weight: number }>(rollout.weights);
  let sum = 0;
  let sorted = true;
  let prev = -1;
  for (const w of weights) {
    if (!isObject(w)) return { error: "has an invalid rollout." };
    const idx = variationIndex(flag, w.variation);
    if (idx < 0) return { error: `has a rollout to a variation that does not exist (${w.variation}).` };
    if (typeof w.weight !== "number" || !Number.isInteger(w.weight) || w.weight < 0) return { error: "has a rollout with an invalid weight." };
    if (idx < prev) sorted = false;
    prev = idx;
    sum += w.weight;
  }
  if (sum !== BUCKET_SCALE || weights.length === 0) return { error: "has a rollout whose weights do not add up to 100 %." };
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
  // slice(): arrays grown by push keep spare capacity, and snapshots keep these.
  return { uppers: uppers.slice(), vars: vars.slice(), first: first ?? vars[0] };
}

function compileRollout(env: FlagCompileEnv, rollout: Rollout, base: ResultBase): Serving {
  const flag = env.flag;
  const hit = sharedLayouts?.get(rollout);
  let layout: RolloutLayout;
  if (hit !== undefined && hit.variations === flag.variations) layout = hit.layout;
  else {
    layout = rolloutLayout(flag, rollout);
    sharedLayouts?.set(rollout, { variations: flag.variations, layout });
  }
  if ("error" in layout) return malformed(`Flag ${flag.key} ${layout.error}`);
  const bucketBy = typeof rollout.bucketBy === "string" && rollout.bucketBy !== "" ? rollout.bucketBy : "targetingKey";
  const seed = typeof rollout.seed === "string" && rollout.seed !== "" ? rollout.seed : flag.key;
  return new NativeRollout(env.experimentOptOut, env.control, base, bucketPrefix(seed, flag.key), bucketBy, layout.uppers, layout.vars, layout.first);
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
class UnleashRollout extends Roll {
  constructor(
    private readonly prefix: HashPrefix,
    private readonly stickiness: string,
    private readonly total: number,
    private readonly ws: number[],
    private readonly results: InternalResult[],
    private readonly overrides: { attribute: string; values: Set<string>; result: InternalResult }[],
  ) {
    super();
  }

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

function compileUnleashRollout(env: FlagCompileEnv, rollout: Rollout, base: ResultBase): Serving {
  const u = rollout.unleash!;
  const flag = env.flag;
  const weights = asArray<{ variation: string; weight: number }>(rollout.weights).filter(isObject);
  const results: InternalResult[] = [];
  const ws: number[] = [];
  for (const w of weights) {
    const v = findVariation(flag, w.variation);
    if (!v) return (malformed(`Flag ${flag.key} has a rollout to a variation that does not exist (${w.variation}).`));
    results.push(mkResult(v.value, v.key, base, { inRollout: true }));
    ws.push(typeof w.weight === "number" && w.weight > 0 ? w.weight : 0);
  }
  const total = ws.reduce((a, b) => a + b, 0);
  if (total <= 0) return (malformed(`Flag ${flag.key} has a variant split with no weight.`));
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
