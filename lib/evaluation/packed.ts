import { assembleSnapshot, type CompiledSnapshot } from "./compile";
import { compileClauseMatcher, compileSortedInClause, RuleSet, type ClauseCompiler, type ClauseMatcher } from "./clauses";
import type { Clause, Flag, FlagConfig, Rule, Segment, SegmentRule, Serve, Variation } from "./types";

/**
 * Snapshot format 2: the same flags and segments as format 1 (`{ flags, segments }`), packed so
 * that an SDK parses and compiles 10,000 flags in tens of milliseconds and keeps one copy of
 * every string. JSON.parse then builds a handful of large integer arrays instead of hundreds of
 * thousands of small objects.
 *
 * - `s`: every distinct string (keys, attribute names, operators, operands, ids), sorted by UTF-16
 *   code unit (the order `<` uses), referenced everywhere by index;
 * - `o`: every distinct all-string list (operands, segment keys, target keys), flat: `[n, d1 … dn]`,
 *   the sorted, duplicate-free string indices delta-encoded (operands are "any of", key lists are
 *   sets: order and duplicates never matter), referenced by offset. Lists holding numbers or
 *   booleans go to `x` as they are, referenced as `-(i + 1)`;
 * - `c`: every distinct clause as 4 integers `[op, attribute, list, flags]` (op and attribute index
 *   `s`, attribute -1 when absent; flags: 1 negate, 2 caseInsensitive, 4 negateMatchesMissing),
 *   referenced by clause number. A clause compiles once per snapshot, however many rules use it;
 * - `v`: distinct variation lists; `ro`: distinct rollouts (`w`: pairs variation key, weight);
 *   `rx`: distinct rule extras (match, description, coverage); `fx`: per-flag extras (control
 *   variation, targets, prerequisites);
 * - `F`: every flag as integers, one after the other:
 *   `key kind valueType variations on off fallthrough version+1 extras ruleCount rule…`, a rule
 *   being `id serve extras clauseCount clause…`; a serve is a variation key (≥ 0) or a rollout
 *   `-(i + 1)`; absent extras are -1, an absent version 0. A flag the packer does not recognise
 *   (malformed) is `-1 i`, with the flag as format 1 in `fr[i]`, and compiles exactly as format 1;
 * - `g`: segments, stored once, with their key lists in `o` (or `{ raw }`).
 *
 * Both formats evaluate identically (packed.test.ts). `unpackSnapshot` gives format 1 back, with
 * canonical (sorted, de-duplicated) operand and key lists.
 */
export const PACKED_FORMAT = 2;

export interface PackedRollout {
  /** Pairs `variation key (string index), weight`. */
  w: unknown[];
  b?: number;
  sd?: number;
  /** Unleash bucketing and overrides, as in format 1 (imported flags only). */
  u?: unknown;
  ov?: unknown;
}

export interface PackedRuleExtras {
  m?: string;
  d?: number;
  cv?: unknown;
}

export interface PackedFlagExtras {
  cv?: number;
  /** Targets: pairs `variation key, key list`. */
  tg?: number[];
  /** Prerequisites: `[flag key, variation key, accepted variations list?]`. */
  pq?: number[][];
}

export interface PackedSegment {
  k: number;
  i: number;
  e: number;
  /** Rules: `[id, clauses, match?]`. */
  r: [id: number, clauses: number[], match?: string][];
}

export interface PackedSnapshot {
  format: typeof PACKED_FORMAT;
  optOutAttribute?: string;
  s: string[];
  o: number[];
  x: unknown[][];
  c: number[];
  v: Variation[][];
  ro: PackedRollout[];
  rx: PackedRuleExtras[];
  fx: PackedFlagExtras[];
  F: number[];
  fr: unknown[];
  g: (PackedSegment | { raw: unknown })[];
}

// ---------------------------------------------------------------------------------------------
// Packing (server side)

/** Thrown inside the packer for input it does not recognise: that flag or segment goes raw. */
class Unpackable extends Error {}

function need(condition: boolean): asserts condition {
  if (!condition) throw new Unpackable();
}

/**
 * An array without holes. The packer walks input lists with map/every/flatMap, which skip holes,
 * so a sparse list (possible in an object handed to the packer, never in parsed JSON) would
 * otherwise pack differently from how format 1 compiles it; such a flag travels raw instead.
 */
