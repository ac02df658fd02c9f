import type { FlagConfig, Serve } from "@/lib/evaluation/types";

/** Pure (the console uses it too): which variations a configuration names or can serve. */

function serveKeys(serve: Serve | undefined, into: Set<string>) {
  if (!serve) return;
  if ("variation" in serve) into.add(serve.variation);
  else {
    for (const w of serve.rollout.weights) into.add(w.variation);
    for (const o of serve.rollout.overrides ?? []) into.add(o.variation);
  }
}

/** The variations a configuration can serve (only the off variation while it is off). */
export function servableVariationKeys(config: FlagConfig): Set<string> {
  const keys = new Set<string>([config.offVariation]);
  if (!config.on) return keys;
  for (const target of config.targets ?? []) keys.add(target.variation);
  for (const rule of config.rules ?? []) serveKeys(rule.serve, keys);
  serveKeys(config.fallthrough, keys);
  return keys;
}

/** Every variation a configuration names, on or off: those a variation list may not drop. */
export function referencedVariationKeys(config: FlagConfig): Set<string> {
  return servableVariationKeys({ ...config, on: true });
}
