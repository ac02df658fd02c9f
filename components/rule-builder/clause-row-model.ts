import type { AttributeType, CatalogAttribute, Clause, ClauseValue, Operator } from "@/lib/evaluation/types";

/**
 * The pure half of `ClauseRow`, the condition row shared by the segment rules editor and (once
 * the visual rule builder converges on it) flag rules: which attributes and operators a clause
 * may use, and how typed text becomes operands. It mirrors the engine's table in
 * lib/evaluation/validate.ts; clause-row-model.test.ts checks every operator offered here passes
 * `validateSegment`, so the two cannot drift apart unnoticed.
 */

export const CLAUSE_OPERATORS: Record<AttributeType, Operator[]> = {
  string: ["in", "notIn", "equals", "contains", "startsWith", "endsWith", "matches", "exists", "inCidr"],
  number: ["in", "notIn", "equals", "lt", "lte", "gt", "gte", "exists"],
  boolean: ["equals", "in", "notIn", "exists"],
  semver: ["semverGte", "semverGt", "semverLt", "semverLte", "semverEq", "in", "notIn", "exists"],
  date: ["after", "before", "exists"],
  list: ["in", "notIn", "contains", "startsWith", "endsWith", "matches", "equals", "exists"],
};

export const CLAUSE_OPERATOR_LABELS: Record<Operator, string> = {
  in: "is one of",
  notIn: "is not one of",
  equals: "equals",
  contains: "contains",
  startsWith: "starts with",
  endsWith: "ends with",
  matches: "matches pattern",
  lt: "less than",
  lte: "at most",
  gt: "greater than",
  gte: "at least",
  before: "before",
  after: "after",
  semverEq: "is version",
  semverLt: "older than version",
  semverGt: "newer than version",
  semverGte: "version at least",
  semverLte: "version at most",
  exists: "is set",
  inSegment: "is in segment",
  notInSegment: "is not in segment",
  inCidr: "is in network",
};

/** The attribute picker's entry for segment conditions. */
export const SEGMENT_CHOICE = "__segment__";

/** Attributes every context has without a catalog entry. */
export const BUILT_IN_CLAUSE_ATTRIBUTES: CatalogAttribute[] = [
  { key: "targetingKey", type: "string", sensitivity: "public", description: "The context key (user or device id)." },
  { key: "currentTime", type: "date", sensitivity: "public", description: "The moment of evaluation." },
];

export const isSegmentOperator = (op: Operator) => op === "inSegment" || op === "notInSegment";

/** Catalog attributes that may be targeted (forbidden ones never are), then the built-ins the catalog does not redefine. */
export function offeredAttributes(catalog: readonly CatalogAttribute[]): CatalogAttribute[] {
  const listed = catalog.filter((a) => a.sensitivity !== "forbidden").sort((a, b) => a.key.localeCompare(b.key));
  return [...listed, ...BUILT_IN_CLAUSE_ATTRIBUTES.filter((b) => !catalog.some((a) => a.key === b.key))];
}

export function attributeTypeOf(catalog: readonly CatalogAttribute[], key: string): AttributeType | undefined {
  return catalog.find((a) => a.key === key)?.type ?? BUILT_IN_CLAUSE_ATTRIBUTES.find((a) => a.key === key)?.type;
}

/** How the values of a clause are entered. */
export type ValueKind = "none" | "segments" | "allowed" | "boolean" | "number" | "semver" | "date" | "text";

export function valueKindOf(type: AttributeType | undefined, op: Operator, allowedValues?: readonly ClauseValue[]): ValueKind {
  if (isSegmentOperator(op)) return "segments";
  if (op === "exists") return "none";
  if (type === "boolean") return "boolean";
  if ((op === "in" || op === "notIn" || op === "equals") && allowedValues && allowedValues.length > 0) return "allowed";
  if (type === "number") return "number";
  if (type === "semver" && op !== "in" && op !== "notIn" && op !== "equals") return "semver";
  if (type === "date") return "date";
  return "text";
}

/** A fresh condition on `attribute` with its type's usual operator. */
export function newClause(catalog: readonly CatalogAttribute[], attribute?: string): Clause {
  const key = attribute ?? offeredAttributes(catalog)[0]?.key ?? "targetingKey";
  const type = attributeTypeOf(catalog, key) ?? "string";
  return { attribute: key, op: CLAUSE_OPERATORS[type][0], values: [] };
}

/** The clause after choosing another attribute (or segment membership): the operator and values reset when they no longer fit. */
export function withAttribute(clause: Clause, choice: string, catalog: readonly CatalogAttribute[]): Clause {
  if (choice === SEGMENT_CHOICE) return isSegmentOperator(clause.op) ? clause : { attribute: "targetingKey", op: "inSegment", values: [] };
  const type = attributeTypeOf(catalog, choice) ?? "string";
  const ops = CLAUSE_OPERATORS[type];
  if (!isSegmentOperator(clause.op) && ops.includes(clause.op) && attributeTypeOf(catalog, clause.attribute) === type) return { ...clause, attribute: choice, values: [] };
  return { attribute: choice, op: ops[0], values: [] };
}

/** Operators that honour "ignore case". */
export const CASE_OPERATORS = new Set<Operator>(["in", "notIn", "equals", "contains", "startsWith", "endsWith", "matches"]);

/** The clause after choosing another operator: values are kept when they are entered the same way. */
export function withOperator(clause: Clause, op: Operator, catalog: readonly CatalogAttribute[]): Clause {
  const entry = catalog.find((a) => a.key === clause.attribute);
  const type = attributeTypeOf(catalog, clause.attribute);
  const same = valueKindOf(type, clause.op, entry?.allowedValues) === valueKindOf(type, op, entry?.allowedValues);
  const next: Clause = { ...clause, op, values: same && op !== "exists" ? clause.values : [] };
  if (next.caseInsensitive && !CASE_OPERATORS.has(op)) delete next.caseInsensitive;
  return next;
}

/** Text typed or pasted as operands: one per line or separated by commas, each once. Numbers become numbers. */
export function parseClauseValues(text: string, kind: ValueKind): ClauseValue[] {
  // A pattern may contain commas: when there are line breaks, only they separate.
  const parts = /[\r\n]/.test(text) || kind === "date" ? text.split(/\r?\n/) : text.split(",");
  const values: ClauseValue[] = [];
  for (const part of parts) {
    const trimmed = part.trim();
    if (!trimmed) continue;
    const value = kind === "number" && /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(trimmed) ? Number(trimmed) : trimmed;
    if (!values.some((v) => v === value)) values.push(value);
  }
  return values;
}
