import type { ProjectAccess } from "@/lib/auth/access";
import { listAttributes } from "@/lib/data/attributes";
import { findFlagNames } from "@/lib/data/flags";
import { compileSnapshot } from "@/lib/evaluation";
import type { Flag, FlagConfig, Variation } from "@/lib/evaluation/types";
import { getFlagOrThrow } from "@/lib/flags/get-flag-or-throw";
import { environmentOrThrow } from "@/lib/projects/environment-or-throw";
import { getSnapshotStore } from "@/lib/snapshots/snapshot-store";
import { impactDimensions, privateAttributeKeys } from "./dimensions";
import { withDependents, withPrerequisites } from "./flag-closure";
import { replayContexts, type ReplayTally } from "./replay";
import { loadImpactSample, type ImpactSampleInfo } from "./sample";

export interface DependentImpact extends ReplayTally {
  flagKey: string;
  flagName: string;
}

export interface FlagImpactPreview {
  environmentKey: string;
  environmentName: string;
  sample: ImpactSampleInfo;
  /** The public dashboard dimensions the counts are broken down by. */
  dimensions: string[];
  /** This flag: replayed contexts whose variation would change, by transition and dimension. */
  flag: ReplayTally;
  /** Flags that require this one (transitively) and whose results would change; unchanged ones are left out. */
  dependents: DependentImpact[];
  /** Private or forbidden attributes the edited rules use: events never carry them. */
  privateAttributes: string[];
}

function usedAttributes(config: FlagConfig): Set<string> {
  return new Set(config.rules.flatMap((rule) => rule.clauses.map((clause) => clause.attribute)));
}

/**
 * What saving `draft` as the flag's configuration in one environment would change, before it
 * is saved: the recently seen contexts (their latest exposure's public attributes) are evaluated
 * with the engine against the environment's current snapshot and against the same snapshot with
 * the draft in place, for this flag and the flags that require it.
 */
export async function previewFlagImpact(access: ProjectAccess, environmentKey: string, flagKey: string, draft: FlagConfig, now = new Date()): Promise<FlagImpactPreview> {
  const [environment, row] = await Promise.all([environmentOrThrow(access.project.id, environmentKey), getFlagOrThrow(access.project.id, flagKey)]);
  const snapshot = (await getSnapshotStore().get(environment.id))?.snapshot ?? { flags: [], segments: [], optOutAttribute: undefined };
  const edited: Flag = {
    key: row.key,
    kind: row.kind,
    valueType: row.valueType,
    variations: row.variations as unknown as Variation[],
    ...(row.controlVariation ? { controlVariation: row.controlVariation } : {}),
    config: draft,
  };
  // A flag absent from the snapshot (not yet configured here) evaluates to an error before.
  const afterFlags = snapshot.flags.some((f) => f.key === flagKey) ? snapshot.flags.map((f) => (f.key === flagKey ? edited : f)) : [...snapshot.flags, edited];
  const affected = withDependents(afterFlags, [flagKey]);
  const before = compileSnapshot({ flags: withPrerequisites(snapshot.flags, affected), segments: snapshot.segments, optOutAttribute: snapshot.optOutAttribute });
  const after = compileSnapshot({ flags: withPrerequisites(afterFlags, affected), segments: snapshot.segments, optOutAttribute: snapshot.optOutAttribute });

  const [{ contexts, sample }, attributes, names] = await Promise.all([
    loadImpactSample(environment.id, now),
    listAttributes(access.project.id),
    findFlagNames(access.project.id, [...affected]),
  ]);
  const dimensions = impactDimensions(attributes);
  const tallies = replayContexts({ before, after, flagKeys: [...affected], contexts, dimensions, now });
  const privateKeys = privateAttributeKeys(attributes);
  return {
    environmentKey: environment.key,
    environmentName: environment.name,
    sample,
    dimensions,
    flag: tallies.get(flagKey)!,
    dependents: [...tallies]
      .filter(([key, tally]) => key !== flagKey && tally.changed > 0)
      .map(([key, tally]) => ({ flagKey: key, flagName: names.get(key) ?? key, ...tally }))
      .sort((a, b) => b.changed - a.changed || a.flagKey.localeCompare(b.flagKey)),
    privateAttributes: [...usedAttributes(draft)].filter((key) => privateKeys.has(key)).sort(),
  };
}
