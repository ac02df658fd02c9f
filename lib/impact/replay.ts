import type { RecentContext } from "@/lib/data/recent-contexts";
import { evaluateFlag, type CompiledSnapshot } from "@/lib/evaluation";
import type { EvaluationResult } from "@/lib/evaluation/types";

export interface Transition {
  from: string;
  to: string;
  count: number;
}

export interface DimensionValueImpact {
  value: string;
  /** Replayed contexts with this value. */
  seen: number;
  /** Of those, how many would get another variation. */
  changed: number;
}

export interface DimensionImpact {
  dimension: string;
  /** Most changed first; at most DIMENSION_VALUE_LIMIT values, the rest folded into "(other)". */
  values: DimensionValueImpact[];
}

export interface ReplayTally {
  /** Replayed contexts whose variation would change. */
  changed: number;
  /** From → to, most frequent first. */
  transitions: Transition[];
  byDimension: DimensionImpact[];
}

/** Values shown per dimension before the rest are folded together. */
export const DIMENSION_VALUE_LIMIT = 12;
export const NOT_SET = "(not set)";
export const OTHER = "(other)";

/** What a result is called in a preview: its variation, or what went wrong. */
export const outcomeOf = (result: EvaluationResult) => result.variationKey ?? (result.reason === "ERROR" ? `error (${result.errorCode ?? "unknown"})` : JSON.stringify(result.value));

function dimensionValue(value: unknown): string {
  if (value === undefined || value === null || value === "") return NOT_SET;
  if (Array.isArray(value)) return value.map(String).join(", ");
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

class Tally {
  private readonly pairs = new Map<string, Transition>();
  private readonly cells: Map<string, Map<string, { seen: number; changed: number }>>;
  changed = 0;

  constructor(dimensions: readonly string[]) {
    this.cells = new Map(dimensions.map((d) => [d, new Map()]));
  }

  add(attributes: Record<string, unknown>, from: string, to: string) {
    const changed = from !== to;
    if (changed) {
      this.changed++;
      const key = `${from}\u0000${to}`;
      const pair = this.pairs.get(key) ?? { from, to, count: 0 };
      pair.count++;
      this.pairs.set(key, pair);
    }
    for (const [dimension, values] of this.cells) {
      const value = dimensionValue(attributes[dimension]);
      const cell = values.get(value) ?? { seen: 0, changed: 0 };
      cell.seen++;
      if (changed) cell.changed++;
      values.set(value, cell);
    }
  }

  result(): ReplayTally {
    return {
      changed: this.changed,
      transitions: [...this.pairs.values()].sort((a, b) => b.count - a.count || a.from.localeCompare(b.from) || a.to.localeCompare(b.to)),
      byDimension: [...this.cells].map(([dimension, values]) => ({ dimension, values: foldValues([...values].map(([value, cell]) => ({ value, ...cell }))) })),
    };
  }
}

function foldValues(values: DimensionValueImpact[]): DimensionValueImpact[] {
  const sorted = values.sort((a, b) => b.changed - a.changed || b.seen - a.seen || a.value.localeCompare(b.value));
  if (sorted.length <= DIMENSION_VALUE_LIMIT) return sorted;
  const rest = sorted.slice(DIMENSION_VALUE_LIMIT - 1);
  return [...sorted.slice(0, DIMENSION_VALUE_LIMIT - 1), { value: OTHER, seen: rest.reduce((s, v) => s + v.seen, 0), changed: rest.reduce((s, v) => s + v.changed, 0) }];
}

/**
 * Replays recently seen contexts against two compiled snapshots (the saved configuration and the
 * edited one) and tallies, per flag, the contexts whose variation differs, by transition and by
 * each dimension's values. A context's key is its targeting key, as the SDKs sent it.
 */
export function replayContexts(input: {
  before: CompiledSnapshot;
  after: CompiledSnapshot;
  flagKeys: readonly string[];
  contexts: readonly Pick<RecentContext, "contextKey" | "attributes">[];
  dimensions: readonly string[];
  now: Date;
}): Map<string, ReplayTally> {
  const options = { now: input.now.getTime() };
  const tallies = new Map(input.flagKeys.map((key) => [key, new Tally(input.dimensions)]));
  for (const { contextKey, attributes } of input.contexts) {
    const context = { ...attributes, targetingKey: contextKey };
    for (const [key, tally] of tallies) {
      tally.add(attributes, outcomeOf(evaluateFlag(input.before, key, context, options)), outcomeOf(evaluateFlag(input.after, key, context, options)));
    }
  }
  return new Map([...tallies].map(([key, tally]) => [key, tally.result()]));
}
