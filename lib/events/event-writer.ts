import { type EventBatchWrite, writeEventBatch } from "@/lib/data/events";
import { type AcceptedExposure, type AttributedMetric, RollupAccumulator } from "./compute-rollups";

/**
 * Group commit for event batches. Batches that arrive while a write is in progress wait and are
 * then written together, in one transaction with their rollup rows merged. Every caller still
 * returns only after the transaction holding its rows has committed, so accepted = committed.
 *
 * Why: concurrent batches update the same hot rollup rows (this minute × flag × variation ×
 * cohort), so separate transactions would queue on those row locks anyway and each pay its own
 * commit (a WAL flush). Merged, eight batches cost one flush and touch each hot row once; the
 * bigger the load, the bigger the groups. Other instances on the same database still contend,
 * which the lock order in lib/data/events.ts keeps free of deadlocks.
 *
 * A group that fails is retried batch by batch, so one bad batch cannot fail its neighbours.
 */
export interface EventWriterOptions {
  /** Groups written at once (2 lets one group's rows be prepared while the other commits). */
  maxConcurrentWrites: number;
  /** Upper bound on raw events per group, keeping transactions and parameters small. */
  maxEventsPerWrite: number;
}

/** One batch's accepted events, with the dimensions of its project's catalog. */
export interface BatchToWrite {
  environmentId: string;
  exposures: readonly AcceptedExposure[];
  metrics: readonly AttributedMetric[];
  dimensions: readonly string[];
}

interface Pending {
  batch: BatchToWrite;
  size: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class EventWriter {
  private readonly queue: Pending[] = [];
  private writing = 0;

  constructor(
    private readonly options: EventWriterOptions,
    private readonly store: (write: EventBatchWrite) => Promise<void> = writeEventBatch,
  ) {}

  /** Resolves once the batch is committed; rejects if it was not (nothing of it stored). */
  write(batch: BatchToWrite): Promise<void> {
    const size = batch.exposures.length + batch.metrics.length;
    if (size === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.queue.push({ batch, size, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.writing < this.options.maxConcurrentWrites && this.queue.length > 0) {
      const group: Pending[] = [this.queue.shift()!];
      let size = group[0].size;
      while (this.queue.length > 0 && size + this.queue[0].size <= this.options.maxEventsPerWrite) {
        const next = this.queue.shift()!;
        size += next.size;
        group.push(next);
      }
      this.writing += 1;
      void this.flush(group).finally(() => {
        this.writing -= 1;
        this.pump();
      });
    }
  }

  private async flush(group: Pending[]): Promise<void> {
    try {
      await this.store(rowsOf(group.map((p) => p.batch)));
      for (const pending of group) pending.resolve();
    } catch (error) {
      if (group.length === 1) {
        group[0].reject(error);
        return;
      }
      for (const pending of group) {
        try {
          await this.store(rowsOf([pending.batch]));
          pending.resolve();
        } catch (own) {
          pending.reject(own);
        }
      }
    }
  }
}

/** The rows to store for a group of batches: raw exposures, and rollups merged across the group. */
export function rowsOf(batches: readonly BatchToWrite[]): EventBatchWrite {
  const rollups = new RollupAccumulator();
  for (const batch of batches) {
    rollups.addExposures(batch.environmentId, batch.exposures, batch.dimensions);
    rollups.addMetrics(batch.environmentId, batch.metrics, batch.dimensions);
  }
  return {
    exposures: batches.length === 1 ? batches[0].exposures : batches.flatMap((b) => b.exposures),
    exposureRollups: rollups.exposureRollups(),
    metricRollups: rollups.metricRollups(),
  };
}

const writerKey = Symbol.for("switchyard.eventWriter");
const g = globalThis as typeof globalThis & { [writerKey]?: EventWriter };
/** The process-wide writer (on globalThis so every Next bundle in the process shares it). */
export const eventWriter: EventWriter = (g[writerKey] ??= new EventWriter({
  maxConcurrentWrites: Math.max(1, Number.parseInt(process.env.SWITCHYARD_EVENTS_WRITE_CONCURRENCY ?? "", 10) || 1),
  maxEventsPerWrite: 20_000,
}));
