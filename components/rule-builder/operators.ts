import type { AttributeType, CatalogAttribute, Operator } from "@/lib/evaluation/types";

/**
 * What the builder offers per attribute type. It mirrors the engine's own table in
 * lib/evaluation/validate.ts (not exported there); operators.test.ts checks that every operator
 * offered here passes `validateFlagConfig`, so the two cannot drift apart unnoticed.
 */
export const OPERATORS_BY_TYPE: Record<AttributeType, Operator[]> = {
  string: ["in", "notIn", "equals", "contains", "startsWith", "endsWith", "matches", "exists", "inCidr"],
  number: ["in", "notIn", "equals", "lt", "lte", "gt", "gte", "exists"],
  boolean: ["equals", "in", "notIn", "exists"],
  semver: ["semverGte", "semverGt", "semverLt", "semverLte", "semverEq", "in", "notIn", "exists"],
  date: ["after", "before", "exists"],
  list: ["in", "notIn", "contains", "startsWith", "endsWith", "matches", "equals", "exists"],
};

export { OPERATOR_LABELS } from "@/lib/evaluation/validate";

/** The pseudo-attribute the builder uses for segment conditions. */
export const SEGMENT_ATTRIBUTE = "__segment__";

/** Attributes every context has without a catalog entry. */
export const BUILT_IN_ATTRIBUTES: CatalogAttribute[] = [
  { key: "targetingKey", type: "string", sensitivity: "public", description: "The context key (user or device id)." },
  { key: "currentTime", type: "date", sensitivity: "public", description: "The moment of evaluation." },
];

export const isSegmentOperator = (op: Operator) => op === "inSegment" || op === "notInSegment";

/** Operators that honour "ignore case". */
export const CASE_INSENSITIVE_OPERATORS = new Set<Operator>(["in", "notIn", "equals", "contains", "startsWith", "endsWith", "matches"]);

/** The attributes a clause may use: the catalog without forbidden ones, then the built-ins. */
export function selectableAttributes(catalog: CatalogAttribute[]): CatalogAttribute[] {
  const listed = catalog.filter((a) => a.sensitivity !== "forbidden");
  const builtIns = BUILT_IN_ATTRIBUTES.filter((b) => !catalog.some((a) => a.key === b.key));
  return [...listed.sort((a, b) => a.key.localeCompare(b.key)), ...builtIns];
}

export function attributeType(catalog: CatalogAttribute[], key: string): AttributeType | undefined {
  return catalog.find((a) => a.key === key)?.type ?? BUILT_IN_ATTRIBUTES.find((a) => a.key === key)?.type;
}

export function operatorsFor(type: AttributeType | undefined): Operator[] {
  return type ? OPERATORS_BY_TYPE[type] : OPERATORS_BY_TYPE.string;
}
