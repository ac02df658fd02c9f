export * from "./types";
export { compileSnapshot, MAX_PREREQUISITE_DEPTH, type CompiledSnapshot } from "./compile";
export { evaluate, evaluateAll, evaluateFlag, type EvaluateOptions } from "./evaluate";
export { bucketFor, BUCKET_SCALE } from "./bucketing";
export { toOfrepReason } from "./ofrep";
export { explainResult, describeClause } from "./explain";
export { CLOCK_ATTRIBUTE } from "./operators/values";
export { checkRegexSafety } from "./operators/regex";
export { OPERATOR_LABELS, validateFlagConfig, validateSegment } from "./validate";
export {
  importUnleash,
  toUnleashVariant,
  unleashContextToSwitchyard,
  type UnleashImport,
  type UnleashVariantView,
} from "./unleash/import";
export {
  compilePackedSnapshot,
  isPackedSnapshot,
  packSnapshot,
  unpackSnapshot,
  PACKED_FORMAT,
  type PackedSnapshot,
} from "./packed";