function isDenseArray(v: unknown): v is unknown[] {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) if (!(i in v)) return false;
  return true;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null;
}

/** The value as it arrives after a JSON round trip (what format 1 would deliver). */
function json(v: unknown): unknown {
  const text = JSON.stringify(v);
  return text === undefined ? undefined : JSON.parse(text);
}

/** Appends `item` to `table` unless an equal (as JSON) item is there; returns its index. */
function dedupe<T>(table: T[], seen: Map<string, number>, item: T): number {
  const key = JSON.stringify(item);
  let i = seen.get(key);
  if (i === undefined) {
    i = table.length;
    table.push(JSON.parse(key) as T);
    seen.set(key, i);
  }
  return i;
}

/**
 * One packing pass. The packer runs twice over the input: the first pass (`collecting`) only
 * gathers strings, so the table can be sorted before the second pass assigns indices.
 */
class PackPass {
  readonly o: number[] = [];
  readonly x: unknown[][] = [];
  readonly c: number[] = [];
  readonly v: Variation[][] = [];
  readonly ro: PackedRollout[] = [];
  readonly rx: PackedRuleExtras[] = [];
  readonly fx: PackedFlagExtras[] = [];
  readonly F: number[] = [];
  readonly fr: unknown[] = [];
  private readonly index: Map<string, number>;
  private readonly seen = { lists: new Map<string, number>(), x: new Map<string, number>(), c: new Map<string, number>(), v: new Map<string, number>(), ro: new Map<string, number>(), rx: new Map<string, number>() };

  constructor(
    private readonly collecting: Set<string> | null,
    readonly s: string[],
  ) {
    this.index = new Map(s.map((str, i) => [str, i]));
  }

  str(v: unknown): number {
    need(typeof v === "string");
    if (this.collecting !== null) {
      this.collecting.add(v);
      return 0;
    }
    return this.index.get(v)!;
  }

  optStr(v: unknown): number | undefined {
    return v === undefined ? undefined : this.str(v);
  }

  /** A string that may be absent (-1). */
  strOrAbsent(v: unknown): number {
    return v === undefined ? -1 : this.str(v);
  }

  /** A list of operands or keys: strings to `o`, other JSON scalars to `x`. */
  list(v: unknown): number {
    need(isDenseArray(v));
    if (v.every((x) => typeof x === "string")) {
      const ids = [...new Set((v as string[]).map((x) => this.str(x)))].sort((a, b) => a - b);
      const key = ids.join(",");
      let ref = this.seen.lists.get(key);
      if (ref === undefined) {
        ref = this.o.length;
        this.o.push(ids.length);
        let prev = 0;
        for (const id of ids) {
          this.o.push(id - prev);
          prev = id;
        }
        this.seen.lists.set(key, ref);
      }
      return ref;
    }
    need(v.every((x) => typeof x === "number" || typeof x === "boolean" || typeof x === "string"));
    return -(dedupe(this.x, this.seen.x, v as unknown[]) + 1);
  }

  clause(c: unknown): number {
    need(isObject(c) && typeof c.op === "string" && (c.attribute === undefined || typeof c.attribute === "string"));
    need([c.negate, c.caseInsensitive, c.negateMatchesMissing].every((b) => b === undefined || typeof b === "boolean"));
    const op = this.str(c.op);
    const attr = c.attribute === undefined ? -1 : this.str(c.attribute);
    const list = this.list(c.values);
    const flags = (c.negate === true ? 1 : 0) | (c.caseInsensitive === true ? 2 : 0) | (c.negateMatchesMissing === true ? 4 : 0);
    const key = `${op},${attr},${list},${flags}`;
    let n = this.seen.c.get(key);
    if (n === undefined) {
      n = this.c.length / 4;
      this.c.push(op, attr, list, flags);
      this.seen.c.set(key, n);
    }
    return n;
  }

  clauseList(v: unknown): number[] {
    need(isDenseArray(v));
    return v.map((c) => this.clause(c));
  }

  variations(v: unknown): number {
    need(isDenseArray(v) && v.every((x) => isObject(x) && typeof x.key === "string"));
    return dedupe(this.v, this.seen.v, v as Variation[]);
  }

