import type { FlagConfig, FlagValueType, Variation } from "@/lib/evaluation/types";

/** The variation a new flag serves while off: one keyed `off`, else a boolean flag's `false`, else the last. */
export function offVariationKey(variations: readonly Variation[], valueType: FlagValueType): string {
  const named = variations.find((v) => v.key === "off");
  if (named) return named.key;
  if (valueType === "boolean") {
    const falsy = [...variations].reverse().find((v) => v.value === false);
    if (falsy) return falsy.key;
  }
  return variations[variations.length - 1].key;
}

/** A new flag's configuration in every environment: off, and off for everyone once turned on. */
export function initialFlagConfig(offKey: string): FlagConfig {
  return { on: false, offVariation: offKey, targets: [], rules: [], fallthrough: { variation: offKey }, prerequisites: [] };
}
