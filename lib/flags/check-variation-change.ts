import type { FlagRow } from "@/lib/data/flags";
import { loadTargetingContext } from "@/lib/data/targeting-context";
import { validateFlagConfig } from "@/lib/evaluation";
import { servableVariationKeys } from "./variation-usage";
import type { FlagConfig, FlagDefinition, ValidationIssue, Variation } from "@/lib/evaluation/types";

export type EnvironmentIssue = ValidationIssue & { environmentKey: string; flagKey?: string };

const issueId = (issue: ValidationIssue) => `${issue.code}:${issue.path.join(".")}`;

/**
 * What a change of a flag's variations (or control variation) would break, per environment:
 * problems in this flag's own configurations that the new definition introduces (a rule serving
 * a removed variation…), and other flags' prerequisites naming a variation that would be gone.
 * Problems a configuration already had (e.g. an imported flag's uncatalogued attributes) are
 * not blamed on the change.
 */
export async function checkVariationChange(projectId: string, flag: FlagRow, next: FlagDefinition): Promise<EnvironmentIssue[]> {
  const previous: FlagDefinition = {
    key: flag.key,
    kind: flag.kind,
    valueType: flag.valueType,
    variations: flag.variations as unknown as Variation[],
    ...(flag.controlVariation ? { controlVariation: flag.controlVariation } : {}),
  };
  const oldKeys = new Set(previous.variations.map((v) => v.key));
  const newKeys = new Set(next.variations.map((v) => v.key));
  const issues: EnvironmentIssue[] = [];
  for (const row of flag.configs) {
    const environmentKey = row.environment.key;
    const { catalog, segments, flags } = await loadTargetingContext(projectId, row.environmentId);
    const config = { ...(row.config as unknown as FlagConfig), version: row.version };
    const errors = (definition: FlagDefinition) => validateFlagConfig(config, catalog, segments, flags, definition).filter((i) => i.severity !== "warning");
    const before = new Set(errors(previous).map(issueId));
    for (const issue of errors(next)) if (!before.has(issueId(issue))) issues.push({ ...issue, environmentKey });
    for (const other of flags) {
      if (other.key === flag.key) continue;
      other.config.prerequisites?.forEach((prerequisite, i) => {
        if (prerequisite.flagKey !== flag.key) return;
        for (const wanted of new Set([prerequisite.variation, ...(prerequisite.variations ?? [])])) {
          if (oldKeys.has(wanted) && !newKeys.has(wanted)) {
            issues.push({
              environmentKey,
              flagKey: other.key,
              path: ["prerequisites", i, "variation"],
              code: "prerequisite_variation_removed",
              message: `Flag “${other.key}” requires “${flag.key}” to serve “${wanted}” in ${row.environment.name}; that variation would no longer exist.`,
            });
          }
        }
      });
    }
  }
  return issues;
}

/**
 * Environments where the new variations would change what is served: a variation the
 * configuration can serve gets another value or payload, or the experiment control changes.
 */
export function environmentsServingDifferently(flag: FlagRow, next: FlagDefinition): FlagRow["configs"] {
  const before = new Map((flag.variations as unknown as Variation[]).map((v) => [v.key, JSON.stringify([v.value, v.metadata ?? null])]));
  const after = new Map(next.variations.map((v) => [v.key, JSON.stringify([v.value, v.metadata ?? null])]));
  const controlChanged = flag.kind === "experiment" && (flag.controlVariation ?? undefined) !== next.controlVariation;
  return flag.configs.filter((row) => {
    const config = row.config as unknown as FlagConfig;
    if (controlChanged && config.on) return true;
    return [...servableVariationKeys(config)].some((key) => before.get(key) !== after.get(key));
  });
}
