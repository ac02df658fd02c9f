import { listEnvironments } from "@/lib/data/environments";
import { loadTargetingContext } from "@/lib/data/targeting-context";
import { validateFlagConfig, validateSegment } from "@/lib/evaluation";
import type { CatalogAttribute, FlagConfig, SegmentRule, ValidationIssue } from "@/lib/evaluation/types";

/** A rule (or rollout) that a catalog change would make invalid. */
export interface BrokenRule {
  kind: "flag" | "segment";
  /** The flag's or segment's key. */
  key: string;
  environmentKey: string;
  environmentName: string;
  /** 0-based index of the rule, when the problem is inside one (not the fallthrough). */
  ruleIndex: number | null;
  ruleId: string | null;
  ruleDescription: string | null;
  message: string;
}

const issueId = (issue: ValidationIssue) => `${issue.code}:${issue.path.join(".")}`;

function ruleOf(path: ValidationIssue["path"], rules: readonly (SegmentRule & { description?: string })[] | undefined) {
  const index = path[0] === "rules" && typeof path[1] === "number" ? path[1] : null;
  const rule = index === null ? undefined : rules?.[index];
  return { ruleIndex: index, ruleId: rule?.id ?? null, ruleDescription: rule?.description?.trim() || null };
}

/**
 * What replacing the catalog entry `key` by `next` (null: removing it) would break: every rule of
 * a flag (not archived: those are not evaluated) or segment, in every environment, that validates
 * now and would not afterwards — a forbidden attribute, a type its operators no longer fit, a
 * value no longer allowed. Problems a configuration already had are not blamed on the change.
 */
export async function checkCatalogChange(projectId: string, key: string, next: CatalogAttribute | null): Promise<BrokenRule[]> {
  const broken: BrokenRule[] = [];
  // A cheap first pass: only configurations that mention the key at all can be affected.
  const mentions = (value: unknown) => JSON.stringify(value).includes(JSON.stringify(key));
  for (const environment of await listEnvironments(projectId)) {
    const { catalog, segments, flags } = await loadTargetingContext(projectId, environment.id);
    const after = [...catalog.filter((a) => a.key !== key), ...(next ? [next] : [])];
    const at = { environmentKey: environment.key, environmentName: environment.name };
    for (const flag of flags) {
      if (!mentions(flag.config)) continue;
      const errors = (list: CatalogAttribute[]) => validateFlagConfig(flag.config, list, segments, flags, flag).filter((i) => i.severity !== "warning");
      const before = new Set(errors(catalog).map(issueId));
      for (const issue of errors(after)) {
        if (before.has(issueId(issue))) continue;
        broken.push({ kind: "flag", key: flag.key, ...at, ...ruleOf(issue.path, (flag.config as FlagConfig).rules), message: issue.message });
      }
    }
    for (const segment of segments) {
      if (!mentions(segment.rules)) continue;
      const errors = (list: CatalogAttribute[]) => validateSegment(segment, list, segments).filter((i) => i.severity !== "warning");
      const before = new Set(errors(catalog).map(issueId));
      for (const issue of errors(after)) {
        if (before.has(issueId(issue))) continue;
        broken.push({ kind: "segment", key: segment.key, ...at, ...ruleOf(issue.path, segment.rules), message: issue.message });
      }
    }
  }
  return broken;
}
