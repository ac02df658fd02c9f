import type { Clause, Flag, FlagConfig, Rule, Segment, SegmentRule } from "@/lib/evaluation/types";

/**
 * Promotion between environments (e.g. staging → production): which parts of the source
 * environment's configuration to copy over the target's. Pure, so the console previews exactly
 * what the change request will propose.
 */
export type PromotionScope =
  | { kind: "everything" }
  | {
      kind: "parts";
      /** Source rules to copy, by id: replaced in place where the target has the same rule, inserted otherwise. */
      ruleIds: readonly string[];
      targets: boolean;
      fallthrough: boolean;
      prerequisites: boolean;
      /** On/off and the off variation. */
      state: boolean;
    };

const withoutVersion = ({ version: _version, ...config }: FlagConfig): FlagConfig => config;

/**
 * The target configuration with the chosen parts of the source. A copied rule the target lacks
 * goes right after the nearest rule before it (in the source's order) that the result already
 * has, so the source's evaluation order is kept; with none, it goes first.
 */
export function promotedConfig(source: FlagConfig, target: FlagConfig, scope: PromotionScope): FlagConfig {
  if (scope.kind === "everything") return withoutVersion(source);
  const chosen = new Set(scope.ruleIds);
  const unknown = scope.ruleIds.filter((id) => !source.rules.some((rule) => rule.id === id));
  if (unknown.length > 0) throw new RangeError(`The source has no rule ${unknown.map((id) => `“${id}”`).join(", ")}.`);

  const rules: Rule[] = [...target.rules];
  source.rules.forEach((rule, index) => {
    if (!chosen.has(rule.id)) return;
    const existing = rules.findIndex((r) => r.id === rule.id);
    if (existing >= 0) {
      rules[existing] = rule;
      return;
    }
    const anchor = source.rules
      .slice(0, index)
      .map((earlier) => rules.findIndex((r) => r.id === earlier.id))
      .filter((at) => at >= 0)
      .pop();
    rules.splice(anchor === undefined ? 0 : anchor + 1, 0, rule);
  });

  return {
    ...withoutVersion(target),
    rules,
    ...(scope.targets ? { targets: source.targets } : {}),
    ...(scope.fallthrough ? { fallthrough: source.fallthrough } : {}),
    ...(scope.prerequisites ? { prerequisites: source.prerequisites } : {}),
    ...(scope.state ? { on: source.on, offVariation: source.offVariation } : {}),
  };
}

const segmentKeysOf = (clauses: readonly Clause[]) =>
  clauses.filter((c) => c.op === "inSegment" || c.op === "notInSegment").flatMap((c) => c.values.map(String));

/** Every segment a configuration reaches, through its rules and the segments' own rules. */
export function segmentsReferenced(config: FlagConfig, segments: readonly Segment[]): string[] {
  const byKey = new Map(segments.map((s) => [s.key, s]));
  const seen = new Set<string>();
  const visit = (keys: string[]) => {
    for (const key of keys) {
      if (seen.has(key)) continue;
      seen.add(key);
      const segment = byKey.get(key);
      if (segment) visit(segment.rules.flatMap((rule: SegmentRule) => segmentKeysOf(rule.clauses)));
    }
  };
  visit(config.rules.flatMap((rule) => segmentKeysOf(rule.clauses)));
  return [...seen].sort();
}

export interface EnvironmentSurroundings {
  name: string;
  segments: readonly Segment[];
  flags: readonly Flag[];
}

const sameSegment = (a: Segment, b: Segment) =>
  JSON.stringify([[...a.included].sort(), [...a.excluded].sort(), a.rules]) === JSON.stringify([[...b.included].sort(), [...b.excluded].sort(), b.rules]);

const describeSize = (s: Segment) => `${s.included.length.toLocaleString("en-US")} included, ${s.excluded.length.toLocaleString("en-US")} excluded, ${s.rules.length} rule${s.rules.length === 1 ? "" : "s"}`;

/**
 * What a promoted configuration refers to that is not the same in the target environment:
 * segments defined differently (the copied rules would match other contexts) and prerequisites
 * whose flag is configured differently or off there. Missing references are errors, which the
 * change request's validation reports; these are the warnings a reviewer should read.
 */
export function promotionWarnings(proposed: FlagConfig, source: EnvironmentSurroundings, target: EnvironmentSurroundings): string[] {
  const warnings: string[] = [];
  for (const key of segmentsReferenced(proposed, target.segments)) {
    const from = source.segments.find((s) => s.key === key);
    const to = target.segments.find((s) => s.key === key);
    if (from && to && !sameSegment(from, to)) {
      warnings.push(`Segment “${key}” differs: ${describeSize(from)} in ${source.name}, ${describeSize(to)} in ${target.name}. The copied rules match who it holds in ${target.name}.`);
    }
  }
  for (const prerequisite of proposed.prerequisites) {
    const there = target.flags.find((f) => f.key === prerequisite.flagKey);
    if (there && !there.config.on) {
      warnings.push(`Prerequisite “${prerequisite.flagKey}” is off in ${target.name}, so this flag will serve its off variation there until it is turned on.`);
    }
  }
  return warnings;
}
