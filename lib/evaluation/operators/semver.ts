/**
 * Semantic versions (semver 2.0.0), parsed the way node-semver does in strict mode, which is what
 * Unleash uses: `MAJOR.MINOR.PATCH[-prerelease][+build]`, no leading zeros, surrounding spaces
 * ignored. Context values must not start with `v` (Unleash rejects them); operands may.
 * Ordering follows the spec: a prerelease sorts before its release, prerelease identifiers compare
 * numerically when numeric, numeric ones sort before alphanumeric ones, a shorter list of equal
 * identifiers sorts first, and build metadata is ignored.
 */

export interface SemVer {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** Prerelease identifiers (numbers for numeric ones); empty for a release. */
  readonly pre: readonly (string | number)[];
}

const PRE_ID = String.raw`(?:0|[1-9]\d*|\d*[a-zA-Z-][a-zA-Z0-9-]*)`;
const SEMVER_RE = new RegExp(
  String.raw`^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)` +
    String.raw`(?:-(${PRE_ID}(?:\.${PRE_ID})*))?` +
    String.raw`(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$`,
);
const MAX_LENGTH = 256;

export function parseSemver(input: string, allowV = true): SemVer | null {
  if (input.length > MAX_LENGTH) return null;
  const s = input.trim();
  if (!allowV && (input.startsWith("v") || s.startsWith("v"))) return null;
  const m = SEMVER_RE.exec(s);
  if (m === null) return null;
  const major = Number(m[1]);
  const minor = Number(m[2]);
  const patch = Number(m[3]);
  if (major > Number.MAX_SAFE_INTEGER || minor > Number.MAX_SAFE_INTEGER || patch > Number.MAX_SAFE_INTEGER) return null;
  const pre: (string | number)[] = [];
  if (m[4] !== undefined) {
    for (const id of m[4].split(".")) {
      if (/^\d+$/.test(id)) {
        const n = Number(id);
        pre.push(n <= Number.MAX_SAFE_INTEGER ? n : id);
      } else pre.push(id);
    }
  }
  return { major, minor, patch, pre };
}

export function compareSemver(a: SemVer, b: SemVer): number {
  if (a.major !== b.major) return a.major < b.major ? -1 : 1;
  if (a.minor !== b.minor) return a.minor < b.minor ? -1 : 1;
  if (a.patch !== b.patch) return a.patch < b.patch ? -1 : 1;
  const ap = a.pre;
  const bp = b.pre;
  if (ap.length === 0) return bp.length === 0 ? 0 : 1;
  if (bp.length === 0) return -1;
  const n = Math.min(ap.length, bp.length);
  for (let i = 0; i < n; i++) {
    const x = ap[i];
    const y = bp[i];
    if (x === y) continue;
    const xn = typeof x === "number";
    const yn = typeof y === "number";
    if (xn && yn) return x < y ? -1 : 1;
    if (xn) return -1;
    if (yn) return 1;
    return x < y ? -1 : 1;
  }
  return ap.length === bp.length ? 0 : ap.length < bp.length ? -1 : 1;
}

// Apps send few distinct versions, and one evaluation often tests the same version in several
// clauses: a bounded cache keeps parsing off the hot path.
const cache = new Map<string, SemVer | null>();
const CACHE_MAX = 4096;

/** Parse a context value (strict: no `v` prefix), memoised. */
export function contextSemver(value: string): SemVer | null {
  let v = cache.get(value);
  if (v === undefined) {
    v = parseSemver(value, false);
    if (cache.size >= CACHE_MAX) cache.clear();
    cache.set(value, v);
  }
  return v;
}
