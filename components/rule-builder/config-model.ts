import type { CatalogAttribute, Clause, FlagConfig, Operator, Rule, Serve, Variation } from "@/lib/evaluation/types";
import { attributeType, CASE_INSENSITIVE_OPERATORS, isSegmentOperator, operatorsFor, SEGMENT_ATTRIBUTE, selectableAttributes } from "./operators";
import { keepCompatibleValues, valueKind } from "./values";

/** Edits of a draft configuration, as pure functions (the builder's state changes go through these). */

export function newId(prefix: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  for (;;) {
    const id = `${prefix}-${Math.random().toString(36).slice(2, 8)}`;
    if (!used.has(id)) return id;
  }
}

export function newClause(catalog: CatalogAttribute[]): Clause {
  const first = selectableAttributes(catalog)[0];
  const op = operatorsFor(first?.type)[0];
  return { attribute: first?.key ?? "targetingKey", op, values: [] };
}

export function newRule(config: FlagConfig, variations: Variation[], catalog: CatalogAttribute[]): Rule {
  return {
    id: newId("rule", config.rules.map((r) => r.id)),
    clauses: [newClause(catalog)],
    serve: { variation: variations[0]?.key ?? config.offVariation },
  };
}

export function duplicateRule(rule: Rule, takenIds: string[]): Rule {
  const copy = structuredClone(rule);
  copy.id = newId("rule", takenIds);
  copy.description = rule.description ? `${rule.description} (copy)` : undefined;
  if (copy.description === undefined) delete copy.description;
  return copy;
}

/** `list` with the item at `from` moved to `to` (both clamped). */
export function moveItem<T>(list: readonly T[], from: number, to: number): T[] {
  const next = [...list];
  if (from < 0 || from >= next.length) return next;
  const target = Math.max(0, Math.min(next.length - 1, to));
  const [item] = next.splice(from, 1);
  next.splice(target, 0, item);
  return next;
}

/** The attribute picker's value for a clause: segment conditions use a pseudo-attribute. */
export function clausePickerValue(clause: Clause): string {
  return isSegmentOperator(clause.op) ? SEGMENT_ATTRIBUTE : clause.attribute;
}

/**
 * A clause on another attribute. A condition still being set up (no values) starts with the new
 * type's usual operator; otherwise the operator stays if it fits, and values that still parse stay.
 */
export function withAttribute(clause: Clause, attribute: string, catalog: CatalogAttribute[]): Clause {
  if (attribute === SEGMENT_ATTRIBUTE) {
    return { attribute: "targetingKey", op: "inSegment", values: isSegmentOperator(clause.op) ? clause.values : [], ...(clause.negate ? { negate: true } : {}) };
  }
  const type = attributeType(catalog, attribute);
  const offered = operatorsFor(type);
  const op = clause.values.length > 0 && offered.includes(clause.op) ? clause.op : offered[0];
  const allowed = catalog.find((a) => a.key === attribute)?.allowedValues;
  const values = isSegmentOperator(clause.op) ? [] : keepCompatibleValues(clause.values, valueKind(type, op, allowed), allowed);
  return tidyClause({ ...clause, attribute, op, values });
}

export function withOperator(clause: Clause, op: Operator, catalog: CatalogAttribute[]): Clause {
  if (isSegmentOperator(op)) return { ...clause, op };
  const allowed = catalog.find((a) => a.key === clause.attribute)?.allowedValues;
  const values = keepCompatibleValues(clause.values, valueKind(attributeType(catalog, clause.attribute), op, allowed), allowed);
  return tidyClause({ ...clause, op, values });
}

/** Drops options that mean nothing for the operator, so saved JSON stays minimal. */
export function tidyClause(clause: Clause): Clause {
  const out: Clause = { attribute: clause.attribute, op: clause.op, values: clause.values };
  if (clause.negate) out.negate = true;
  if (clause.caseInsensitive && CASE_INSENSITIVE_OPERATORS.has(clause.op)) out.caseInsensitive = true;
  if (clause.negateMatchesMissing) out.negateMatchesMissing = true;
  return out;
}

export function isRollout(serve: Serve): serve is Extract<Serve, { rollout: unknown }> {
  return typeof serve === "object" && serve !== null && "rollout" in serve;
}

/**
 * The draft as it will be saved: empty descriptions and default options removed, so a rule that
 * was only looked at does not count as changed. Lists keep their indices (validation paths of
 * the normalised config must point at the same fields as the draft's).
 */
export function normalizeConfig(config: FlagConfig): FlagConfig {
  const { version: _version, ...rest } = config;
  return {
    ...rest,
    targets: config.targets,
    rules: config.rules.map((rule) => {
      const out: Rule = { id: rule.id, clauses: rule.clauses.map(tidyClause), serve: rule.serve };
      if (rule.description?.trim()) out.description = rule.description.trim();
      if (rule.match === "any") out.match = "any";
      if (rule.coverage) out.coverage = rule.coverage;
      return out;
    }),
  };
}
