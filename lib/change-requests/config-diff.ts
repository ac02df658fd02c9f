import { describeClause, formatPercent } from "@/lib/evaluation/explain";
import type { Clause, FlagConfig, Prerequisite, Rule, SegmentRule, Serve } from "@/lib/evaluation/types";

/**
 * The rule-level diff reviewers read: structured (stored with a change request item, the audit
 * entry and the notification, so all three show the same thing) and rendered in plain words by
 * `describe…Diff`. Rules are matched by id, clauses by position. Key lists keep their counts and
 * at most LISTED_KEYS keys each, so a 100,000-key paste does not bloat every copy of the diff.
 */

export const LISTED_KEYS = 1000;

export interface KeyListChange {
  addedCount: number;
  removedCount: number;
  /** The first LISTED_KEYS keys of each side. */
  added: string[];
  removed: string[];
}

export interface ClauseChange {
  change: "added" | "removed" | "changed";
  position: number;
  before?: Clause;
  after?: Clause;
}

interface RuleLike {
  id: string;
  description?: string;
  match?: "all" | "any";
  clauses: Clause[];
  serve?: Serve;
  coverage?: Rule["coverage"];
}

export type RuleChange<R extends RuleLike = Rule> =
  | { change: "added"; ruleId: string; index: number; rule: R }
  | { change: "removed"; ruleId: string; beforeIndex: number; rule: R }
  | {
      change: "changed";
      ruleId: string;
      beforeIndex: number;
      index: number;
      before: R;
      after: R;
      clauses: ClauseChange[];
      matchChanged: boolean;
      serveChanged: boolean;
      descriptionChanged: boolean;
      coverageChanged: boolean;
    };

export interface FlagConfigDiff {
  entity: "flag";
  on?: { before: boolean; after: boolean };
  offVariation?: { before: string; after: string };
  /** Per variation. */
  targets: ({ variation: string } & KeyListChange)[];
  rules: RuleChange[];
  /** The rules both sides have are in a different order (the first match wins, so it matters). */
  reordered: boolean;
  ruleOrder: { before: string[]; after: string[] };
  fallthrough?: { before: Serve; after: Serve };
  prerequisites: { flagKey: string; change: "added" | "removed" | "changed"; before?: Prerequisite; after?: Prerequisite }[];
}

export interface SegmentContentForDiff {
  included: string[];
  excluded: string[];
  rules: SegmentRule[];
}

export interface SegmentConfigDiff {
  entity: "segment";
  included: KeyListChange;
  excluded: KeyListChange;
  rules: RuleChange<SegmentRule>[];
  reordered: boolean;
}

export type ConfigDiff = FlagConfigDiff | SegmentConfigDiff;

/** JSON with sorted keys: stored JSON comes back from PostgreSQL with its keys reordered. */
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

function keyListChange(before: readonly string[], after: readonly string[]): KeyListChange {
  const was = new Set(before);
  const now = new Set(after);
  const added = after.filter((k) => !was.has(k));
  const removed = before.filter((k) => !now.has(k));
  return { addedCount: added.length, removedCount: removed.length, added: added.slice(0, LISTED_KEYS), removed: removed.slice(0, LISTED_KEYS) };
}

const keyListChanged = (c: KeyListChange) => c.addedCount > 0 || c.removedCount > 0;

function diffClauses(before: Clause[], after: Clause[]): ClauseChange[] {
  const changes: ClauseChange[] = [];
  for (let i = 0; i < Math.max(before.length, after.length); i++) {
    const b = before[i];
    const a = after[i];
    if (b && a) {
      if (!same(b, a)) changes.push({ change: "changed", position: i, before: b, after: a });
    } else if (a) changes.push({ change: "added", position: i, after: a });
    else if (b) changes.push({ change: "removed", position: i, before: b });
  }
  return changes;
}