  serve(v: unknown): number {
    need(isObject(v));
    if ("variation" in v) return this.str(v.variation);
    need("rollout" in v && isObject(v.rollout));
    const r = v.rollout;
    need(isDenseArray(r.weights));
    const w: unknown[] = [];
    for (const x of r.weights) {
      need(isObject(x) && typeof x.weight === "number");
      w.push(this.str(x.variation), x.weight);
    }
    const out: PackedRollout = { w };
    const b = this.optStr(r.bucketBy);
    if (b !== undefined) out.b = b;
    const sd = this.optStr(r.seed);
    if (sd !== undefined) out.sd = sd;
    if (r.unleash !== undefined) out.u = json(r.unleash);
    if (r.overrides !== undefined) out.ov = json(r.overrides);
    return -(dedupe(this.ro, this.seen.ro, out) + 1);
  }

  /** Appends the rule's integers to `out`. */
  rule(v: unknown, out: number[]): void {
    need(isObject(v));
    const extras: PackedRuleExtras = {};
    if (v.match !== undefined) {
      need(typeof v.match === "string");
      extras.m = v.match;
    }
    const d = this.optStr(v.description);
    if (d !== undefined) extras.d = d;
    if (v.coverage !== undefined) extras.cv = json(v.coverage);
    const clauses = this.clauseList(v.clauses);
    const rx = Object.keys(extras).length > 0 ? dedupe(this.rx, this.seen.rx, extras) : -1;
    out.push(this.str(v.id), this.serve(v.serve), rx, clauses.length, ...clauses);
  }

  /** Appends the flag to `F`, or its format 1 form to `fr` when it cannot be packed. */
  flag(v: unknown): void {
    const out: number[] = [];
    try {
      need(isObject(v) && isObject(v.config));
      const cfg = v.config;
      // Absent lists read as empty, as format 1's compiler reads them; an absent `on` is off.
      const targets = cfg.targets ?? [];
      const rules = cfg.rules ?? [];
      const prerequisites = cfg.prerequisites ?? [];
      need((cfg.on === undefined || typeof cfg.on === "boolean") && isDenseArray(targets) && isDenseArray(rules) && isDenseArray(prerequisites));
      need(cfg.version === undefined || (Number.isSafeInteger(cfg.version) && (cfg.version as number) >= 0));
      const extras: PackedFlagExtras = {};
      const cv = this.optStr(v.controlVariation);
      if (cv !== undefined) extras.cv = cv;
      if (targets.length > 0) {
        extras.tg = targets.flatMap((t) => {
          need(isObject(t));
          return [this.str(t.variation), this.list(t.values)];
        });
      }
      if (prerequisites.length > 0) {
        extras.pq = prerequisites.map((p) => {
          need(isObject(p));
          const packed = [this.str(p.flagKey), this.str(p.variation)];
          if (p.variations !== undefined) packed.push(this.list(p.variations));
          return packed;
        });
      }
      const hasExtras = Object.keys(extras).length > 0;
      out.push(
        this.str(v.key),
        this.strOrAbsent(v.kind),
        this.strOrAbsent(v.valueType),
        this.variations(v.variations),
        cfg.on === true ? 1 : 0,
        this.strOrAbsent(cfg.offVariation),
        this.serve(cfg.fallthrough),
        cfg.version === undefined ? 0 : (cfg.version as number) + 1,
        hasExtras ? this.fx.length : -1,
        rules.length,
      );
      for (const r of rules) this.rule(r, out);
      if (hasExtras) this.fx.push(extras);
    } catch (e) {
      if (!(e instanceof Unpackable)) throw e;
      this.F.push(-1, this.fr.length);
      this.fr.push(json(v));
      return;
    }
    for (const n of out) this.F.push(n);
  }

  segment(v: unknown): PackedSegment | { raw: unknown } {
    try {
      need(isObject(v) && isDenseArray(v.rules));
      return {
        k: this.str(v.key),
        i: this.list(v.included),
        e: this.list(v.excluded),
        r: v.rules.map((r) => {
          need(isObject(r));
          const packed: [number, number[], string?] = [this.str(r.id), this.clauseList(r.clauses)];
          if (r.match !== undefined) {
            need(typeof r.match === "string");
            packed.push(r.match);
          }
          return packed;
        }),
      };
    } catch (e) {
      if (!(e instanceof Unpackable)) throw e;
      return { raw: json(v) };
    }
  }
}

