import type { StoredAttributes } from "./strip-attributes";

/**
 * Rollup rows of one batch, computed in memory and then added to the stored rows by one upsert
 * per table (lib/data/events.ts). Each event contributes to the overall row (dimension "" and
 * value "") and to one row per dashboard dimension; an event without the attribute counts under
 * NO_VALUE, so along every dimension the cohorts add up to the overall row.
 */

export const NO_VALUE = "(none)";
const MAX_DIMENSION_VALUE = 256;

export const MINUTE_MS = 60_000;

export function minuteBucket(at: number): number {
  return Math.floor(at / MINUTE_MS) * MINUTE_MS;
}

/** A dimension value as rollups store it: strings as they are, others as JSON, capped. */
export function dimensionValue(value: unknown): string {
  if (value === undefined || value === null) return NO_VALUE;
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > MAX_DIMENSION_VALUE ? text.slice(0, MAX_DIMENSION_VALUE) : text;
}

/** An exposure that passed validation, catalog checks and stripping. */
export interface AcceptedExposure {
  flagKey: string;
  variationKey: string;
  contextKey: string;
  attributes: StoredAttributes;
  /** Epoch milliseconds. */
  at: number;
  configVersion?: number;
}

/** A metric event credited to the variation its context last saw of one flag. */
export interface AttributedMetric {
  metricKey: string;
  flagKey: string;
  variationKey: string;
  contextKey: string;
  value: number | undefined;
  /** Public attributes giving the cohort (the exposure's, completed by the metric event's). */
  attributes: StoredAttributes;
  at: number;
}

interface RollupCell {
  dimension: string;
  dimensionValue: string;
}

export interface ExposureRollupRow extends RollupCell {
  flagKey: string;
  bucketStart: number;
  variationKey: string;
  count: number;
  /** Distinct contexts of this batch in the row; the store counts those it had not seen before. */
  contexts: string[];
}

export interface MetricRollupRow extends RollupCell {
  flagKey: string;
  metricKey: string;
  bucketStart: number;
  variationKey: string;
  count: number;
  sum: number;
  sumSquares: number;
  contexts: string[];
}

function cellsOf(attributes: StoredAttributes, dimensions: readonly string[]): RollupCell[] {
  const cells: RollupCell[] = [{ dimension: "", dimensionValue: "" }];
  for (const dimension of dimensions) cells.push({ dimension, dimensionValue: dimensionValue(attributes[dimension]) });
  return cells;
}

/** An unambiguous map key for a tuple of strings and numbers (keys may contain any separator). */
const tupleKey = (...parts: (string | number)[]) => JSON.stringify(parts);

export function computeExposureRollups(exposures: readonly AcceptedExposure[], dimensions: readonly string[]): ExposureRollupRow[] {
  const rows = new Map<string, ExposureRollupRow & { seen: Set<string> }>();
  for (const exposure of exposures) {
    const bucketStart = minuteBucket(exposure.at);
    for (const cell of cellsOf(exposure.attributes, dimensions)) {
      const key = tupleKey(exposure.flagKey, bucketStart, exposure.variationKey, cell.dimension, cell.dimensionValue);
      let row = rows.get(key);
      if (!row) {
        row = { flagKey: exposure.flagKey, bucketStart, variationKey: exposure.variationKey, ...cell, count: 0, contexts: [], seen: new Set() };
        rows.set(key, row);
      }
      row.count += 1;
      if (!row.seen.has(exposure.contextKey)) {
        row.seen.add(exposure.contextKey);
        row.contexts.push(exposure.contextKey);
      }
    }
  }
  return [...rows.values()].map(({ seen: _seen, ...row }) => row);
}

export function computeMetricRollups(metrics: readonly AttributedMetric[], dimensions: readonly string[]): MetricRollupRow[] {
  const rows = new Map<string, MetricRollupRow & { seen: Set<string> }>();
  for (const metric of metrics) {
    const bucketStart = minuteBucket(metric.at);
    const value = metric.value ?? 0;
    for (const cell of cellsOf(metric.attributes, dimensions)) {
      const key = tupleKey(metric.flagKey, metric.metricKey, bucketStart, metric.variationKey, cell.dimension, cell.dimensionValue);
      let row = rows.get(key);
      if (!row) {
        row = {
          flagKey: metric.flagKey,
          metricKey: metric.metricKey,
          bucketStart,
          variationKey: metric.variationKey,
          ...cell,
          count: 0,
          sum: 0,
          sumSquares: 0,
          contexts: [],
          seen: new Set(),
        };
        rows.set(key, row);
      }
      row.count += 1;
      row.sum += value;
      row.sumSquares += value * value;
      if (!row.seen.has(metric.contextKey)) {
        row.seen.add(metric.contextKey);
        row.contexts.push(metric.contextKey);
      }
    }
  }
  return [...rows.values()].map(({ seen: _seen, ...row }) => row);
}