function diffRules<R extends RuleLike>(before: R[], after: R[]): { rules: RuleChange<R>[]; reordered: boolean } {
  const beforeById = new Map(before.map((rule, index) => [rule.id, { rule, index }]));
  const afterById = new Map(after.map((rule, index) => [rule.id, { rule, index }]));
  const rules: RuleChange<R>[] = [];
  for (const [id, { rule, index }] of beforeById) if (!afterById.has(id)) rules.push({ change: "removed", ruleId: id, beforeIndex: index, rule });
  for (const [id, { rule, index }] of afterById) {
    const old = beforeById.get(id);
    if (!old) {
      rules.push({ change: "added", ruleId: id, index, rule });
      continue;
    }
    const clauses = diffClauses(old.rule.clauses, rule.clauses);
    const matchChanged = (old.rule.match ?? "all") !== (rule.match ?? "all");
    const serveChanged = !same(old.rule.serve, rule.serve);
    const descriptionChanged = (old.rule.description ?? "") !== (rule.description ?? "");
    const coverageChanged = !same(old.rule.coverage, rule.coverage);
    if (clauses.length || matchChanged || serveChanged || descriptionChanged || coverageChanged) {
      rules.push({ change: "changed", ruleId: id, beforeIndex: old.index, index, before: old.rule, after: rule, clauses, matchChanged, serveChanged, descriptionChanged, coverageChanged });
    }
  }
  const common = (from: R[], other: Map<string, unknown>) => from.map((r) => r.id).filter((id) => other.has(id));
  return { rules, reordered: !same(common(before, afterById), common(after, beforeById)) };
}

function targetsByVariation(config: FlagConfig): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const t of config.targets ?? []) map.set(t.variation, [...(map.get(t.variation) ?? []), ...t.values]);
  return map;
}

export function diffFlagConfigs(before: FlagConfig, after: FlagConfig): FlagConfigDiff {
  const tb = targetsByVariation(before);
  const ta = targetsByVariation(after);
  const targets = [...new Set([...tb.keys(), ...ta.keys()])]
    .map((variation) => ({ variation, ...keyListChange(tb.get(variation) ?? [], ta.get(variation) ?? []) }))
    .filter(keyListChanged);
  const { rules, reordered } = diffRules(before.rules ?? [], after.rules ?? []);
  const pb = new Map((before.prerequisites ?? []).map((p) => [p.flagKey, p]));
  const pa = new Map((after.prerequisites ?? []).map((p) => [p.flagKey, p]));
  const prerequisites: FlagConfigDiff["prerequisites"] = [];
  for (const [flagKey, p] of pa) {
    const old = pb.get(flagKey);
    if (!old) prerequisites.push({ flagKey, change: "added", after: p });
    else if (!same(old, p)) prerequisites.push({ flagKey, change: "changed", before: old, after: p });
  }
  for (const [flagKey, p] of pb) if (!pa.has(flagKey)) prerequisites.push({ flagKey, change: "removed", before: p });
  return {
    entity: "flag",
    ...(before.on !== after.on ? { on: { before: before.on, after: after.on } } : {}),
    ...(before.offVariation !== after.offVariation ? { offVariation: { before: before.offVariation, after: after.offVariation } } : {}),
    targets,
    rules,
    reordered,
    ruleOrder: { before: (before.rules ?? []).map((r) => r.id), after: (after.rules ?? []).map((r) => r.id) },
    ...(!same(before.fallthrough, after.fallthrough) ? { fallthrough: { before: before.fallthrough, after: after.fallthrough } } : {}),
    prerequisites,
  };
}

export function diffSegmentContents(before: SegmentContentForDiff, after: SegmentContentForDiff): SegmentConfigDiff {
  const { rules, reordered } = diffRules(before.rules ?? [], after.rules ?? []);
  return { entity: "segment", included: keyListChange(before.included, after.included), excluded: keyListChange(before.excluded, after.excluded), rules, reordered };
}

export function isEmptyDiff(diff: ConfigDiff): boolean {
  if (diff.entity === "segment") return !keyListChanged(diff.included) && !keyListChanged(diff.excluded) && diff.rules.length === 0 && !diff.reordered;
  return !diff.on && !diff.offVariation && diff.targets.length === 0 && diff.rules.length === 0 && !diff.reordered && !diff.fallthrough && diff.prerequisites.length === 0;
}

// --- Plain words -------------------------------------------------------------------------------

const code = (s: string) => `\`${s}\``;

export function describeServe(serve: Serve | undefined): string {
  if (!serve || typeof serve !== "object") return "nothing";
  if ("variation" in serve) return code(serve.variation);
  const r = serve.rollout;
  const split = (r.weights ?? []).map((w) => `${formatPercent(w.weight)} ${code(w.variation)}`).join(", ");
  const by = r.bucketBy && r.bucketBy !== "targetingKey" ? ` by ${r.bucketBy}` : "";
  return `a rollout of ${split}${by}`;
}

export function describeConditions(rule: RuleLike): string {
  return rule.clauses.length ? rule.clauses.map((c) => describeClause(c)).join(rule.match === "any" ? " OR " : " AND ") : "everyone";
}

