import { type EventBatchWrite, writeEventBatch } from "@/lib/data/events";
import { mergeRollups } from "./compute-rollups";

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

interface Pending {
  write: EventBatchWrite;
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

  /** Resolves once the rows are committed; rejects if they were not (nothing of them stored). */
  write(write: EventBatchWrite): Promise<void> {
    const size = write.exposures.length + write.exposureRollups.rows.length + write.metricRollups.rows.length;
    if (size === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.queue.push({ write, size, resolve, reject });
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
      await this.store(mergeWrites(group.map((p) => p.write)));
      for (const pending of group) pending.resolve();
    } catch (error) {
      if (group.length === 1) {
        group[0].reject(error);
        return;
      }
      for (const pending of group) {
        try {
          await this.store(pending.write);
          pending.resolve();
        } catch (own) {
          pending.reject(own);
        }
      }
    }
  }
}

export function mergeWrites(writes: readonly EventBatchWrite[]): EventBatchWrite {
  if (writes.length === 1) return writes[0];
  return {
    exposures: writes.flatMap((w) => w.exposures),
    exposureRollups: mergeRollups(writes.map((w) => w.exposureRollups)),
    metricRollups: mergeRollups(writes.map((w) => w.metricRollups)),
  };
}

const writerKey = Symbol.for("switchyard.eventWriter");
const g = globalThis as typeof globalThis & { [writerKey]?: EventWriter };
/** The process-wide writer (on globalThis so every Next bundle in the process shares it). */
export const eventWriter: EventWriter = (g[writerKey] ??= new EventWriter({
  maxConcurrentWrites: Math.max(1, Number.parseInt(process.env.SWITCHYARD_EVENTS_WRITE_CONCURRENCY ?? "", 10) || 2),
  maxEventsPerWrite: 20_000,
}));
