import type { SdkPrincipal } from "@/lib/auth/sdk-key-auth";
import { findLatestExposures } from "@/lib/data/events";
import { type EventBatchInput, type EventBatchResult, eventTimeMs } from "@/lib/schemas/events";
import { attributeMetrics, type CandidateMetric, exposureProbes } from "./attribute-metrics";
import type { AcceptedExposure } from "./compute-rollups";
import { getEventCatalog } from "./event-catalog";
import { eventWriter } from "./event-writer";
import { stripAttributes } from "./strip-attributes";

const MAX_REPORTED_KEYS = 100;

/**
 * Ingests a validated batch for the SDK key's environment: drops what cannot be attributed
 * (unknown flags and metrics, metric events of contexts never exposed), strips attributes by the
 * catalog, attributes metric events to variations, and stores raw exposures and the rollups in one
 * transaction (shared with batches arriving at the same time, see event-writer.ts). Returns what
 * happened to every event; accepted events are committed when it returns.
 */
export async function ingestEvents(principal: SdkPrincipal, batch: EventBatchInput): Promise<EventBatchResult> {
  const catalog = await getEventCatalog(principal.projectId);
  const unknownFlags = new Set<string>();
  const unknownMetrics = new Set<string>();
  const dropped = { unknownFlag: 0, unknownMetric: 0, unattributed: 0, missingValue: 0 };
  let stripped = 0;

  const exposures: AcceptedExposure[] = [];
  const metrics: CandidateMetric[] = [];
  for (const event of batch.events) {
    const attributes = stripAttributes(event.attributes, catalog.publicAttributes);
    stripped += attributes.stripped;
    const at = eventTimeMs(event.timestamp);
    if (event.kind === "exposure") {
      const flag = catalog.flags.get(event.flagKey);
      // A client key only ever sees client-visible flags, so it cannot have exposed another one;
      // accepting such events would let a browser write into a server-side flag's dashboard.
      if (!flag || (principal.kind === "client" && !flag.clientVisible)) {
        dropped.unknownFlag += 1;
        unknownFlags.add(event.flagKey);
        continue;
      }
      exposures.push({
        environmentId: principal.environmentId,
        flagKey: event.flagKey,
        variationKey: event.variationKey,
        contextKey: event.contextKey,
        attributes: attributes.kept,
        at,
        configVersion: event.configVersion,
      });
    } else {
      const metric = catalog.metrics.get(event.metricKey);
      if (!metric) {
        dropped.unknownMetric += 1;
        unknownMetrics.add(event.metricKey);
        continue;
      }
      // A value metric's mean needs a value; counting the event as 0 would bias it.
      if (metric.kind === "value" && event.value === undefined) {
        dropped.missingValue += 1;
        continue;
      }
      metrics.push({ metricKey: event.metricKey, contextKey: event.contextKey, value: event.value, attributes: attributes.kept, at });
    }
  }

  let attributed: ReturnType<typeof attributeMetrics>["attributed"] = [];
  let acceptedMetrics = 0;
  if (metrics.length) {
    const { probes, probeOf } = exposureProbes(metrics);
    const prior = await findLatestExposures(principal.environmentId, probes);
    const result = attributeMetrics(metrics, probeOf, prior, exposures, catalog.publicAttributes);
    attributed = result.attributed;
    dropped.unattributed = result.unattributed;
    acceptedMetrics = metrics.length - result.unattributed;
  }

  await eventWriter.write({ environmentId: principal.environmentId, exposures, metrics: attributed, dimensions: catalog.dimensions });

  return {
    received: batch.events.length,
    accepted: exposures.length + acceptedMetrics,
    dropped,
    unknownFlags: [...unknownFlags].slice(0, MAX_REPORTED_KEYS),
    unknownMetrics: [...unknownMetrics].slice(0, MAX_REPORTED_KEYS),
    stripped,
  };
}