export function describeRule(rule: RuleLike): string {
  return rule.serve ? `if ${describeConditions(rule)} then serve ${describeServe(rule.serve)}` : `matches ${describeConditions(rule)}`;
}

export const ruleLabel = (rule: RuleLike, index: number, capital = true) => `${capital ? "R" : "r"}ule ${index + 1}${rule.description ? ` (${rule.description})` : ""}`;

export function listKeys(keys: string[], total = keys.length): string {
  const shown = keys.slice(0, 3).map(code).join(", ");
  return total > 3 ? `${shown} and ${total - 3} more` : shown;
}

const prerequisiteText = (p: Prerequisite) => `${code(p.flagKey)} serves ${[p.variation, ...(p.variations ?? [])].map(code).join(" or ")}`;

/** "plan is pro → plan is one of pro, enterprise", "adds: region is europe". */
export function describeClauseChange(c: ClauseChange): string {
  if (c.change === "added") return `adds condition: ${describeClause(c.after!)}`;
  if (c.change === "removed") return `removes condition: ${describeClause(c.before!)}`;
  return `${describeClause(c.before!)} → ${describeClause(c.after!)}`;
}

export function describeRuleChange(change: RuleChange<RuleLike>): string {
  if (change.change === "added") return `Adds ${ruleLabel(change.rule, change.index, false)}: ${describeRule(change.rule)}.`;
  if (change.change === "removed") return `Removes ${ruleLabel(change.rule, change.beforeIndex, false)}: ${describeRule(change.rule)}.`;
  const parts: string[] = change.clauses.map(describeClauseChange);
  if (change.matchChanged) parts.push(change.after.match === "any" ? "now matches when any condition holds" : "now matches when every condition holds");
  if (change.serveChanged) parts.push(`serves ${describeServe(change.after.serve)} instead of ${describeServe(change.before.serve)}`);
  if (change.descriptionChanged) parts.push(`description “${change.before.description ?? ""}” → “${change.after.description ?? ""}”`);
  if (change.coverageChanged) parts.push("changes how much of the matching audience it covers");
  const moved = change.beforeIndex !== change.index ? ` (was rule ${change.beforeIndex + 1})` : "";
  return `${ruleLabel(change.after, change.index)}${moved} — ${parts.join("; ")}.`;
}

function describeKeyList(change: KeyListChange, addedText: string, removedText: string): string[] {
  const lines: string[] = [];
  if (change.addedCount) lines.push(`${addedText} ${listKeys(change.added, change.addedCount)}.`);
  if (change.removedCount) lines.push(`${removedText} ${listKeys(change.removed, change.removedCount)}.`);
  return lines;
}

const REORDERED = "Changes the order of the rules (the first rule that matches wins).";

export function describeFlagConfigDiff(diff: FlagConfigDiff): string[] {
  const lines: string[] = [];
  if (diff.on) lines.push(diff.on.after ? "Turns the flag on." : "Turns the flag off.");
  if (diff.offVariation) lines.push(`Serves ${code(diff.offVariation.after)} instead of ${code(diff.offVariation.before)} while off.`);
  for (const t of diff.targets) lines.push(...describeKeyList(t, `Targets individually with ${code(t.variation)}:`, `Stops targeting individually with ${code(t.variation)}:`));
  for (const rule of diff.rules) lines.push(describeRuleChange(rule));
  if (diff.reordered) lines.push(REORDERED);
  if (diff.fallthrough) lines.push(`Default rule serves ${describeServe(diff.fallthrough.after)} instead of ${describeServe(diff.fallthrough.before)}.`);
  for (const p of diff.prerequisites) {
    if (p.change === "added") lines.push(`Adds prerequisite: ${prerequisiteText(p.after!)}.`);
    else if (p.change === "removed") lines.push(`Removes prerequisite ${prerequisiteText(p.before!)}.`);
    else lines.push(`Changes prerequisite: ${prerequisiteText(p.after!)} (was ${prerequisiteText(p.before!)}).`);
  }
  return lines;
}

export function describeSegmentDiff(diff: SegmentConfigDiff): string[] {
  return [
    ...describeKeyList(diff.included, "Includes", "Stops including"),
    ...describeKeyList(diff.excluded, "Excludes", "Stops excluding"),
    ...diff.rules.map((rule) => describeRuleChange(rule)),
    ...(diff.reordered ? [REORDERED] : []),
  ];
}

export function describeDiff(diff: ConfigDiff): string[] {
  return diff.entity === "segment" ? describeSegmentDiff(diff) : describeFlagConfigDiff(diff);
}
