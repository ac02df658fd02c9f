/**
 * The targeting engine's data model. This file is the contract between the engine, the zod
 * schemas in lib/schemas, the database (configurations are stored as JSON of these shapes), the
 * console and the SDK. Extend it compatibly; never rename a field that is persisted.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export type FlagKind = "release" | "experiment" | "operational" | "permission";
export type FlagValueType = "boolean" | "string" | "number" | "json";

export interface Variation {
  /** Stable identifier referenced by targets, rules and rollouts. */
  key: string;
  value: JsonValue;
  name?: string;
  description?: string;
}

/** What a flag is, independent of environment. */
export interface FlagDefinition {
  key: string;
  kind: FlagKind;
  valueType: FlagValueType;
  variations: Variation[];
}

export type Operator =
  | "in" | "notIn" | "equals" | "contains" | "startsWith" | "endsWith" | "matches"
  | "lt" | "lte" | "gt" | "gte"
  | "before" | "after"
  | "semverEq" | "semverLt" | "semverGt"
  | "exists"
  | "inSegment" | "notInSegment"
  | "inCidr";

export type ClauseValue = string | number | boolean;

export interface Clause {
  /** Context attribute name; `targetingKey` for the key. Ignored for segment operators. */
  attribute: string;
  op: Operator;
  /** Operands; segment keys for `inSegment` / `notInSegment`. */
  values: ClauseValue[];
  negate?: boolean;
  /** String operators compare case-insensitively when set. */
  caseInsensitive?: boolean;
}

/** Weight in units of 0.001 %: all weights of a rollout sum to 100_000. */
export interface WeightedVariation {
  variation: string;
  weight: number;
}

export interface Rollout {
  weights: WeightedVariation[];
  /** Attribute whose value is hashed; default `targetingKey`. */
  bucketBy?: string;
  /** Hash seed; default the flag key. Changing it re-buckets everyone. */
  seed?: string;
}

export type Serve = { variation: string } | { rollout: Rollout };

export interface Rule {
  /** Stable id (survives reordering); reported in results and OFREP metadata. */
  id: string;
  description?: string;
  /** `all` (default): every clause must match; `any`: at least one. */
  match?: "all" | "any";
  clauses: Clause[];
  serve: Serve;
}

export interface Target {
  variation: string;
  /** Context keys (targetingKey values) that receive `variation`. */
  values: string[];
}

export interface Prerequisite {
  flagKey: string;
  /** The prerequisite flag must serve this variation. */
  variation: string;
}

/** A flag's configuration in one environment (versioned in the database). */
export interface FlagConfig {
  on: boolean;
  offVariation: string;
  targets: Target[];
  rules: Rule[];
  fallthrough: Serve;
  prerequisites: Prerequisite[];
  version?: number;
}

/** A flag as evaluated in one environment. */
export interface Flag extends FlagDefinition {
  config: FlagConfig;
}

export interface SegmentRule {
  id: string;
  match?: "all" | "any";
  clauses: Clause[];
}

export interface Segment {
  key: string;
  /** Context keys always in the segment (unless excluded). */
  included: string[];
  /** Context keys never in the segment; exclusion wins over inclusion and rules. */
  excluded: string[];
  /** A context matching any rule is in the segment. */
  rules: SegmentRule[];
}

/** OpenFeature naming: `targetingKey` plus free attributes. */
export interface EvaluationContext {
  targetingKey?: string;
  [attribute: string]: unknown;
}

export type EvaluationReason =
  | "OFF" | "TARGET_MATCH" | "RULE_MATCH" | "FALLTHROUGH" | "PREREQUISITE_FAILED" | "ERROR";

export type EvaluationErrorCode =
  | "FLAG_NOT_FOUND"
  | "MALFORMED_FLAG"
  | "MISSING_BUCKET_KEY"
  | "TARGETING_KEY_MISSING"
  | "PREREQUISITE_NOT_FOUND"
  | "PREREQUISITE_CYCLE"
  | "TYPE_MISMATCH"
  | "GENERAL";

export interface EvaluationResult {
  value: JsonValue;
  variationKey?: string;
  reason: EvaluationReason;
  ruleId?: string;
  ruleIndex?: number;
  /** Set when a rollout chose the variation. */
  inRollout?: boolean;
  /** Bucket in [0, 100) with 0.001 precision, when a rollout was consulted. */
  bucket?: number;
  /** The context opted out of experiments and got the control variation. */
  optedOut?: boolean;
  /** For PREREQUISITE_FAILED: the prerequisite that failed. */
  prerequisiteKey?: string;
  errorCode?: EvaluationErrorCode;
  errorMessage?: string;
}

export type OfrepReason = "STATIC" | "TARGETING_MATCH" | "SPLIT" | "DISABLED" | "DEFAULT" | "ERROR";

/** Attribute catalog entry, used by validation (targeting may only use catalogued attributes). */
export type AttributeType = "string" | "number" | "boolean" | "semver" | "date" | "list";
export type AttributeSensitivity = "public" | "private" | "forbidden";

export interface CatalogAttribute {
  key: string;
  type: AttributeType;
  allowedValues?: ClauseValue[];
  sensitivity: AttributeSensitivity;
}

export interface ValidationIssue {
  /** Path into the configuration, e.g. ["rules", 1, "clauses", 0, "values", 2]. */
  path: (string | number)[];
  /** A sentence a product manager understands. */
  message: string;
  code: string;
}
