import { RE2JS } from "re2js";

/**
 * Regular expressions for the `matches` operator use RE2 syntax and run on re2js, a JavaScript
 * port of RE2 whose matching time is linear in the input: no pattern can make an evaluation hang.
 * It is also what Unleash's Node SDK uses, so imported REGEX constraints behave identically
 * (`(?i)`, `(?s)`, `[[:alpha:]]`, `\b`, ...). Patterns are compiled once, when a snapshot is built.
 *
 * On top of that, `checkRegexSafety` is the policy enforced when a configuration is saved: no
 * backreferences or lookarounds (RE2 has neither, and they are what makes backtracking engines
 * explode), and no nested or overlapping quantifiers (`(a+)+`, `(a|ab)*`, `\d+\d+`), which are
 * catastrophic in the backtracking engines SDKs in other languages might use. It parses the
 * pattern with a small RE2-syntax parser; it is conservative (it may reject a harmless pattern,
 * never the reverse for the shapes above).
 */

export type CompiledRegex = RE2JS;

/** Compile for evaluation; null when RE2 rejects the pattern (it then never matches). */
export function compileRegex(pattern: string, caseInsensitive: boolean): CompiledRegex | null {
  try {
    return RE2JS.compile(pattern, caseInsensitive ? RE2JS.CASE_INSENSITIVE : 0);
  } catch {
    return null;
  }
}

export function regexTest(re: CompiledRegex, input: string): boolean {
  return re.test(input);
}

export type RegexProblem =
  | { code: "regex_invalid"; message: string }
  | { code: "regex_backreference"; message: string }
  | { code: "regex_lookaround"; message: string }
  | { code: "regex_nested_quantifier"; message: string }
  | { code: "regex_overlapping_quantifier"; message: string }
  | { code: "regex_too_long"; message: string };

export const MAX_REGEX_LENGTH = 1000;

/** null when the pattern is acceptable; otherwise what is wrong, in plain words. */
export function checkRegexSafety(pattern: string, caseInsensitive = false): RegexProblem | null {
  if (pattern.length > MAX_REGEX_LENGTH) {
    return { code: "regex_too_long", message: `is longer than ${MAX_REGEX_LENGTH} characters` };
  }
  let ast: Node;
  try {
    ast = new Parser(pattern, caseInsensitive).parse();
  } catch (e) {
    if (e instanceof RegexPolicyError) return e.problem;
    return { code: "regex_invalid", message: `is not a valid regular expression (${(e as Error).message})` };
  }
  const problem = findDanger(ast);
  if (problem) return problem;
  if (compileRegex(pattern, caseInsensitive) === null) {
    return { code: "regex_invalid", message: "is not a valid regular expression" };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// A small parser for RE2 syntax, enough to find the dangerous shapes.

/** Character sets as sorted, disjoint [lo, hi] code point ranges. */
type CharSet = number[];
const ANY: CharSet = [0, 0x10ffff];
const DIGIT: CharSet = [0x30, 0x39];
const WORD: CharSet = [0x30, 0x39, 0x41, 0x5a, 0x5f, 0x5f, 0x61, 0x7a];
const SPACE: CharSet = [0x09, 0x0d, 0x20, 0x20];

type Node =
  | { t: "set"; set: CharSet }
  | { t: "seq"; items: Node[] }
  | { t: "alt"; branches: Node[] }
  | { t: "rep"; body: Node; min: number; max: number }
  | { t: "empty" };

class RegexPolicyError extends Error {
  constructor(readonly problem: RegexProblem) {
    super(problem.message);
  }
}

function normalize(ranges: number[]): CharSet {
  const pairs: [number, number][] = [];
  for (let i = 0; i < ranges.length; i += 2) pairs.push([ranges[i], ranges[i + 1]]);
  pairs.sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  for (const [lo, hi] of pairs) {
    const n = out.length;
    if (n > 0 && lo <= out[n - 1] + 1) out[n - 1] = Math.max(out[n - 1], hi);
    else out.push(lo, hi);
  }
  return out;
}

function complement(set: CharSet): CharSet {
  const out: number[] = [];
  let next = 0;
  for (let i = 0; i < set.length; i += 2) {
    if (set[i] > next) out.push(next, set[i] - 1);
    next = set[i + 1] + 1;
  }
  if (next <= 0x10ffff) out.push(next, 0x10ffff);
  return out;
}

function foldCase(set: CharSet): CharSet {
  const extra: number[] = [];
  for (let i = 0; i < set.length; i += 2) {
    const lo = set[i];
    const hi = set[i + 1];
    const a = Math.max(lo, 0x41);
    const b = Math.min(hi, 0x5a);
    if (a <= b) extra.push(a + 32, b + 32);
    const c = Math.max(lo, 0x61);
    const d = Math.min(hi, 0x7a);
    if (c <= d) extra.push(c - 32, d - 32);
  }
  return extra.length ? normalize([...set, ...extra]) : set;
}

function overlaps(a: CharSet, b: CharSet): boolean {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i + 1] < b[j]) i += 2;
    else if (b[j + 1] < a[i]) j += 2;
    else return true;
  }
  return false;
}

