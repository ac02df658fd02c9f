import { diffConfigs } from "@/components/rule-builder/diff";
import { describeDiff, describeSegmentDiff, diffSegmentContents, type ConfigDiff, type SegmentContentForDiff } from "@/lib/change-requests/config-diff";
import type { FlagConfig } from "@/lib/evaluation/types";

/**
 * What an audit entry changed, in plain words, for any entity: the stored rule-level diff when
 * the writer kept one (change requests), else the flag-configuration or segment diff computed
 * from before and after, else the top-level fields that differ. Empty when there is nothing to
 * compare (a creation or deletion shows its raw JSON instead).
 */

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);
const isFlagConfig = (value: unknown): value is FlagConfig => isObject(value) && Array.isArray(value.rules) && "fallthrough" in value;
const isSegmentContent = (value: unknown): value is SegmentContentForDiff =>
  isObject(value) && Array.isArray(value.included) && Array.isArray(value.excluded) && Array.isArray(value.rules);
const isConfigDiff = (value: unknown): value is ConfigDiff =>
  isObject(value) && (value.entity === "flag" ? Array.isArray(value.rules) && Array.isArray(value.targets) : value.entity === "segment" && Array.isArray(value.rules));

const MAX_VALUE = 80;

function shortJson(value: unknown): string {
  const text = value === undefined ? "—" : JSON.stringify(value);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

function fieldLines(before: Json, after: Json): string[] {
  const lines: string[] = [];
  for (const field of [...new Set([...Object.keys(before), ...Object.keys(after)])]) {
    const a = before[field];
    const b = after[field];
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    if (a === undefined) lines.push(`\`${field}\` set to \`${shortJson(b)}\``);
    else if (b === undefined) lines.push(`\`${field}\` removed (was \`${shortJson(a)}\`)`);
    else lines.push(`\`${field}\`: \`${shortJson(a)}\` → \`${shortJson(b)}\``);
  }
  return lines;
}

export function auditChangeLines(entry: { before: unknown; after: unknown; diff: unknown }): string[] {
  try {
    if (isConfigDiff(entry.diff)) return describeDiff(entry.diff);
    const { before, after } = entry;
    if (isFlagConfig(before) && isFlagConfig(after)) return diffConfigs(before, after);
    if (isSegmentContent(before) && isSegmentContent(after)) return describeSegmentDiff(diffSegmentContents(before, after));
    if (isObject(before) && isObject(after)) return fieldLines(before, after);
  } catch {
    // A shape this version does not know (older or newer writers): the raw JSON still shows it.
  }
  return [];
}
