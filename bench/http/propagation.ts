/**
 * Propagation: the time from issuing a configuration change (REST PUT that toggles one flag's
 * `on`) to an SDK connected over SSE receiving the configuration with the new version. Changes
 * are made one at a time, each waiting for its observation (then a short random pause), cycling
 * over the flags. The writer and the stream may be different instances (PostgreSQL).
 */
import type { RestClient } from "./rest";
import { connectSnapshotStream } from "./sse-client";

export interface PropagationResult {
  changes: number;
  /** Change issued → stream delivered the new version, ms. */
  latencies: number[];
  /** The PUT's own round trip, ms. */
  putLatencies: number[];
  p50: number;
  p99: number;
  max: number;
  putP50: number;
  putP99: number;
  /** Changes whose new version did not arrive within the timeout. */
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

export async function measurePropagation(options: {
  writer: RestClient;
  streamOrigin: string;
  sdkKey: string;
  flagKeys: string[];
  changes: number;
}): Promise<PropagationResult> {
  const { writer, flagKeys } = options;
  const stream = connectSnapshotStream(options.streamOrigin, options.sdkKey);
  try {
    await Promise.race([stream.ready, new Promise((_, reject) => setTimeout(() => reject(new Error("no snapshot from the stream within 15 s")), 15_000))]);
    const latencies: number[] = [];
    const putLatencies: number[] = [];
    let missed = 0;
    for (let i = 0; i < options.changes; i++) {
      const key = flagKeys[i % flagKeys.length];
      const { version, config } = await writer.readFlagConfig(key);
      const target = { on: !config.on, version: version + 1 };
      const observed = new Promise<number | null>((resolve) => {
        const check = () => {
          const seen = stream.flags.get(key);
          return seen !== undefined && seen.version >= target.version && seen.on === target.on;
        };
        const timer = setTimeout(() => {
          stop();
          resolve(null);
        }, OBSERVE_TIMEOUT_MS);
        const stop = stream.onEvent((event) => {
          if (!check()) return;
          clearTimeout(timer);
          stop();
          resolve(event.at);
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
    stream.close();
  }
}