/**
 * Format 1 `{ flags, segments, optOutAttribute? }` → format 2. Deterministic. Pack once per
 * snapshot version, not per request (10,000 flags take a few hundred milliseconds).
 */
export function packSnapshot(input: { flags: readonly unknown[]; segments: readonly unknown[]; optOutAttribute?: string }): PackedSnapshot {
  const flags = isObject(input) && Array.isArray(input.flags) ? input.flags : [];
  const segments = isObject(input) && Array.isArray(input.segments) ? input.segments : [];
  const run = (pass: PackPass) => {
    const g = Array.from(segments, (seg) => pass.segment(seg));
    for (const f of flags) pass.flag(f);
    return g;
  };
  const strings = new Set<string>();
  run(new PackPass(strings, []));
  const pass = new PackPass(null, [...strings].sort());
  const g = run(pass);
  const out: PackedSnapshot = { format: PACKED_FORMAT, s: pass.s, o: pass.o, x: pass.x, c: pass.c, v: pass.v, ro: pass.ro, rx: pass.rx, fx: pass.fx, F: pass.F, fr: pass.fr, g };
  if (isObject(input) && typeof input.optOutAttribute === "string") out.optOutAttribute = input.optOutAttribute;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Reading (SDK / engine side)

function arr<T>(v: unknown): T[] {
  return Array.isArray(v) ? (v as T[]) : [];
}

const NO_CLAUSES: readonly Clause[] = Object.freeze([]);
const NO_ITEMS: readonly never[] = Object.freeze([]);
const NO_EXTRAS: PackedFlagExtras = Object.freeze({});

/**
 * Reads a packed snapshot's tables. Tolerates malformed input like format 1's compiler does (an
 * index out of range reads as undefined, a truncated `F` ends the flags): a broken payload never
 * throws out of `compilePackedSnapshot`.
 */
class PackReader {
  readonly s: string[];
  readonly o: number[];
  readonly x: unknown[][];
  readonly c: number[];
  readonly v: Variation[][];
  readonly F: number[];
  private readonly serves: (Serve | undefined)[] = [];
  private readonly rollouts: (Serve | undefined)[] = [];
  
  constructor(readonly p: PackedSnapshot) {
    this.s = arr<string>(p.s);
    this.o = arr<number>(p.o);
    this.x = arr<unknown[]>(p.x);
    this.c = arr<number>(p.c);
    this.v = arr<Variation[]>(p.v);
    this.F = arr<number>(p.F);
    this.sortedTable = isSortedStrings(this.s);
  }

  /** The string table is sorted as the packer sorts it, so lists in `o` come out sorted. */
  private readonly sortedTable: boolean;

  str(i: unknown): string | undefined {
    return typeof i === "number" ? this.s[i] : undefined;
  }

  private lists: { strings: string[]; starts: Uint8Array } | undefined;

  /**
   * Every list of `o` decoded into one array aligned with `o` (list `ref`'s strings at `ref + 1` …),
   * which the in-clause matchers share: one large array instead of one small array per clause,
   * which also spares the garbage collector copying tens of thousands of them. `starts` marks where
   * the lists, read one after the other, start; a reference elsewhere (malformed) is read with `list`.
   */
  decodedLists(): { strings: string[]; starts: Uint8Array } {
    if (this.lists !== undefined) return this.lists;
    const o = this.o;
    const s = this.s;
    const strings = new Array<string>(o.length);
    const starts = new Uint8Array(o.length);
    for (let at = 0; at < o.length; ) {
      const n = o[at];
      if (typeof n !== "number" || !(n >= 0) || at + n >= o.length) break;
      starts[at] = 1;
      let id = 0;
      for (let i = at + 1; i <= at + n; i++) strings[i] = s[(id += o[i])];
      at += n + 1;
    }
    return (this.lists = { strings, starts });
  }

  /** A fresh array (the caller may keep it). */
  list(ref: unknown): unknown[] {
    if (typeof ref !== "number") return [];
    if (ref < 0) return arr(this.x[-ref - 1]).slice();
    const o = this.o;
    const n = o[ref];
    if (typeof n !== "number" || !(n >= 0) || ref + n >= o.length) return [];
    const out = new Array<string>(n);
    let id = 0;
    for (let i = 0; i < n; i++) {
      id += o[ref + 1 + i];
      out[i] = this.s[id];
    }
    return out;
  }

  /**
   * Clause `n` compiled. The common `in` / `notIn` on a string list (sorted and de-duplicated in
   * `o`) goes straight to its matcher; everything else through format 1's clause compiler.
   */
  compileClause(n: number, segments: ClauseCompiler["segments"]): ClauseMatcher {
    const c4 = this.c;
    const at = n * 4;
    const list = c4[at + 2];
    const flags = c4[at + 3];
    if (this.sortedTable && list >= 0 && (flags & 2) === 0 && c4[at + 1] >= 0) {
      const op = this.s[c4[at]];
      const attribute = this.s[c4[at + 1]];
      if ((op === "in" || op === "notIn") && typeof attribute === "string") {
        const notIn = op === "notIn";
        const lists = this.decodedLists();
        if (lists.starts[list] === 1) {
          return compileSortedInClause(attribute, notIn, (flags & 1) !== 0, (flags & 4) !== 0, lists.strings, list + 1, list + 1 + this.o[list]);
        }
        const own = this.list(list) as string[];
        return compileSortedInClause(attribute, notIn, (flags & 1) !== 0, (flags & 4) !== 0, own, 0, own.length);
      }
    }
    return compileClauseMatcher(this.clause(n), segments, true);
  }

  /** Clause `n` in format 1, with a fresh values array. */
  clause(n: number): Clause {
    const c4 = this.c;
    const at = n * 4;
    const c = { attribute: this.str(c4[at + 1]) as string, op: this.str(c4[at]) as Clause["op"], values: this.list(c4[at + 2]) as Clause["values"] };
    if (c.attribute === undefined) delete (c as Partial<Clause>).attribute;
    const flags = c4[at + 3] | 0;
    if (flags & 1) (c as Clause).negate = true;
    if (flags & 2) (c as Clause).caseInsensitive = true;
    if (flags & 4) (c as Clause).negateMatchesMissing = true;
    return c;
  }

  /** A serve; the same object for the same code (serves are read-only). */
  serve(code: number): Serve {
    if (code >= 0) return (this.serves[code] ??= { variation: this.str(code) as string });
    const i = -code - 1;
    return (this.rollouts[i] ??= this.rollout(arr<PackedRollout>(this.p.ro)[i]));
  }

  private rollout(p: unknown): Serve {
    const r = (isObject(p) ? p : {}) as Partial<PackedRollout>;
    const w = arr<unknown>(r.w);
    const weights = new Array<{ variation: string; weight: number }>(w.length >> 1);
    for (let i = 0; i < weights.length; i++) weights[i] = { variation: this.str(w[2 * i]) as string, weight: w[2 * i + 1] as number };
    const rollout: Extract<Serve, { rollout: unknown }>["rollout"] = { weights };
    if (r.b !== undefined) rollout.bucketBy = this.str(r.b);
    if (r.sd !== undefined) rollout.seed = this.str(r.sd);
    if (r.u !== undefined) rollout.unleash = r.u as never;
    if (r.ov !== undefined) rollout.overrides = r.ov as never;
    return { rollout };
  }

  /** The previous flag's bare rules by position: flags often repeat their neighbour's rule list. */
  private readonly lastRules: { id: number; serve: number; rx: number; rule: Rule }[] = [];

  /** A rule without its clauses, shared with the previous flag's rule at this position when equal. */
  private bareRule(position: number, id: number, serve: number, rx: number): Rule {
    const last = this.lastRules[position];
    if (last !== undefined && last.id === id && last.serve === serve && last.rx === rx) return last.rule;
    const rule = this.rule(id, serve, rx, NO_CLAUSES as Clause[]);
    this.lastRules[position] = { id, serve, rx, rule };
    return rule;
  }

  private rule(id: number, serve: number, rx: number, clauses: Clause[]): Rule {
    const rule = { id: this.str(id) } as Rule;
    const extras = rx >= 0 ? arr<PackedRuleExtras>(this.p.rx)[rx] : undefined;
    if (extras?.d !== undefined) rule.description = this.str(extras.d);
    if (extras?.m !== undefined) rule.match = extras.m as Rule["match"];
    rule.clauses = clauses;
    rule.serve = this.serve(serve);
    if (extras?.cv !== undefined) rule.coverage = extras.cv as Rule["coverage"];
    return rule;
  }

  /** Set by `readFlag`: the flag read, where the next one starts, and where its rules' clause lists start. */
  flag: unknown = undefined;
  next = 0;
  ruleCount = 0;
  /** Positions in `F` of each rule's clause count (scratch, reused: valid for `ruleCount` entries). */
  readonly ruleAt: number[] = [];

  /**
   * Reads the flag at `at` in `F` (its format 1 form when raw) into `flag`, `next`, `ruleCount` and
   * `ruleAt`; false past the end or when the record is truncated. With `withClauses`, rules carry
   * fresh clause objects (unpack); without, they are shared bare rules and the clauses are left to
   * `ruleAt` (compile). Fills fields instead of returning an object: no allocation per flag.
   */
  readFlag(at: number, withClauses: boolean): boolean {
    const F = this.F;
    if (at >= F.length) return false;
    if (F[at] === -1) {
      this.flag = arr<unknown>(this.p.fr)[F[at + 1]];
      this.next = at + 2;
      this.ruleCount = 0;
      return true;
    }
    if (at + 10 > F.length) return false;
    const ruleCount = F[at + 9];
    let pos = at + 10;
    const rules = new Array<Rule>(ruleCount >= 0 && ruleCount <= F.length ? ruleCount : 0);
    const ruleAt = this.ruleAt;
    for (let r = 0; r < rules.length; r++) {
      if (pos + 4 > F.length) return false;
      const n = F[pos + 3];
      if (!(n >= 0) || pos + 4 + n > F.length) return false;
      ruleAt[r] = pos + 3;
      if (withClauses) {
        const clauses = new Array<Clause>(n);
        for (let j = 0; j < n; j++) clauses[j] = this.clause(F[pos + 4 + j]);
        rules[r] = this.rule(F[pos], F[pos + 1], F[pos + 2], clauses);
      } else rules[r] = this.bareRule(r, F[pos], F[pos + 1], F[pos + 2]);
      pos += 4 + n;
    }
    const fxIndex = F[at + 8];
    const extras: PackedFlagExtras = (fxIndex >= 0 ? arr<PackedFlagExtras>(this.p.fx)[fxIndex] : undefined) ?? NO_EXTRAS;
    const tg = arr<number>(extras.tg);
    let targets = NO_ITEMS as never[] as { variation: string; values: string[] }[];
    if (tg.length > 1 || withClauses) {
      targets = new Array<{ variation: string; values: string[] }>(tg.length >> 1);
      for (let i = 0; i < targets.length; i++) targets[i] = { variation: this.str(tg[2 * i]) as string, values: this.list(tg[2 * i + 1]) as string[] };
    }
    const pq = arr<number[]>(extras.pq);
    const config: FlagConfig = {
      on: F[at + 4] === 1,
      offVariation: this.str(F[at + 5]) as string,
      targets,
      rules,
      fallthrough: this.serve(F[at + 6]),
      prerequisites:
        pq.length === 0 && !withClauses
          ? (NO_ITEMS as never[])
          : pq.map((q) => {
              const pre: FlagConfig["prerequisites"][number] = { flagKey: this.str(q[0]) as string, variation: this.str(q[1]) as string };
              if (q.length > 2) pre.variations = this.list(q[2]) as string[];
              return pre;
            }),
    };
    if (F[at + 7] > 0) config.version = F[at + 7] - 1;
    const flag: Flag = {
      key: this.str(F[at]) as string,
      kind: this.str(F[at + 1]) as Flag["kind"],
      valueType: this.str(F[at + 2]) as Flag["valueType"],
      variations: this.v[F[at + 3]],
      config,
    };
    if (extras.cv !== undefined) flag.controlVariation = this.str(extras.cv);
    this.flag = flag;
    this.next = pos;
    this.ruleCount = rules.length;
    return true;
  }

  segment(p: PackedSegment): Segment {
    return {
      key: this.str(p.k) as string,
      included: this.list(p.i) as string[],
      excluded: this.list(p.e) as string[],
      rules: arr<[number, number[], string?]>(p.r).map((r) => {
        const rule: SegmentRule = { id: this.str(r[0]) as string, clauses: arr<number>(r[1]).map((n) => this.clause(n)) };
        if (r[2] !== undefined) rule.match = r[2] as SegmentRule["match"];
        return rule;
      }),
    };
  }
}

/** Strictly ascending strings (a plain loop: this runs once per load over tens of thousands). */
function isSortedStrings(s: readonly unknown[]): boolean {
  let prev = "";
  for (let i = 0; i < s.length; i++) {
    const str = s[i];
    if (typeof str !== "string" || (i > 0 && !(prev < str))) return false;
    prev = str;
  }
  return true;
}

function isRaw(v: unknown): v is { raw: unknown } {
  return isObject(v) && "raw" in v;
}

/** Is this (parsed JSON) a format 2 snapshot? */
export function isPackedSnapshot(v: unknown): v is PackedSnapshot {
  return isObject(v) && v.format === PACKED_FORMAT;
}

function segmentsOf(reader: PackReader): Segment[] {
  return arr<unknown>(reader.p.g).map((s) => (isRaw(s) ? s.raw : isObject(s) ? safely(() => reader.segment(s as unknown as PackedSegment)) : s)) as Segment[];
}

/** Format 2 → format 1 `{ flags, segments, optOutAttribute? }` (operand and key lists canonical). */
export function unpackSnapshot(p: PackedSnapshot): { flags: Flag[]; segments: Segment[]; optOutAttribute?: string } {
  const packed = (isObject(p) ? p : {}) as PackedSnapshot;
  const reader = new PackReader(packed);
  const flags: Flag[] = [];
  for (let at = 0; reader.readFlag(at, true); at = reader.next) flags.push(reader.flag as Flag);
  const out: { flags: Flag[]; segments: Segment[]; optOutAttribute?: string } = { flags, segments: segmentsOf(reader) };
  if (typeof packed.optOutAttribute === "string") out.optOutAttribute = packed.optOutAttribute;
  return out;
}

/**
 * Format 2 → the compiled snapshot `evaluateFlag` reads, identical in behaviour to
 * `compileSnapshot(unpackSnapshot(p))`. Each distinct clause is compiled once, straight from the
 * clause table, and each flag's rules become one RuleSet of those shared matchers; rules without
 * their clauses, serves and empty lists are shared between flags, so a flag costs a few objects.
 * Everything is compiled now (eager): nothing is left for the first evaluation. Never throws.
 */
export function compilePackedSnapshot(p: PackedSnapshot): CompiledSnapshot {
  const packed = (isObject(p) ? p : {}) as PackedSnapshot;
  const reader = new PackReader(packed);
  return assembleSnapshot(segmentsOf(reader), packed.optOutAttribute, (cx, add) => {
    const clauseCount = reader.c.length >> 2;
    const matchers = new Array<ClauseMatcher | undefined>(clauseCount).fill(undefined);
    const F = reader.F;
    const ruleAt = reader.ruleAt;
    const matcher = (n: number): ClauseMatcher =>
      n >= 0 && n < clauseCount ? (matchers[n] ??= reader.compileClause(n, cx.segments)) : cx.clause(undefined as unknown as Clause);
    // Flags usually have the same rule shape as their neighbour: share its `ends` (read-only).
    let lastEnds: number[] = [];
    for (let at = 0; reader.readFlag(at, false); at = reader.next) {
      const flag = reader.flag as Flag;
      const ruleCount = reader.ruleCount;
      if (ruleCount === 0 || flag?.config?.on !== true) {
        add(flag, undefined);
        continue;
      }
      // The flag's rules as one RuleSet (what ClauseCompiler.rules builds from format 1).
      let total = 0;
      let sameEnds = lastEnds.length === ruleCount;
      for (let r = 0; r < ruleCount; r++) {
        total += F[ruleAt[r]];
        if (sameEnds && lastEnds[r] !== total) sameEnds = false;
      }
      const clauses = new Array<ClauseMatcher>(total);
      let any: boolean[] | null = null;
      let k = 0;
      for (let r = 0; r < ruleCount; r++) {
        const at = ruleAt[r];
        const n = F[at];
        for (let j = 1; j <= n; j++) clauses[k++] = matcher(F[at + j]);
        if (flag.config.rules[r].match === "any") (any ??= new Array<boolean>(ruleCount).fill(false))[r] = true;
      }
      if (!sameEnds) {
        lastEnds = new Array<number>(ruleCount);
        for (let r = 0, e = 0; r < ruleCount; r++) lastEnds[r] = e += F[ruleAt[r]];
      }
      add(flag, new RuleSet(clauses, lastEnds, any));
    }
  });
}

function safely<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}