const POSIX: Record<string, CharSet> = {
  alnum: [0x30, 0x39, 0x41, 0x5a, 0x61, 0x7a],
  alpha: [0x41, 0x5a, 0x61, 0x7a],
  ascii: [0, 0x7f],
  blank: [0x09, 0x09, 0x20, 0x20],
  cntrl: [0, 0x1f, 0x7f, 0x7f],
  digit: DIGIT,
  graph: [0x21, 0x7e],
  lower: [0x61, 0x7a],
  print: [0x20, 0x7e],
  punct: [0x21, 0x2f, 0x3a, 0x40, 0x5b, 0x60, 0x7b, 0x7e],
  space: [0x09, 0x0d, 0x20, 0x20],
  upper: [0x41, 0x5a],
  word: WORD,
  xdigit: [0x30, 0x39, 0x41, 0x46, 0x61, 0x66],
};

class Parser {
  private i = 0;
  private ci: boolean;
  constructor(
    private readonly s: string,
    caseInsensitive: boolean,
  ) {
    this.ci = caseInsensitive;
  }

  parse(): Node {
    const node = this.alternation();
    if (this.i < this.s.length) throw new Error(`unexpected "${this.s[this.i]}"`);
    return node;
  }

  private alternation(): Node {
    const branches = [this.sequence()];
    while (this.s[this.i] === "|") {
      this.i++;
      branches.push(this.sequence());
    }
    return branches.length === 1 ? branches[0] : { t: "alt", branches };
  }

  private sequence(): Node {
    const items: Node[] = [];
    while (this.i < this.s.length && this.s[this.i] !== "|" && this.s[this.i] !== ")") {
      const atom = this.atom();
      if (atom === null) continue;
      items.push(this.quantified(atom));
    }
    return items.length === 1 ? items[0] : { t: "seq", items };
  }

  private quantified(atom: Node): Node {
    let node = atom;
    for (;;) {
      const c = this.s[this.i];
      let min: number;
      let max: number;
      if (c === "*") [min, max] = [0, Infinity];
      else if (c === "+") [min, max] = [1, Infinity];
      else if (c === "?") [min, max] = [0, 1];
      else if (c === "{") {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(this.s.slice(this.i));
        if (!m) return node; // RE2 treats a malformed brace as a literal
        min = Number(m[1]);
        max = m[2] === undefined ? min : m[3] === "" ? Infinity : Number(m[3]);
        if (max < min || min > 1000 || (max !== Infinity && max > 1000)) throw new Error("bad repetition count");
        this.i += m[0].length - 1;
      } else return node;
      this.i++;
      if (this.s[this.i] === "?") this.i++;
      else if (this.s[this.i] === "+") throw new Error("possessive quantifiers are not supported");
      if (node.t === "rep") throw new Error("repeated quantifier");
      node = { t: "rep", body: node, min, max };
    }
  }

  private set(set: CharSet): Node {
    return { t: "set", set: this.ci ? foldCase(set) : set };
  }

  private atom(): Node | null {
    const s = this.s;
    const c = s[this.i++];
    switch (c) {
      case "(":
        return this.group();
      case "[":
        return this.set(this.charClass());
      case ".":
        return { t: "set", set: ANY };
      case "^":
      case "$":
        return { t: "empty" };
      case "\\":
        return this.escape(false) as Node;
      case "*":
      case "+":
      case "?":
        throw new Error("missing argument to repetition operator");
      default: {
        const cp = s.codePointAt(this.i - 1)!;
        if (cp > 0xffff) this.i++;
        return this.set([cp, cp]);
      }
    }
  }

