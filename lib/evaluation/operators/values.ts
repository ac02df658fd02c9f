/**
 * How context values are read by the operators. A value that an operator cannot use (an object
 * for a string operator, "abc" for a numeric one) is treated like a missing attribute: the clause
 * does not match, negated or not (unless the clause sets `negateMatchesMissing`).
 */

/** Attribute whose absence means "now": date clauses on it compare the evaluation clock. */
export const CLOCK_ATTRIBUTE = "currentTime";

/** String form for string operators and list membership: strings, finite numbers, booleans. */
export function toStr(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : undefined;
  if (typeof v === "boolean") return v ? "true" : "false";
  return undefined;
}

/** A number from a number or a numeric string (surrounding spaces allowed); NaN otherwise. */
export function toNum(v: unknown): number {
  if (typeof v === "number") return v;
  if (typeof v === "string") {
    if (v.length === 0 || v.trim().length === 0) return NaN;
    return Number(v);
  }
  return NaN;
}

const EPOCH_MS = /^-?\d{1,16}$/;

/** Milliseconds since the epoch from epoch ms (number or digits), an ISO-8601 string or a Date. */
export function toTime(v: unknown): number {
  if (typeof v === "number") return Number.isFinite(v) ? v : NaN;
  if (typeof v === "string") {
    const s = v.trim();
    if (EPOCH_MS.test(s)) return Number(s);
    return s.length === 0 ? NaN : Date.parse(s);
  }
  if (v instanceof Date) return v.getTime();
  return NaN;
}
