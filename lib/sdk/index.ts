/**
 * Switchyard's local-evaluation SDK for Node.js (≥ 20) and its OpenFeature provider.
 * Relative imports only: this folder is consumed outside the Next.js app. See README.md.
 */
export { createClient, SwitchyardClient } from "./client";
export { SwitchyardProvider, toOpenFeatureErrorCode, type SwitchyardProviderOptions } from "./openfeature-provider";
export type {
  ChangeEvent,
  ClientEventMap,
  ClientOptions,
  ClientStatus,
  EnvironmentSnapshot,
  EvaluationContext,
  EventStats,
  FlagType,
  InitializationResult,
  JsonValue,
  SdkErrorCode,
  SdkLogger,
  VariationDetail,
} from "./types";
export type { EventBatch, ExposureEvent, MetricEvent, SnapshotPatch } from "../snapshots/wire-format";
