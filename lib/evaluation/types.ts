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
  /**
   * Free-form data carried with the variation (not the served value). Imported Unleash variants
   * keep their payload here as `{ unleash: { variant: true, payload } }`.
   */
  metadata?: { [key: string]: JsonValue };
}

/** What a flag is, independent of environment. */
export interface FlagDefinition {
  key: string;
  kind: FlagKind;
  valueType: FlagValueType;
  variations: Variation[];
  /**
   * Experiment flags: the variation served to contexts that opted out of experiments.
   * Default: the first variation.
   */
  controlVariation?: string;
}

export type Operator =
  | "in" | "notIn" | "equals" | "contains" | "startsWith" | "endsWith" | "matches"
  | "lt" | "lte" | "gt" | "gte"
  | "before" | "after"
  | "semverEq" | "semverLt" | "semverGt" | "semverGte" | "semverLte"
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
  /**
   * With `negate`, a context whose attribute is missing or unusable for the operator matches too,
   * i.e. the clause is the plain boolean negation of the un-negated clause (Unleash's `inverted`).
   * Default false: negate never turns a missing attribute into a match.
   */
  negateMatchesMissing?: boolean;
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
  /**
   * Bucket with Unleash's variant algorithm instead of Switchyard's (imported flags). With it,
   * `weights` are Unleash variant weights (any positive total) kept in their original order.
   */
  unleash?: UnleashBucketing;
  /** Checked in order before bucketing: a context whose attribute is one of `values` gets `variation`. */
  overrides?: RolloutOverride[];
}

export interface RolloutOverride {
  attribute: string;
  values: string[];
  variation: string;
}

/**
 * Unleash bucketing (see docs/decisions/0002-bucketing.md): MurmurHash3 x86/32 of
 * `groupId:stickinessValue` over the low byte of each UTF-16 unit (as the murmurhash3js package
 * does), seed 0 for strategy percentages (normalised to 1..100) and 86028157 for variants
 * (normalised to 1..total weight).
 */
export interface UnleashBucketing {
  groupId: string;
  /**
   * `default`: userId, then sessionId (then remoteAddress, for variants), then a random value;
   * `random`: a random value every evaluation; anything else: that attribute.
   */
  stickiness: string;
}

/**
 * A rule that applies to only part of the contexts it matches: the others continue with the next
 * rule (GrowthBook's "coverage", Unleash's strategy rollout percentage).
 */
export interface RuleCoverage {
  /** Share of matching contexts the rule applies to, in 0.001 % units (0..100000). */
  percentage: number;
  /** Attribute whose value is hashed; default `targetingKey`. A context without it is not covered. */
  bucketBy?: string;
  /** Hash seed; default `<flagKey>/<ruleId>`, so coverage and the rule's rollout are independent. */
  seed?: string;
  /** Use Unleash's strategy bucketing instead (imported flags). */
  unleash?: UnleashBucketing;
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
  /** Optional percentage gate: contexts outside it skip this rule. */
  coverage?: RuleCoverage;
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
  /** If set, serving any of these variations (as well as `variation`) satisfies the prerequisite. */
  variations?: string[];
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
  /** The flag has no targeting at all: every context gets this value (OFREP `STATIC`). */
  isStatic?: boolean;
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
  description?: string;
  /** Shown as a cohort axis in rollout dashboards. */
  dashboardDimension?: boolean;
}

export interface ValidationIssue {
  /** Path into the configuration, e.g. ["rules", 1, "clauses", 0, "values", 2]. */
  path: (string | number)[];
  /** A sentence a product manager understands. */
  message: string;
  code: string;
  /** `error` (default) blocks saving; `warning` is shown but allowed. */
  severity?: "error" | "warning";
}
