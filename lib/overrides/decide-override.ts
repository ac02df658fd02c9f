import type { FlagConfig } from "@/lib/evaluation/types";
import type { OverrideActionKind } from "@/lib/schemas/emergency-override";

/**
 * The configuration an override serves, given the current one; null when it already serves
 * that (pulling the switch twice changes nothing and records nothing).
 * - turn_off: the same configuration with `on: false` (everything else kept, so turning it back
 *   on restores the targeting exactly).
 * - serve_variation: on, with no targets, rules or prerequisites and a fallthrough of the
 *   variation, so every context gets it. The off variation is kept.
 */
export function decideOverride(current: FlagConfig, action: OverrideActionKind, variationKey: string | null): FlagConfig | null {
  if (action === "turn_off") return current.on ? { ...current, on: false } : null;
  if (!variationKey) throw new Error("serve_variation needs a variation key");
  const servesEveryone =
    current.on &&
    current.targets.length === 0 &&
    current.rules.length === 0 &&
    current.prerequisites.length === 0 &&
    "variation" in current.fallthrough &&
    current.fallthrough.variation === variationKey;
  if (servesEveryone) return null;
  return { on: true, offVariation: current.offVariation, targets: [], rules: [], fallthrough: { variation: variationKey }, prerequisites: [] };
}
