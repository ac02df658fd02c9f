import { toOfrepReason } from "@/lib/evaluation";
import type { EvaluationContext, EvaluationResult } from "@/lib/evaluation/types";
import type { OfrepFailure, OfrepSuccess } from "./ofrep-errors";

/**
 * One engine result as OFREP's success or failure body. Metadata carries only primitives: the
 * matching rule, the configuration version and the environment's snapshot version.
 */
export function toOfrepResult(
  key: string,
  result: EvaluationResult,
  context: EvaluationContext,
  versions: { configVersion?: number; snapshotVersion: number },
): OfrepSuccess | OfrepFailure {
  switch (result.errorCode) {
    case "FLAG_NOT_FOUND":
      return { key, errorCode: "FLAG_NOT_FOUND", errorDetails: `No flag named ${key} in this environment.` };
    case "TARGETING_KEY_MISSING":
      return { key, errorCode: "TARGETING_KEY_MISSING", errorDetails: result.errorMessage };
    case "MISSING_BUCKET_KEY":
      // A rollout by the targeting key cannot place a context that has none.
      if (typeof context.targetingKey !== "string" || context.targetingKey === "") {
        return { key, errorCode: "TARGETING_KEY_MISSING", errorDetails: result.errorMessage ?? "This flag needs a targetingKey." };
      }
      break;
    case "MALFORMED_FLAG":
    case "PREREQUISITE_NOT_FOUND":
    case "PREREQUISITE_CYCLE":
    case "TYPE_MISMATCH":
    case "GENERAL":
      return { key, errorCode: "GENERAL", errorDetails: result.errorMessage ?? "The flag could not be evaluated." };
  }
  const metadata: Record<string, string | number | boolean> = { snapshotVersion: versions.snapshotVersion };
  if (versions.configVersion !== undefined) metadata.configVersion = versions.configVersion;
  if (result.ruleId !== undefined) metadata.ruleId = result.ruleId;
  if (result.ruleIndex !== undefined) metadata.ruleIndex = result.ruleIndex;
  if (result.inRollout !== undefined) metadata.inRollout = result.inRollout;
  if (result.optedOut) metadata.optedOut = true;
  if (result.errorCode) metadata.errorCode = result.errorCode;
  return {
    key,
    value: result.value,
    reason: toOfrepReason(result),
    ...(result.variationKey !== undefined ? { variant: result.variationKey } : {}),
    metadata,
  };
}
