import { describeClause } from "@/lib/evaluation/explain";
import type { FlagConfig, Prerequisite, Rule, Serve } from "@/lib/evaluation/types";
import { unitsToPercent } from "./weights";

/**
 * A short, plain-words summary of what a save changes, for the confirmation before saving and
 * for history entries. Compares canonically (stored JSON comes back with its keys reordered).
 */

export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

const same = (a: unknown, b: unknown) => canonical(a) === canonical(b);
const code = (s: string) => `\`${s}\``;

export function describeServe(serve: Serve | undefined): string {
  if (!serve || typeof serve !== "object") return "nothing";
  if ("variation" in serve) return code(serve.variation);
  const r = serve.rollout;
  const split = (r.weights ?? []).map((w) => `${unitsToPercent(w.weight)} % ${code(w.variation)}`).join(", ");
  const by = r.bucketBy && r.bucketBy !== "targetingKey" ? ` by ${r.bucketBy}` : "";
  return `a rollout of ${split}${by}`;
}

export function describeRule(rule: Rule): string {
  const conditions = rule.clauses.length ? rule.clauses.map((c) => describeClause(c)).join(rule.match === "any" ? " OR " : " AND ") : "everyone";
  return `if ${conditions} then serve ${describeServe(rule.serve)}`;
}

const ruleLabel = (rule: Rule, index: number) => `rule ${index + 1}${rule.description ? ` (${rule.description})` : ""}`;

function listKeys(keys: string[]): string {
  const shown = keys.slice(0, 3).map(code).join(", ");
  return keys.length > 3 ? `${shown} and ${keys.length - 3} more` : shown;
}

const prereqText = (p: Prerequisite) => `${code(p.flagKey)} serves ${[p.variation, ...(p.variations ?? [])].map(code).join(" or ")}`;

export function diffConfigs(before: FlagConfig, after: FlagConfig): string[] {
  const lines: string[] = [];
  if (before.on !== after.on) lines.push(after.on ? "Turns the flag on." : "Turns the flag off.");
  if (before.offVariation !== after.offVariation) lines.push(`Serves ${code(after.offVariation)} instead of ${code(before.offVariation)} while off.`);

  // Individual targets, per variation.
  const targetMap = (c: FlagConfig) => {
    const map = new Map<string, Set<string>>();
    for (const t of c.targets ?? []) {
      const set = map.get(t.variation) ?? new Set<string>();
      for (const v of t.values) set.add(v);
      map.set(t.variation, set);
    }
    return map;
  };
  const tb = targetMap(before);
  const ta = targetMap(after);
  for (const variation of new Set([...tb.keys(), ...ta.keys()])) {
    const was = tb.get(variation) ?? new Set<string>();
    const now = ta.get(variation) ?? new Set<string>();
    const added = [...now].filter((k) => !was.has(k));
    const removed = [...was].filter((k) => !now.has(k));
    if (added.length) lines.push(`Targets ${listKeys(added)} individually with ${code(variation)}.`);
    if (removed.length) lines.push(`Stops targeting ${listKeys(removed)} with ${code(variation)}.`);
  }

  // Rules, matched by id.
  const beforeIds = new Map(before.rules.map((r, i) => [r.id, { rule: r, index: i }]));
  const afterIds = new Map(after.rules.map((r, i) => [r.id, { rule: r, index: i }]));
  for (const [id, { rule, index }] of beforeIds) {
    if (!afterIds.has(id)) lines.push(`Removes ${ruleLabel(rule, index)}.`);
  }
  for (const [id, { rule, index }] of afterIds) {
    const old = beforeIds.get(id);
    if (!old) {
      lines.push(`Adds ${ruleLabel(rule, index)}: ${describeRule(rule)}.`);
      continue;
    }
    const parts: string[] = [];
    if (!same(old.rule.clauses, rule.clauses) || (old.rule.match ?? "all") !== (rule.match ?? "all")) parts.push("conditions");
    if (!same(old.rule.serve, rule.serve)) parts.push(`serves ${describeServe(rule.serve)} instead of ${describeServe(old.rule.serve)}`);
    if ((old.rule.description ?? "") !== (rule.description ?? "")) parts.push("description");
    if (!same(old.rule.coverage, rule.coverage)) parts.push("coverage");
    if (parts.length) lines.push(`Changes ${ruleLabel(rule, index)}: ${parts.join("; ")}${parts[0] === "conditions" ? ` (now ${describeRule(rule)})` : ""}.`);
  }
  const common = (ids: Map<string, unknown>, other: Map<string, unknown>) => [...ids.keys()].filter((id) => other.has(id));
  if (!same(common(beforeIds, afterIds), common(afterIds, beforeIds))) lines.push("Changes the order of the rules (the first rule that matches wins).");

  if (!same(before.fallthrough, after.fallthrough)) {
    lines.push(`Default rule serves ${describeServe(after.fallthrough)} instead of ${describeServe(before.fallthrough)}.`);
  }

  const pb = new Map((before.prerequisites ?? []).map((p) => [p.flagKey, p]));
  const pa = new Map((after.prerequisites ?? []).map((p) => [p.flagKey, p]));
  for (const [key, p] of pa) {
    const old = pb.get(key);
    if (!old) lines.push(`Adds prerequisite: ${prereqText(p)}.`);
    else if (!same(old, p)) lines.push(`Changes prerequisite: ${prereqText(p)} (was ${prereqText(old)}).`);
  }
  for (const [key, p] of pb) if (!pa.has(key)) lines.push(`Removes prerequisite ${prereqText(p)}.`);
  return lines;
}
