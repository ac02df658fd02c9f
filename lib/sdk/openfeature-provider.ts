import {
  ErrorCode,
  GeneralError,
  OpenFeatureEventEmitter,
  ProviderEvents,
  ProviderFatalError,
  StandardResolutionReasons,
  type EvaluationContext as OpenFeatureContext,
  type FlagMetadata,
  type JsonValue,
  type Provider,
  type ResolutionDetails,
  type TrackingEventDetails,
} from "@openfeature/server-sdk";
import type { EvaluationContext } from "../evaluation/types";
import { SwitchyardClient } from "./client";
import type { ClientOptions, ClientStatus, FlagType, SdkErrorCode, VariationDetail } from "./types";

export interface SwitchyardProviderOptions {
  /** How long `initialize` waits for the first snapshot. Default 10 000. */
  initTimeoutMs?: number;
}

/** Switchyard's error codes in OpenFeature's terms. */
export function toOpenFeatureErrorCode(code: SdkErrorCode | undefined): ErrorCode {
  switch (code) {
    case "FLAG_NOT_FOUND":
      return ErrorCode.FLAG_NOT_FOUND;
    case "TYPE_MISMATCH":
      return ErrorCode.TYPE_MISMATCH;
    case "TARGETING_KEY_MISSING":
      return ErrorCode.TARGETING_KEY_MISSING;
    case "MISSING_BUCKET_KEY":
      return ErrorCode.INVALID_CONTEXT;
    case "PARSE_ERROR":
    case "MALFORMED_FLAG":
      return ErrorCode.PARSE_ERROR;
    case "CLIENT_NOT_READY":
      return ErrorCode.PROVIDER_NOT_READY;
    default:
      return ErrorCode.GENERAL;
  }
}

/**
 * An OpenFeature server provider that evaluates locally with a SwitchyardClient.
 *
 * `new SwitchyardProvider({ baseUrl, sdkKey, ... })` creates its client; `new SwitchyardProvider(client)`
 * wraps one you created. Either way the provider owns the client: `OpenFeature.close()` (or replacing
 * the provider) closes it.
 */
export class SwitchyardProvider implements Provider {
  readonly metadata = { name: "switchyard" } as const;
  readonly runsOn = "server" as const;
  readonly events = new OpenFeatureEventEmitter();
  readonly client: SwitchyardClient;
  private readonly initTimeoutMs: number;
  private readonly unsubscribe: (() => void)[] = [];
  private initFailed = false;
  private lastStatus: ClientStatus;

  constructor(clientOrOptions: SwitchyardClient | ClientOptions, options: SwitchyardProviderOptions = {}) {
    this.client = clientOrOptions instanceof SwitchyardClient ? clientOrOptions : new SwitchyardClient(clientOrOptions);
    this.initTimeoutMs = options.initTimeoutMs ?? 10_000;
    this.lastStatus = this.client.status;
    this.unsubscribe.push(
      this.client.on("change", (e) => {
        this.events.emit(ProviderEvents.ConfigurationChanged, { flagsChanged: e.flagKeys, metadata: { version: e.version } });
      }),
      this.client.on("ready", () => {
        // initialize() timed out earlier: tell OpenFeature the provider is usable now.
        if (this.initFailed) {
          this.initFailed = false;
          this.events.emit(ProviderEvents.Ready);
        }
      }),
      this.client.on("status", (s) => this.onStatus(s)),
    );
  }

  /** Waits for the first snapshot (a bootstrap counts). Rejects — making OpenFeature report ERROR, or FATAL for a refused key — if none comes. */
  async initialize(): Promise<void> {
    const r = await this.client.waitForInitialization(this.initTimeoutMs);
    if (r.initialized) return;
    this.initFailed = true;
    if (r.status === "unauthorized") throw new ProviderFatalError(r.reason ?? "The server refused the SDK key.");
    throw new GeneralError(r.reason ?? "No snapshot available.");
  }

