import type { Flag } from "@/lib/evaluation/types";

/** `keys` and every flag that requires one of them, directly or through others. */
export function withDependents(flags: readonly Flag[], keys: Iterable<string>): Set<string> {
  const found = new Set(keys);
  for (let grew = true; grew; ) {
    grew = false;
    for (const f of flags) {
      if (!found.has(f.key) && (f.config.prerequisites ?? []).some((p) => found.has(p.flagKey))) {
        found.add(f.key);
        grew = true;
      }
    }
  }
  return found;
}

/** The flags evaluating `keys` needs: themselves and their prerequisites, transitively. */
export function withPrerequisites(flags: readonly Flag[], keys: Iterable<string>): Flag[] {
  const byKey = new Map(flags.map((f) => [f.key, f]));
  const needed = new Set([...keys].filter((k) => byKey.has(k)));
  for (const key of needed) for (const p of byKey.get(key)?.config.prerequisites ?? []) if (byKey.has(p.flagKey)) needed.add(p.flagKey);
  return [...needed].map((key) => byKey.get(key)!);
}
