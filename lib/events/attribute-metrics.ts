import type { AcceptedExposure, AttributedMetric } from "./compute-rollups";
import { type StoredAttributes, stripAttributes } from "./strip-attributes";

/**
 * Metric attribution: a metric event counts, for every flag, toward the variation its context was
 * most recently exposed to at or before the event's time, in the same environment. A context
 * never exposed before the event is unattributed (counted in the response, not stored).
 *
 * The candidates come from two places: stored exposures, fetched for the whole batch by one
 * set-based query (one probe per distinct context × time, lib/data/events.ts), and the batch's own
 * exposures, which are not stored yet when the query runs. The later of the two wins; on a tie the
 * batch's (it arrived last).
 */

/** A metric event of a defined metric, ready for attribution. */
export interface CandidateMetric {
  metricKey: string;
  contextKey: string;
  value: number | undefined;
  attributes: StoredAttributes;
  at: number;
}

/** A stored exposure returned for a probe: the latest per flag at or before the probe's time. */
export interface PriorExposure {
  probe: number;
  flagKey: string;
  variationKey: string;
  at: number;
  attributes: unknown;
}

export interface ExposureProbe {
  contextKey: string;
  at: number;
}

/** The distinct (context, time) pairs to look up, and which one each metric event uses. */
export function exposureProbes(metrics: readonly CandidateMetric[]): { probes: ExposureProbe[]; probeOf: number[] } {
  const index = new Map<string, number>();
  const probes: ExposureProbe[] = [];
  const probeOf = metrics.map((metric) => {
    const key = `${metric.at}\u0000${metric.contextKey}`;
    let probe = index.get(key);
    if (probe === undefined) {
      probe = probes.push({ contextKey: metric.contextKey, at: metric.at }) - 1;
      index.set(key, probe);
    }
    return probe;
  });
  return { probes, probeOf };
}

interface Candidate {
  variationKey: string;
  at: number;
  attributes: StoredAttributes;
}

export function attributeMetrics(
  metrics: readonly CandidateMetric[],
  probeOf: readonly number[],
  prior: readonly PriorExposure[],
  batchExposures: readonly AcceptedExposure[],
  publicAttributes: ReadonlySet<string>,
): { attributed: AttributedMetric[]; unattributed: number } {
  const priorByProbe = new Map<number, PriorExposure[]>();
  for (const row of prior) {
    const list = priorByProbe.get(row.probe);
    if (list) list.push(row);
    else priorByProbe.set(row.probe, [row]);
  }
  const batchByContext = new Map<string, AcceptedExposure[]>();
  for (const exposure of batchExposures) {
    const list = batchByContext.get(exposure.contextKey);
    if (list) list.push(exposure);
    else batchByContext.set(exposure.contextKey, [exposure]);
  }

  const attributed: AttributedMetric[] = [];
  let unattributed = 0;
  metrics.forEach((metric, i) => {
    const byFlag = new Map<string, Candidate>();
    for (const row of priorByProbe.get(probeOf[i]) ?? []) {
      // Stored attributes were stripped by the catalog of their day; apply today's as well.
      byFlag.set(row.flagKey, {
        variationKey: row.variationKey,
        at: row.at,
        attributes: stripAttributes(row.attributes as Record<string, unknown>, publicAttributes).kept,
      });
    }
    for (const exposure of batchByContext.get(metric.contextKey) ?? []) {
      if (exposure.at > metric.at) continue;
      const current = byFlag.get(exposure.flagKey);
      if (!current || exposure.at >= current.at) {
        byFlag.set(exposure.flagKey, { variationKey: exposure.variationKey, at: exposure.at, attributes: exposure.attributes });
      }
    }
    if (byFlag.size === 0) {
      unattributed += 1;
      return;
    }
    for (const [flagKey, candidate] of byFlag) {
      attributed.push({
        metricKey: metric.metricKey,
        flagKey,
        variationKey: candidate.variationKey,
        contextKey: metric.contextKey,
        value: metric.value,
        // The cohort is the one the context was exposed in, so a metric and its exposures fall in
        // the same cohort; the metric event's own attributes only fill what the exposure lacks.
        attributes: { ...metric.attributes, ...candidate.attributes },
        at: metric.at,
      });
    }
  });
  return { attributed, unattributed };
}
