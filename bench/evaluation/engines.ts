/** The engines the benchmark compares, Switchyard first. */
import type { EngineAdapter, EngineId } from "./adapter";
import { flagdAdapter } from "./flagd";
import { growthbookAdapter } from "./growthbook";
import { launchdarklyAdapter } from "./launchdarkly";
import { switchyardAdapter } from "./switchyard";
import { unleashAdapter } from "./unleash";

export const ADAPTERS: Record<EngineId, EngineAdapter> = {
  switchyard: switchyardAdapter as EngineAdapter,
  unleash: unleashAdapter as EngineAdapter,
  growthbook: growthbookAdapter as EngineAdapter,
  flagd: flagdAdapter as EngineAdapter,
  launchdarkly: launchdarklyAdapter as EngineAdapter,
};

export const ENGINE_IDS = Object.keys(ADAPTERS) as EngineId[];
export const PEER_IDS = ENGINE_IDS.filter((id) => id !== "switchyard");
