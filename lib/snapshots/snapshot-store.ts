import { compileSnapshot, packSnapshot, type CompiledSnapshot } from "@/lib/evaluation";
import { listSnapshotVersions, loadEnvironmentEvaluationState } from "@/lib/data/snapshots";
import { diffSnapshots } from "./diff-snapshots";
import { clientVisibleFlagKeys, toEnvironmentSnapshot } from "./to-wire";
import type { EnvironmentSnapshot, PackedEnvironmentSnapshot, SnapshotPatch } from "./wire-format";

/** One environment's current snapshot, precompiled for evaluation. Immutable once published. */
export interface LoadedSnapshot {
  environmentId: string;
  snapshot: EnvironmentSnapshot;
  /** The same snapshot in format 2 (`?format=2`), packed once when the version is loaded. */
  packed: PackedEnvironmentSnapshot;
  compiled: CompiledSnapshot;
  clientVisible: ReadonlySet<string>;
  /** Flag key → its configuration version, for OFREP metadata. */
  configVersions: ReadonlyMap<string, number>;
  /** `"<environmentId>:<version>"`, quoted as an HTTP entity tag. */
  etag: string;
  loadedAt: number;
}

export type SnapshotListener = (update: { loaded: LoadedSnapshot; patch: SnapshotPatch | null }) => void;

/** How many recent patches are kept per environment so reconnecting SDKs can resume. */
const PATCH_HISTORY = 100;

/**
 * In-memory snapshots, one per environment, loaded on first use and replaced whenever a change
 * is announced (see change-feed.ts). Evaluation only ever reads from here, never from the
 * database. When a reload fails, the previous snapshot keeps serving (fail static) and the
 * failure is kept for the health endpoint.
 */
export class SnapshotStore {
  private readonly entries = new Map<string, LoadedSnapshot>();
  private readonly inflight = new Map<string, Promise<LoadedSnapshot | null>>();
  private readonly patches = new Map<string, SnapshotPatch[]>();
  private readonly listeners = new Map<string, Set<SnapshotListener>>();
  lastRefreshError: { at: number; message: string } | null = null;
  lastSuccessfulRefreshAt: number | null = null;

  /** The loaded snapshot, loading it on first use. Null when the environment does not exist. */
  async get(environmentId: string): Promise<LoadedSnapshot | null> {
    return this.entries.get(environmentId) ?? this.reload(environmentId);
  }

  peek(environmentId: string): LoadedSnapshot | undefined {
    return this.entries.get(environmentId);
  }

  loadedEnvironmentIds(): string[] {
    return [...this.entries.keys()];
  }

  /**
   * Re-reads an environment and publishes the result if its version moved. Concurrent calls
   * share one read. Errors keep the old snapshot and are recorded, never thrown.
   */
  reload(environmentId: string): Promise<LoadedSnapshot | null> {
    const running = this.inflight.get(environmentId);
    if (running) return running;
    const task = this.load(environmentId).finally(() => this.inflight.delete(environmentId));
    this.inflight.set(environmentId, task);
    return task;
  }

  /** Reloads loaded environments whose stored version differs (the safety net behind notifications). */
  async reconcile(): Promise<void> {
    try {
      const versions = await listSnapshotVersions();
      this.lastSuccessfulRefreshAt = Date.now();
      this.lastRefreshError = null;
      await Promise.all(
        versions
          .filter((row) => this.entries.has(row.id) && this.entries.get(row.id)!.snapshot.version !== row.snapshotVersion)
          .map((row) => this.reload(row.id)),
      );
    } catch (error) {
      this.lastRefreshError = { at: Date.now(), message: (error as Error).message };
    }
  }

  /** Patches after `version`, or null when they are no longer buffered (send a full snapshot). */
  patchesSince(environmentId: string, version: number): SnapshotPatch[] | null {
    const current = this.entries.get(environmentId);
    if (!current) return null;
    if (version === current.snapshot.version) return [];
    const history = this.patches.get(environmentId) ?? [];
    const start = history.findIndex((patch) => patch.fromVersion === version);
    return start === -1 ? null : history.slice(start);
  }

  subscribe(environmentId: string, listener: SnapshotListener): () => void {
    let set = this.listeners.get(environmentId);
    if (!set) this.listeners.set(environmentId, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  subscriberCount(): number {
    let total = 0;
    for (const set of this.listeners.values()) total += set.size;
    return total;
  }

  private async load(environmentId: string): Promise<LoadedSnapshot | null> {
    const previous = this.entries.get(environmentId);
    let state;
    try {
      state = await loadEnvironmentEvaluationState(environmentId);
    } catch (error) {
      this.lastRefreshError = { at: Date.now(), message: (error as Error).message };
      if (previous) return previous;
      throw error;
    }
    this.lastSuccessfulRefreshAt = Date.now();
    if (!state) return null;
    if (previous && state.environment.snapshotVersion <= previous.snapshot.version) return previous;
    const snapshot = toEnvironmentSnapshot(state, new Date());
    const loaded: LoadedSnapshot = {
      environmentId,
      snapshot,
      // Packed here, once per version, so no request ever waits for it.
      packed: toPackedEnvironmentSnapshot(snapshot),
      compiled: compileSnapshot(snapshot),
      clientVisible: clientVisibleFlagKeys(state),
      configVersions: new Map(snapshot.flags.map((flag) => [flag.key, flag.config.version ?? 0])),
      etag: `"${environmentId}:${snapshot.version}"`,
      loadedAt: Date.now(),
    };
    this.entries.set(environmentId, loaded);
    const patch = previous ? diffSnapshots(previous.snapshot, snapshot) : null;
    if (patch) {
      const history = [...(this.patches.get(environmentId) ?? []), patch].slice(-PATCH_HISTORY);
      this.patches.set(environmentId, history);
    }
    for (const listener of this.listeners.get(environmentId) ?? []) {
      try {
        listener({ loaded, patch });
      } catch {
        // A broken subscriber (closed stream) must not stop the others.
      }
    }
    return loaded;
  }
}

/** Format 2 of a snapshot: the same envelope, flags and segments packed (lib/evaluation/packed.ts). */
export function toPackedEnvironmentSnapshot(snapshot: EnvironmentSnapshot): PackedEnvironmentSnapshot {
  const { flags, segments, ...envelope } = snapshot;
  return { ...envelope, ...packSnapshot({ flags, segments, optOutAttribute: snapshot.optOutAttribute }) };
}

const storeKey = Symbol.for("switchyard.snapshotStore");

/** The process-wide store (kept on globalThis: Next may load this module in several bundles). */
export function getSnapshotStore(): SnapshotStore {
  const g = globalThis as { [storeKey]?: SnapshotStore };
  g[storeKey] ??= new SnapshotStore();
  return g[storeKey];
}