  async onClose(): Promise<void> {
    for (const u of this.unsubscribe.splice(0)) u();
    await this.client.close();
  }

  resolveBooleanEvaluation(flagKey: string, defaultValue: boolean, context: OpenFeatureContext): Promise<ResolutionDetails<boolean>> {
    return Promise.resolve(this.resolve("boolean", flagKey, defaultValue, context));
  }

  resolveStringEvaluation(flagKey: string, defaultValue: string, context: OpenFeatureContext): Promise<ResolutionDetails<string>> {
    return Promise.resolve(this.resolve("string", flagKey, defaultValue, context));
  }

  resolveNumberEvaluation(flagKey: string, defaultValue: number, context: OpenFeatureContext): Promise<ResolutionDetails<number>> {
    return Promise.resolve(this.resolve("number", flagKey, defaultValue, context));
  }

  resolveObjectEvaluation<T extends JsonValue>(flagKey: string, defaultValue: T, context: OpenFeatureContext): Promise<ResolutionDetails<T>> {
    return Promise.resolve(this.resolve("json", flagKey, defaultValue, context));
  }

  /** OpenFeature `client.track(name, context, { value })` → a Switchyard metric event. */
  track(trackingEventName: string, context: OpenFeatureContext, trackingEventDetails?: TrackingEventDetails): void {
    this.client.track(trackingEventName, context as EvaluationContext, trackingEventDetails?.value);
  }

  private resolve<T>(type: FlagType, flagKey: string, defaultValue: T, context: OpenFeatureContext): ResolutionDetails<T> {
    const d = this.client.evaluate(type, flagKey, (context ?? {}) as EvaluationContext, defaultValue);
    const flagMetadata = metadataOf(d);
    if (d.reason === "ERROR") {
      return {
        value: defaultValue,
        reason: StandardResolutionReasons.ERROR,
        errorCode: toOpenFeatureErrorCode(d.errorCode),
        errorMessage: d.errorMessage,
        flagMetadata,
      };
    }
    const out: ResolutionDetails<T> = { value: d.value, reason: d.ofrepReason, flagMetadata };
    if (d.variationKey !== undefined) out.variant = d.variationKey;
    return out;
  }

  private onStatus(s: ClientStatus): void {
    const prev = this.lastStatus;
    this.lastStatus = s;
    if (s === "stale") {
      this.events.emit(ProviderEvents.Stale, { message: "The Switchyard server is unreachable; serving the last snapshot." });
    } else if (s === "ready" && prev === "stale") {
      this.events.emit(ProviderEvents.Ready);
    } else if (s === "unauthorized") {
      this.events.emit(ProviderEvents.Error, { errorCode: ErrorCode.PROVIDER_FATAL, message: "The Switchyard server refused the SDK key." });
    }
  }
}

/** Primitive metadata only (OpenFeature's FlagMetadata): rule, versions, and Switchyard's own reason. */
function metadataOf(d: VariationDetail<unknown>): FlagMetadata {
  const m: FlagMetadata = { reason: d.reason };
  if (d.ruleId !== undefined) m.ruleId = d.ruleId;
  if (d.ruleIndex !== undefined) m.ruleIndex = d.ruleIndex;
  if (d.snapshotVersion !== undefined) m.version = d.snapshotVersion;
  if (d.flagVersion !== undefined) m.flagVersion = d.flagVersion;
  if (d.inRollout !== undefined) m.inRollout = d.inRollout;
  if (d.bucket !== undefined) m.bucket = d.bucket;
  if (d.optedOut !== undefined) m.optedOut = d.optedOut;
  if (d.prerequisiteKey !== undefined) m.prerequisiteKey = d.prerequisiteKey;
  // Codes that come with a served value (a missing or cyclic prerequisite) are warnings here.
  if (d.reason !== "ERROR" && d.errorCode !== undefined) m.warning = d.errorCode;
  return m;
}
