import { findFlagWithConfig } from "@/lib/data/flag-configs";
import type { NewChangeRequestItem } from "@/lib/data/change-requests";
import { findSegmentWithConfig, type SegmentContent } from "@/lib/data/segments";
import { loadTargetingContext } from "@/lib/data/targeting-context";
import { AppError, conflict, notFound } from "@/lib/errors";
import { validateFlagConfig, validateSegment } from "@/lib/evaluation";
import type { FlagConfig, FlagDefinition, SegmentRule, Variation } from "@/lib/evaluation/types";
import type { ProposedChange } from "@/lib/schemas/change-request";
import { describeDiff, diffFlagConfigs, diffSegmentContents, isEmptyDiff } from "./config-diff";

interface EnvironmentRef {
  id: string;
  name: string;
}

const dedupe = (keys: string[]) => [...new Set(keys)];

/**
 * Turns proposed changes into change request items: each must exist, must have been made
 * against the current version (an editor working from a stale page gets a conflict, as a save
 * would), must change something, and must validate — against the environment as it will be once
 * the whole request applies, so a request may add a segment rule and the flag rule that uses it.
 */
export async function buildChangeRequestItems(projectId: string, environment: EnvironmentRef, changes: readonly ProposedChange[]): Promise<NewChangeRequestItem[]> {
  const seen = new Set<string>();
  for (const change of changes) {
    const id = `${change.entityType}:${change.key}`;
    if (seen.has(id)) throw new AppError("VALIDATION_FAILED", `The ${change.entityType} “${change.key}” appears twice; propose one change per flag or segment.`);
    seen.add(id);
  }

  const { catalog, segments, flags } = await loadTargetingContext(projectId, environment.id);
  // The environment as the request would leave it.
  for (const change of changes) {
    if (change.entityType === "segment") {
      const index = segments.findIndex((s) => s.key === change.key);
      const proposed = { key: change.key, included: dedupe(change.included), excluded: dedupe(change.excluded), rules: change.rules as SegmentRule[] };
      if (index >= 0) segments[index] = proposed;
    } else {
      const flag = flags.find((f) => f.key === change.key);
      if (flag) flag.config = change.config as FlagConfig;
    }
  }

  const items: NewChangeRequestItem[] = [];
  for (const change of changes) {
    if (change.entityType === "flag") {
      const flag = await findFlagWithConfig(projectId, change.key, environment.id);
      const current = flag?.configs[0];
      if (!flag || !current) throw notFound(`Flag “${change.key}” in ${environment.name}`);
      if (flag.lifecycle === "archived") throw new AppError("VALIDATION_FAILED", `Flag “${change.key}” is archived; restore it before proposing changes.`);
      staleCheck(change.key, environment, current.version, change.baseVersion, current.config);
      const config = change.config as FlagConfig;
      const definition: FlagDefinition = { key: flag.key, kind: flag.kind, valueType: flag.valueType, variations: flag.variations as unknown as Variation[] };
      const problems = validateFlagConfig(config, catalog, segments, flags, definition).filter((issue) => issue.severity !== "warning");
      if (problems.length > 0) throw new AppError("VALIDATION_FAILED", `${flag.key}: ${problems[0].message}`, { flagKey: flag.key, issues: problems });
      const diff = diffFlagConfigs(current.config as unknown as FlagConfig, config);
      if (isEmptyDiff(diff)) throw new AppError("VALIDATION_FAILED", `The proposal changes nothing in “${flag.key}”.`);
      items.push({ entityType: "flag", entityId: flag.id, entityKey: flag.key, baseVersion: current.version, proposed: { ...config, version: undefined }, diff: withSummary(diff) });
    } else {
      const segment = await findSegmentWithConfig(projectId, change.key, environment.id);
      const current = segment?.configs[0];
      if (!segment || !current) throw notFound(`Segment “${change.key}” in ${environment.name}`);
      const before: SegmentContent = { included: current.included as unknown as string[], excluded: current.excluded as unknown as string[], rules: current.rules as unknown as SegmentRule[] };
      staleCheck(change.key, environment, current.version, change.baseVersion, before);
      const content: SegmentContent = { included: dedupe(change.included), excluded: dedupe(change.excluded), rules: change.rules as SegmentRule[] };
      const problems = validateSegment({ key: segment.key, ...content }, catalog, segments).filter((issue) => issue.severity !== "warning");
      if (problems.length > 0) throw new AppError("VALIDATION_FAILED", `${segment.key}: ${problems[0].message}`, { segmentKey: segment.key, issues: problems });
      const diff = diffSegmentContents(before, content);
      if (isEmptyDiff(diff)) throw new AppError("VALIDATION_FAILED", `The proposal changes nothing in “${segment.key}”.`);
      items.push({ entityType: "segment", entityId: segment.id, entityKey: segment.key, baseVersion: current.version, proposed: content, diff: withSummary(diff) });
    }
  }
  return items;
}

/** A stored item as the proposal it records (to check it again, rebase it, or add to its request). */
export function itemAsProposedChange(item: { entityType: "flag" | "segment"; entityKey: string; baseVersion: number; proposed: unknown }): ProposedChange {
  return item.entityType === "flag"
    ? { entityType: "flag", key: item.entityKey, baseVersion: item.baseVersion, config: item.proposed as FlagConfig }
    : { entityType: "segment", key: item.entityKey, baseVersion: item.baseVersion, ...(item.proposed as SegmentContent) };
}

function staleCheck(key: string, environment: EnvironmentRef, currentVersion: number, baseVersion: number, current: unknown) {
  if (currentVersion !== baseVersion) {
    throw conflict(`Someone changed “${key}” in ${environment.name} since you started (version ${currentVersion}, you edited ${baseVersion}). Review their change and propose yours again.`, {
      currentVersion,
      current,
    });
  }
}

/** The stored diff carries its plain-words lines, so notifications and exports need no renderer. */
function withSummary<D extends Parameters<typeof describeDiff>[0]>(diff: D): D & { summary: string[] } {
  return { ...diff, summary: describeDiff(diff) };
}
