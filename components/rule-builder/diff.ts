import { describeFlagConfigDiff, diffFlagConfigs } from "@/lib/change-requests/config-diff";
import type { FlagConfig } from "@/lib/evaluation/types";

/**
 * What a save changes, in plain words, for the confirmation before saving and for history
 * entries: the same rule-level diff change requests store (lib/change-requests/config-diff.ts).
 */
export { canonical, describeRule, describeServe } from "@/lib/change-requests/config-diff";

export function diffConfigs(before: FlagConfig, after: FlagConfig): string[] {
  return describeFlagConfigDiff(diffFlagConfigs(before, after));
}
