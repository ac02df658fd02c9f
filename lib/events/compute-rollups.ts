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
  environmentId: string;
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
  environmentId: string;
  flagKey: string;
  bucketStart: number;
  variationKey: string;
  count: number;
}

export interface MetricRollupRow extends RollupCell {
  environmentId: string;
  flagKey: string;
  metricKey: string;
  bucketStart: number;
  variationKey: string;
  count: number;
  sum: number;
  sumSquares: number;
}

/**
 * The rollup cells one context was seen in, per bucket × flag (× metric) × variation: what the
 * store needs to keep uniqueCount exact (ExposureRollupContext in prisma/schema.prisma).
 */
export interface ContextCells {
  environmentId: string;
  bucketStart: number;
  flagKey: string;
  /** "" for exposures. */
  metricKey: string;
  variationKey: string;
  contextKey: string;
  cells: string[];
}

export interface RollupBatch<Row> {
  rows: Row[];
  contexts: ContextCells[];
}

/** A cell as the store encodes it: "" overall, else "<length>:<dimension><value>" (unambiguous). */
export function cellOf(dimension: string, value: string): string {
  return dimension === "" ? "" : `${dimension.length}:${dimension}${value}`;
}

function cellsOf(attributes: StoredAttributes, dimensions: readonly string[]): RollupCell[] {
  const cells: RollupCell[] = [{ dimension: "", dimensionValue: "" }];
  for (const dimension of dimensions) cells.push({ dimension, dimensionValue: dimensionValue(attributes[dimension]) });
  return cells;
}

/** An unambiguous map key for a tuple of strings and numbers (keys may contain any separator). */
const tupleKey = (...parts: (string | number)[]) => JSON.stringify(parts);

class ContextCellCollector {
  private readonly byKey = new Map<string, { entry: ContextCells; cells: Set<string> }>();

  add(base: Omit<ContextCells, "cells">, cell: string): void {
    const key = tupleKey(base.environmentId, base.bucketStart, base.flagKey, base.metricKey, base.variationKey, base.contextKey);
    let found = this.byKey.get(key);
    if (!found) {
      found = { entry: { ...base, cells: [] }, cells: new Set() };
      this.byKey.set(key, found);
    }
    if (!found.cells.has(cell)) {
      found.cells.add(cell);
      found.entry.cells.push(cell);
    }
  }

  addAll(list: readonly ContextCells[]): void {
    for (const { cells, ...base } of list) for (const cell of cells) this.add(base, cell);
  }

  list(): ContextCells[] {
    return [...this.byKey.values()].map((v) => v.entry);
  }
}

export function computeExposureRollups(
  environmentId: string,
  exposures: readonly AcceptedExposure[],
  dimensions: readonly string[],
): RollupBatch<ExposureRollupRow> {
  const rows = new Map<string, ExposureRollupRow>();
  const contexts = new ContextCellCollector();
  for (const exposure of exposures) {
    const bucketStart = minuteBucket(exposure.at);
    const base = { environmentId, bucketStart, flagKey: exposure.flagKey, metricKey: "", variationKey: exposure.variationKey, contextKey: exposure.contextKey };
    for (const cell of cellsOf(exposure.attributes, dimensions)) {
      const key = tupleKey(exposure.flagKey, bucketStart, exposure.variationKey, cell.dimension, cell.dimensionValue);
      let row = rows.get(key);
      if (!row) {
        row = { environmentId, flagKey: exposure.flagKey, bucketStart, variationKey: exposure.variationKey, ...cell, count: 0 };
        rows.set(key, row);
      }
      row.count += 1;
      contexts.add(base, cellOf(cell.dimension, cell.dimensionValue));
    }
  }
  return { rows: [...rows.values()], contexts: contexts.list() };
}

export function computeMetricRollups(
  environmentId: string,
  metrics: readonly AttributedMetric[],
  dimensions: readonly string[],
): RollupBatch<MetricRollupRow> {
  const rows = new Map<string, MetricRollupRow>();
  const contexts = new ContextCellCollector();
  for (const metric of metrics) {
    const bucketStart = minuteBucket(metric.at);
    const value = metric.value ?? 0;
    const base = { environmentId, bucketStart, flagKey: metric.flagKey, metricKey: metric.metricKey, variationKey: metric.variationKey, contextKey: metric.contextKey };
    for (const cell of cellsOf(metric.attributes, dimensions)) {
      const key = tupleKey(metric.flagKey, metric.metricKey, bucketStart, metric.variationKey, cell.dimension, cell.dimensionValue);
      let row = rows.get(key);
      if (!row) {
        row = {
          environmentId,
          flagKey: metric.flagKey,
          metricKey: metric.metricKey,
          bucketStart,
          variationKey: metric.variationKey,
          ...cell,
          count: 0,
          sum: 0,
          sumSquares: 0,
        };
        rows.set(key, row);
      }
      row.count += 1;
      row.sum += value;
      row.sumSquares += value * value;
      contexts.add(base, cellOf(cell.dimension, cell.dimensionValue));
    }
  }
  return { rows: [...rows.values()], contexts: contexts.list() };
}

const exposureRowKey = (r: ExposureRollupRow) => tupleKey(r.environmentId, r.flagKey, r.bucketStart, r.variationKey, r.dimension, r.dimensionValue);
const metricRowKey = (r: MetricRollupRow) =>
  tupleKey(r.environmentId, r.flagKey, r.metricKey, r.bucketStart, r.variationKey, r.dimension, r.dimensionValue);

/**
 * Rollups of several batches as one set with one row per key (an upsert may touch a row only
 * once): counts and sums add up, and a context's cells are united.
 */
export function mergeRollups<Row extends ExposureRollupRow | MetricRollupRow>(batches: readonly RollupBatch<Row>[]): RollupBatch<Row> {
  if (batches.length === 1) return batches[0];
  const rows = new Map<string, Row>();
  const contexts = new ContextCellCollector();
  for (const batch of batches) {
    for (const row of batch.rows) {
      const key = "sum" in row ? metricRowKey(row) : exposureRowKey(row);
      const existing = rows.get(key);
      if (!existing) rows.set(key, { ...row });
      else {
        existing.count += row.count;
        if ("sum" in existing && "sum" in row) {
          existing.sum += row.sum;
          existing.sumSquares += row.sumSquares;
        }
      }
    }
    contexts.addAll(batch.contexts);
  }
  return { rows: [...rows.values()], contexts: contexts.list() };
}