  private group(): Node | null {
    const s = this.s;
    if (s[this.i] === "?") {
      const rest = s.slice(this.i);
      if (/^\?(=|!|<=|<!)/.test(rest)) {
        throw new RegexPolicyError({
          code: "regex_lookaround",
          message: "uses a lookahead or lookbehind, which is not allowed (it can make matching slow)",
        });
      }
      const named = /^\?P?<[A-Za-z_][A-Za-z0-9_]*>/.exec(rest);
      if (named) {
        this.i += named[0].length;
      } else {
        const flags = /^\?([imsU]*)(?:-([imsU]*))?(:|\))/.exec(rest);
        if (!flags) throw new Error("invalid group");
        this.i += flags[0].length;
        const savedCi = this.ci;
        if (flags[1].includes("i")) this.ci = true;
        if (flags[2]?.includes("i")) this.ci = false;
        if (flags[3] === ")") return null; // (?i) applies to the rest of the enclosing group
        const body = this.alternation();
        this.expect(")");
        this.ci = savedCi;
        return body;
      }
    }
    const savedCi = this.ci;
    const body = this.alternation();
    this.expect(")");
    this.ci = savedCi;
    return body;
  }

  private expect(ch: string): void {
    if (this.s[this.i] !== ch) throw new Error(`missing "${ch}"`);
    this.i++;
  }

  /** After a backslash. In a class, assertions are not allowed and sets are returned as such. */
  private escape(inClass: boolean): Node | CharSet {
    const s = this.s;
    const c = s[this.i++];
    if (c === undefined) throw new Error("trailing backslash");
    const wrap = (set: CharSet): Node | CharSet => (inClass ? set : this.set(set));
    if (c >= "1" && c <= "9") {
      throw new RegexPolicyError({
        code: "regex_backreference",
        message: "uses a backreference (like \\1), which is not allowed (it can make matching slow)",
      });
    }
    switch (c) {
      case "k":
        throw new RegexPolicyError({
          code: "regex_backreference",
          message: "uses a named backreference, which is not allowed (it can make matching slow)",
        });
      case "d":
        return wrap(DIGIT);
      case "D":
        return wrap(complement(DIGIT));
      case "w":
        return wrap(WORD);
      case "W":
        return wrap(complement(WORD));
      case "s":
        return wrap(SPACE);
      case "S":
        return wrap(complement(SPACE));
      case "p":
      case "P": {
        if (s[this.i] === "{") {
          const end = s.indexOf("}", this.i);
          if (end === -1) throw new Error("unterminated \\p{");
          this.i = end + 1;
        } else this.i++;
        return wrap(ANY);
      }
      case "b":
      case "B":
      case "A":
      case "z":
        if (inClass) throw new Error(`\\${c} is not allowed in a class`);
        return { t: "empty" };
      case "Q": {
        const end = s.indexOf("\\E", this.i);
        const lit = s.slice(this.i, end === -1 ? s.length : end);
        this.i = end === -1 ? s.length : end + 2;
        if (inClass) throw new Error("\\Q is not allowed in a class");
        return { t: "seq", items: [...lit].map((ch) => this.set([ch.codePointAt(0)!, ch.codePointAt(0)!])) };
      }
      case "x": {
        let cp: number;
        if (s[this.i] === "{") {
          const end = s.indexOf("}", this.i);
          cp = parseInt(s.slice(this.i + 1, end), 16);
          this.i = end + 1;
        } else {
          cp = parseInt(s.slice(this.i, this.i + 2), 16);
          this.i += 2;
        }
        if (!Number.isFinite(cp)) throw new Error("bad \\x escape");
        return wrap([cp, cp]);
      }
      case "0": {
        const m = /^[0-7]{0,2}/.exec(s.slice(this.i))![0];
        this.i += m.length;
        const cp = parseInt("0" + m, 8);
        return wrap([cp, cp]);
      }
      case "n":
        return wrap([10, 10]);
      case "r":
        return wrap([13, 13]);
      case "t":
        return wrap([9, 9]);
      case "f":
        return wrap([12, 12]);
      case "v":
        return wrap([11, 11]);
      case "a":
        return wrap([7, 7]);
      default: {
        if (/[A-Za-z0-9]/.test(c)) throw new Error(`invalid escape \\${c}`);
        const cp = c.codePointAt(0)!;
        return wrap([cp, cp]);
      }
    }
  }

  private charClass(): CharSet {
    const s = this.s;
    let negate = false;
    if (s[this.i] === "^") {
      negate = true;
      this.i++;
    }
    const ranges: number[] = [];
    let first = true;
    while (this.i < s.length && (s[this.i] !== "]" || first)) {
      first = false;
      if (s.startsWith("[:", this.i)) {
        const end = s.indexOf(":]", this.i + 2);
        if (end !== -1) {
          let name = s.slice(this.i + 2, end);
          const neg = name.startsWith("^");
          if (neg) name = name.slice(1);
          const set = POSIX[name];
          if (!set) throw new Error(`invalid character class [:${name}:]`);
          ranges.push(...(neg ? complement(set) : set));
          this.i = end + 2;
          continue;
        }
      }
      const lo = this.classChar();
      if (Array.isArray(lo)) {
        ranges.push(...lo);
        continue;
      }
      if (s[this.i] === "-" && s[this.i + 1] !== "]" && this.i + 1 < s.length) {
        this.i++;
        const hi = this.classChar();
        if (Array.isArray(hi) || hi < lo) throw new Error("invalid character class range");
        ranges.push(lo, hi);
      } else ranges.push(lo, lo);
    }
    this.expect("]");
    const set = normalize(ranges);
    return negate ? complement(set) : set;
  }

  /** A code point, or a set for class escapes like \d. */
  private classChar(): number | CharSet {
    const s = this.s;
    if (s[this.i] === "\\") {
      this.i++;
      const r = this.escape(true) as CharSet;
      return r.length === 2 && r[0] === r[1] ? r[0] : r;
    }
    const cp = s.codePointAt(this.i)!;
    this.i += cp > 0xffff ? 2 : 1;
    return cp;
  }
}

