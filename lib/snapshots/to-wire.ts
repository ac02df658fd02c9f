import type { EnvironmentEvaluationState } from "@/lib/data/snapshots";
import type { Flag, FlagConfig, Segment, SegmentRule, Variation } from "@/lib/evaluation/types";
import type { EnvironmentSnapshot } from "./wire-format";

/** Turns stored rows into the snapshot SDKs and the evaluation service load. */
export function toEnvironmentSnapshot(state: EnvironmentEvaluationState, publishedAt: Date): EnvironmentSnapshot {
  const { environment } = state;
  const flags: Flag[] = state.flagConfigs.map(({ flag, config, version }) => ({
    key: flag.key,
    kind: flag.kind,
    valueType: flag.valueType,
    variations: flag.variations as unknown as Variation[],
    // Experiments serve it to contexts that opted out (lib/evaluation/compile.ts).
    ...(flag.controlVariation ? { controlVariation: flag.controlVariation } : {}),
    config: { ...(config as unknown as FlagConfig), version },
  }));
  const segments: Segment[] = state.segmentConfigs.map((row) => ({
    key: row.segment.key,
    included: row.included as unknown as string[],
    excluded: row.excluded as unknown as string[],
    rules: row.rules as unknown as SegmentRule[],
  }));
  return {
    projectKey: environment.project.key,
    environmentKey: environment.key,
    version: environment.snapshotVersion,
    publishedAt: publishedAt.toISOString(),
    ...(environment.project.optOutAttribute ? { optOutAttribute: environment.project.optOutAttribute } : {}),
    flags,
    segments,
  };
}

/** Keys of flags that client-side SDK keys may evaluate. */
export function clientVisibleFlagKeys(state: EnvironmentEvaluationState): Set<string> {
  return new Set(state.flagConfigs.filter((row) => row.flag.clientVisible).map((row) => row.flag.key));
}
