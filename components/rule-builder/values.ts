import { checkRegexSafety } from "@/lib/evaluation/operators/regex";
import { parseCidr } from "@/lib/evaluation/operators/cidr";
import { parseSemver } from "@/lib/evaluation/operators/semver";
import type { AttributeType, ClauseValue, Operator } from "@/lib/evaluation/types";

/**
 * Which input fits a condition's values, and how typed or pasted text becomes operands. Pure, so
 * the builder's inputs and the unit tests share it.
 */
export type ValueKind = "none" | "segments" | "allowed" | "boolean" | "number" | "semver" | "date" | "regex" | "cidr" | "text";

export function valueKind(type: AttributeType | undefined, op: Operator, allowedValues?: readonly ClauseValue[]): ValueKind {
  switch (op) {
    case "inSegment":
    case "notInSegment":
      return "segments";
    case "exists":
      return "none";
    case "matches":
      return "regex";
    case "inCidr":
      return "cidr";
    case "lt":
    case "lte":
    case "gt":
    case "gte":
      return "number";
    case "before":
    case "after":
      return "date";
    case "semverEq":
    case "semverLt":
    case "semverGt":
    case "semverGte":
    case "semverLte":
      return "semver";
    case "in":
    case "notIn":
    case "equals":
      if (allowedValues && allowedValues.length > 0) return "allowed";
      if (type === "number") return "number";
      if (type === "boolean") return "boolean";
      if (type === "semver") return "semver";
      return "text";
    default:
      return "text";
  }
}

export type ParsedValue = { ok: true; value: ClauseValue } | { ok: false; error: string };

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** One operand from what was typed, or the sentence that says what to type instead. */
export function parseValue(text: string, kind: ValueKind, options: { caseInsensitive?: boolean } = {}): ParsedValue {
  const s = text.trim();
  if (s === "") return { ok: false, error: "Enter a value." };
  switch (kind) {
    case "number": {
      const n = Number(s);
      return Number.isFinite(n) ? { ok: true, value: n } : { ok: false, error: `“${s}” is not a number. Enter a number such as 42 or 19.99.` };
    }
    case "boolean":
      if (s === "true" || s === "false") return { ok: true, value: s === "true" };
      return { ok: false, error: "Choose true or false." };
    case "semver":
      return parseSemver(s, true) ? { ok: true, value: s } : { ok: false, error: `“${s}” is not a version. Enter one such as 1.4.0 or 2.0.0-beta.1.` };
    case "date":
      return ISO_DATE.test(s) && !Number.isNaN(Date.parse(s))
        ? { ok: true, value: s }
        : { ok: false, error: `“${s}” is not a date. Enter one such as 2026-03-01 or 2026-03-01T09:00:00Z.` };
    case "regex": {
      const problem = checkRegexSafety(text, options.caseInsensitive === true);
      return problem ? { ok: false, error: `The pattern “${text}” ${problem.message}.` } : { ok: true, value: text };
    }
    case "cidr":
      return parseCidr(s) ? { ok: true, value: s } : { ok: false, error: `“${s}” is not an IP address or network such as 10.0.0.0/8.` };
    default:
      return { ok: true, value: s };
  }
}

/**
 * Pasted text as separate entries: one per line, and also split at commas, semicolons and tabs
 * unless the entries are patterns (where commas belong to the pattern). Empty entries and
 * repeats are dropped; order is kept.
 */
export function splitPasted(text: string, kind: ValueKind = "text"): string[] {
  const separator = kind === "regex" ? /\r?\n/ : /[\r\n,;\t]+/;
  const seen = new Set<string>();
  const out: string[] = [];
  for (const part of text.split(separator)) {
    const entry = kind === "regex" ? part : part.trim();
    if (entry.trim() === "" || seen.has(entry)) continue;
    seen.add(entry);
    out.push(entry);
  }
  return out;
}

/** Parses every pasted entry: the good ones to add, the others with what is wrong. */
export function parseMany(text: string, kind: ValueKind, options: { caseInsensitive?: boolean } = {}) {
  const values: ClauseValue[] = [];
  const errors: string[] = [];
  for (const entry of splitPasted(text, kind)) {
    const parsed = parseValue(entry, kind, options);
    if (parsed.ok) values.push(parsed.value);
    else errors.push(parsed.error);
  }
  return { values, errors };
}

/** `existing` plus `added`, without duplicates (compared as text). */
export function mergeValues(existing: readonly ClauseValue[], added: readonly ClauseValue[]): ClauseValue[] {
  const seen = new Set(existing.map(String));
  const out = [...existing];
  for (const v of added) {
    if (seen.has(String(v))) continue;
    seen.add(String(v));
    out.push(v);
  }
  return out;
}

/**
 * Values kept when a condition changes attribute or operator: those that still parse for the
 * new input (and are allowed, for a closed list), so switching `in` ↔ `notIn` keeps the chips.
 */
export function keepCompatibleValues(values: readonly ClauseValue[], kind: ValueKind, allowedValues?: readonly ClauseValue[]): ClauseValue[] {
  if (kind === "none") return [];
  if (kind === "segments") return values.filter((v) => typeof v === "string");
  if (kind === "allowed") return values.filter((v) => (allowedValues ?? []).some((a) => String(a) === String(v)));
  const out: ClauseValue[] = [];
  for (const v of values) {
    const parsed = parseValue(String(v), kind);
    if (parsed.ok) out.push(parsed.value);
  }
  return out;
}

export function formatValue(v: ClauseValue): string {
  return typeof v === "string" ? v : String(v);
}