// ---------------------------------------------------------------------------------------------

function nullable(n: Node): boolean {
  switch (n.t) {
    case "set":
      return false;
    case "empty":
      return true;
    case "seq":
      return n.items.every(nullable);
    case "alt":
      return n.branches.some(nullable);
    case "rep":
      return n.min === 0 || nullable(n.body);
  }
}

function firstSet(n: Node): CharSet {
  switch (n.t) {
    case "set":
      return n.set;
    case "empty":
      return [];
    case "seq": {
      let out: number[] = [];
      for (const it of n.items) {
        out = normalize([...out, ...firstSet(it)]);
        if (!nullable(it)) break;
      }
      return out;
    }
    case "alt":
      return normalize(n.branches.flatMap(firstSet));
    case "rep":
      return firstSet(n.body);
  }
}

function allChars(n: Node): CharSet {
  switch (n.t) {
    case "set":
      return n.set;
    case "empty":
      return [];
    case "seq":
      return normalize(n.items.flatMap(allChars));
    case "alt":
      return normalize(n.branches.flatMap(allChars));
    case "rep":
      return allChars(n.body);
  }
}

/** A repetition whose count varies and can exceed one: the source of backtracking. */
function isVariable(n: Node): boolean {
  return n.t === "rep" && n.min !== n.max && n.max > 1;
}

function containsVariable(n: Node): boolean {
  switch (n.t) {
    case "rep":
      return isVariable(n) || containsVariable(n.body);
    case "seq":
      return n.items.some(containsVariable);
    case "alt":
      return n.branches.some(containsVariable);
    default:
      return false;
  }
}

function findDanger(n: Node): RegexProblem | null {
  switch (n.t) {
    case "rep": {
      if (isVariable(n) && containsVariable(n.body)) {
        return {
          code: "regex_nested_quantifier",
          message: "repeats a part that is itself repeated (like (a+)+), which can make matching very slow",
        };
      }
      if (n.max > 1 && hasOverlappingBranches(n.body)) {
        return {
          code: "regex_overlapping_quantifier",
          message: "repeats alternatives that can match the same text (like (a|ab)*), which can make matching very slow",
        };
      }
      return findDanger(n.body);
    }
    case "alt":
      for (const b of n.branches) {
        const p = findDanger(b);
        if (p) return p;
      }
      return null;
    case "seq": {
      for (const it of n.items) {
        const p = findDanger(it);
        if (p) return p;
      }
      // Two unbounded repetitions that can take the same characters, with nothing mandatory
      // between them (like \d+\d* or .*x?.*), backtrack quadratically or worse.
      for (let i = 0; i < n.items.length; i++) {
        const a = n.items[i];
        if (!(a.t === "rep" && a.max === Infinity)) continue;
        const aChars = allChars(a);
        for (let j = i + 1; j < n.items.length; j++) {
          const b = n.items[j];
          if (b.t === "rep" && b.max === Infinity && overlaps(aChars, allChars(b))) {
            return {
              code: "regex_overlapping_quantifier",
              message: "has two repeated parts next to each other that can match the same characters (like \\d+\\d+), which can make matching very slow",
            };
          }
          if (!nullable(b)) break;
        }
      }
      return null;
    }
    default:
      return null;
  }
}

function hasOverlappingBranches(n: Node): boolean {
  if (n.t !== "alt") return false;
  const firsts = n.branches.map(firstSet);
  for (let i = 0; i < firsts.length; i++) {
    for (let j = i + 1; j < firsts.length; j++) if (overlaps(firsts[i], firsts[j])) return true;
  }
  return false;
}
