import type { WeightedVariation } from "@/lib/evaluation/types";

/**
 * Rollout weights in the builder. Stored weights are whole thousandths of a percent
 * (100000 = 100 %); people type and read percentages. With balancing on, changing one weight
 * takes the difference from (or gives it to) the others, last first, so the total stays 100 %.
 */
export const TOTAL = 100_000;

export function sumWeights(weights: readonly WeightedVariation[]): number {
  return weights.reduce((sum, w) => sum + (Number.isFinite(w.weight) ? w.weight : 0), 0);
}

/** 10000 → "10", 33333 → "33.333". */
export function unitsToPercent(units: number): string {
  return String(Number((units / 1000).toFixed(3)));
}

/** "12.5" → 12500; null unless a number from 0 to 100 with at most three decimals. */
export function percentToUnits(text: string): number | null {
  const s = text.trim().replace(",", ".");
  if (!/^\d+(?:\.\d{0,3})?$|^\.\d{1,3}$/.test(s)) return null;
  const units = Math.round(Number(s) * 1000);
  return units >= 0 && units <= TOTAL ? units : null;
}

const clamp = (n: number) => Math.min(TOTAL, Math.max(0, Math.round(n)));

/**
 * Sets weight `index` to `units`. With `balance`, the other weights absorb the difference,
 * starting from the last one (or the one before, when the last is being set), so the total is
 * exactly 100 %; a single weight is always 100 %.
 */
export function setWeight(weights: readonly WeightedVariation[], index: number, units: number, balance = true): WeightedVariation[] {
  const next = weights.map((w) => ({ ...w }));
  if (index < 0 || index >= next.length) return next;
  if (!balance) {
    next[index].weight = clamp(units);
    return next;
  }
  if (next.length === 1) {
    next[0].weight = TOTAL;
    return next;
  }
  next[index].weight = clamp(units);
  let excess = sumWeights(next) - TOTAL;
  for (let j = next.length - 1; j >= 0 && excess !== 0; j--) {
    if (j === index) continue;
    const adjusted = clamp(next[j].weight - excess);
    excess -= next[j].weight - adjusted;
    next[j].weight = adjusted;
  }
  // Others could not absorb it all (they are all 0 or all full): the edited weight gives way.
  if (excess !== 0) next[index].weight = clamp(next[index].weight - excess);
  return next;
}

/** Equal shares; the remainder goes to the first variations so the total is exact. */
export function evenWeights(variations: readonly string[]): WeightedVariation[] {
  if (variations.length === 0) return [];
  const base = Math.floor(TOTAL / variations.length);
  const remainder = TOTAL - base * variations.length;
  return variations.map((variation, i) => ({ variation, weight: base + (i < remainder ? 1 : 0) }));
}

/** Adds a variation at 0 %, which keeps the total. */
export function addWeight(weights: readonly WeightedVariation[], variation: string): WeightedVariation[] {
  if (weights.some((w) => w.variation === variation)) return weights.map((w) => ({ ...w }));
  return [...weights.map((w) => ({ ...w })), { variation, weight: 0 }];
}

/** Removes a variation; with `balance`, its share goes to the last remaining one. */
export function removeWeight(weights: readonly WeightedVariation[], index: number, balance = true): WeightedVariation[] {
  const removed = weights[index];
  const next = weights.filter((_, i) => i !== index).map((w) => ({ ...w }));
  if (balance && removed && next.length > 0) next[next.length - 1].weight = clamp(next[next.length - 1].weight + removed.weight);
  return next;
}

/** `percent` % to `first`, the rest to `second` (the "10 % rollout" shape). */
export function percentageRollout(first: string, second: string, percentUnits: number): WeightedVariation[] {
  const units = clamp(percentUnits);
  return [
    { variation: first, weight: units },
    { variation: second, weight: TOTAL - units },
  ];
}
