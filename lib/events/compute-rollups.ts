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

/**
 * A map key for a tuple. NUL cannot occur in any part: keys are refused with it by the schema,
 * attribute values holding it are stripped, and catalog keys come from PostgreSQL text, which
 * cannot hold it. So joining on NUL is unambiguous (and much cheaper than JSON.stringify).
 */
const SEP = "\u0000";

interface ContextEntry {
  entry: ContextCells;
  seen: Set<string>;
}

/**
 * Accumulates rollup rows and context cells for any number of batches (of any environments), so a
 * group of batches written together touches each rollup row and context once.
 */
export class RollupAccumulator {
  private readonly exposureRows = new Map<string, ExposureRollupRow>();
  private readonly metricRows = new Map<string, MetricRollupRow>();
  private readonly exposureContexts = new Map<string, ContextEntry>();
  private readonly metricContexts = new Map<string, ContextEntry>();

  addExposures(environmentId: string, exposures: readonly AcceptedExposure[], dimensions: readonly string[]): this {
    for (const exposure of exposures) {
      const bucketStart = minuteBucket(exposure.at);
      const rowPrefix = environmentId + SEP + exposure.flagKey + SEP + bucketStart + SEP + exposure.variationKey + SEP;
      const context = this.contextEntry(this.exposureContexts, rowPrefix + exposure.contextKey, () => ({
        environmentId,
        bucketStart,
        flagKey: exposure.flagKey,
        metricKey: "",
        variationKey: exposure.variationKey,
        contextKey: exposure.contextKey,
        cells: [],
      }));
      for (let i = -1; i < dimensions.length; i++) {
        const dimension = i < 0 ? "" : dimensions[i];
        const value = i < 0 ? "" : dimensionValue(exposure.attributes[dimension]);
        const key = rowPrefix + dimension + SEP + value;
        let row = this.exposureRows.get(key);
        if (!row) {
          row = { environmentId, flagKey: exposure.flagKey, bucketStart, variationKey: exposure.variationKey, dimension, dimensionValue: value, count: 0 };
          this.exposureRows.set(key, row);
        }
        row.count += 1;
        addCell(context, cellOf(dimension, value));
      }
    }
    return this;
  }

  addMetrics(environmentId: string, metrics: readonly AttributedMetric[], dimensions: readonly string[]): this {
    for (const metric of metrics) {
      const bucketStart = minuteBucket(metric.at);
      const value = metric.value ?? 0;
      const rowPrefix = environmentId + SEP + metric.flagKey + SEP + metric.metricKey + SEP + bucketStart + SEP + metric.variationKey + SEP;
      const context = this.contextEntry(this.metricContexts, rowPrefix + metric.contextKey, () => ({
        environmentId,
        bucketStart,
        flagKey: metric.flagKey,
        metricKey: metric.metricKey,
        variationKey: metric.variationKey,
        contextKey: metric.contextKey,
        cells: [],
      }));
      for (let i = -1; i < dimensions.length; i++) {
        const dimension = i < 0 ? "" : dimensions[i];
        const cellValue = i < 0 ? "" : dimensionValue(metric.attributes[dimension]);
        const key = rowPrefix + dimension + SEP + cellValue;
        let row = this.metricRows.get(key);
        if (!row) {
          row = {
            environmentId,
            flagKey: metric.flagKey,
            metricKey: metric.metricKey,
            bucketStart,
            variationKey: metric.variationKey,
            dimension,
            dimensionValue: cellValue,
            count: 0,
            sum: 0,
            sumSquares: 0,
          };
          this.metricRows.set(key, row);
        }
        row.count += 1;
        row.sum += value;
        row.sumSquares += value * value;
        addCell(context, cellOf(dimension, cellValue));
      }
    }
    return this;
  }

  exposureRollups(): RollupBatch<ExposureRollupRow> {
    return { rows: [...this.exposureRows.values()], contexts: [...this.exposureContexts.values()].map((c) => c.entry) };
  }

  metricRollups(): RollupBatch<MetricRollupRow> {
    return { rows: [...this.metricRows.values()], contexts: [...this.metricContexts.values()].map((c) => c.entry) };
  }

  private contextEntry(map: Map<string, ContextEntry>, key: string, create: () => ContextCells): ContextEntry {
    let found = map.get(key);
    if (!found) {
      found = { entry: create(), seen: new Set() };
      map.set(key, found);
    }
    return found;
  }
}

function addCell(context: ContextEntry, cell: string): void {
  if (context.seen.has(cell)) return;
  context.seen.add(cell);
  context.entry.cells.push(cell);
}
