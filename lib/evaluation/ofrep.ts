import type { EvaluationResult, OfrepReason } from "./types";

/**
 * Switchyard reasons → OFREP / OpenFeature reasons:
 * OFF → DISABLED; TARGET_MATCH → TARGETING_MATCH; RULE_MATCH → SPLIT when a rollout picked the
 * variation, else TARGETING_MATCH; FALLTHROUGH → SPLIT for a rollout, STATIC when the flag has no
 * targeting at all, else DEFAULT; PREREQUISITE_FAILED → DEFAULT (the flag serves its off variation);
 * ERROR → ERROR.
 */
export function toOfrepReason(result: EvaluationResult): OfrepReason {
  switch (result?.reason) {
    case "OFF":
      return "DISABLED";
    case "TARGET_MATCH":
      return "TARGETING_MATCH";
    case "RULE_MATCH":
      return result.inRollout ? "SPLIT" : "TARGETING_MATCH";
    case "FALLTHROUGH":
      return result.inRollout ? "SPLIT" : result.isStatic ? "STATIC" : "DEFAULT";
    case "PREREQUISITE_FAILED":
      return "DEFAULT";
    default:
      return "ERROR";
  }
}
