/**
 * Propagation: the time from issuing a configuration change (a REST PUT that toggles one flag's
 * `on`) to Switchyard's SDK (lib/sdk), connected over SSE, serving the new value: its `change`
 * event fires once the new version is installed and compiled, and the listener then evaluates the
 * flag for a pro/US context (on → the rule serves `true`; off → the off variation `false`) and
 * checks the flag's configuration version. Changes are made one at a time, each waiting for its
 * observation (then a short random pause): each flag in turn is switched off and then on again,
 * so the environment ends as it began (the diagnostic that follows verifies against it). The writer and the SDK's server
 * may be different instances (PostgreSQL).
 */
import { createClient } from "@/lib/sdk";
import type { RestClient } from "./rest";

export interface PropagationResult {
  changes: number;
  /** Change issued → the SDK serves the new value, ms. */
  latencies: number[];
  /** The PUT's own round trip, ms. */
  putLatencies: number[];
  p50: number;
  p99: number;
  max: number;
  putP50: number;
  putP99: number;
  /** Changes whose new value was not served within the timeout. */
  missed: number;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  // Nearest rank: the smallest value with at least p % of the values at or below it.
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

const OBSERVE_TIMEOUT_MS = 10_000;
const PRO_US = { targetingKey: "user-propagation", plan: "pro", country: "US" };

export async function measurePropagation(options: {
  writer: RestClient;
  streamOrigin: string;
  sdkKey: string;
  flagKeys: string[];
  changes: number;
}): Promise<PropagationResult> {
  const { writer, flagKeys } = options;
  const warnings: string[] = [];
  const sdk = createClient({
    baseUrl: options.streamOrigin,
    sdkKey: options.sdkKey,
    sendEvents: false,
    logger: { warn: (message) => warnings.push(message), error: (message) => warnings.push(message) },
  });
  try {
    const init = await sdk.waitForInitialization(15_000);
    if (!init.initialized) throw new Error(`the SDK did not initialise: ${init.reason}`);
    const latencies: number[] = [];
    const putLatencies: number[] = [];
    let missed = 0;
    for (let i = 0; i < options.changes; i++) {
      const key = flagKeys[Math.floor(i / 2) % flagKeys.length];
      const { version, config } = await writer.readFlagConfig(key);
      const target = { on: !config.on, version: version + 1 };
      const serving = () => {
        const detail = sdk.boolVariationDetail(key, PRO_US, !target.on);
        return detail.value === target.on && (detail.flagVersion ?? 0) >= target.version;
      };
      const observed = new Promise<number | null>((resolve) => {
        const timer = setTimeout(() => {
          off();
          resolve(null);
        }, OBSERVE_TIMEOUT_MS);
        const off = sdk.on("change", ({ flagKeys: changed }) => {
          if (!changed.includes(key) || !serving()) return;
          const at = performance.now();
          clearTimeout(timer);
          off();
          resolve(at);
        });
      });
      const issued = performance.now();
      await writer.replaceFlagConfig(key, version, { ...config, on: target.on });
      putLatencies.push(performance.now() - issued);
      const at = await observed;
      if (at === null) missed++;
      else latencies.push(at - issued);
      await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 30));
    }
    if (missed > 0 && warnings.length) console.error(`bench:http: SDK warnings: ${warnings.slice(0, 5).join(" | ")}`);
    return {
      changes: options.changes,
      latencies,
      putLatencies,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: Math.max(...latencies),
      putP50: percentile(putLatencies, 50),
      putP99: percentile(putLatencies, 99),
      missed,
    };
  } finally {
    await sdk.close();
  }
}
