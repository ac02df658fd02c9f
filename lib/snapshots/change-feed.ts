import pg from "pg";
import { SNAPSHOT_CHANNEL } from "@/lib/data/snapshots";
import { getDatabase } from "@/lib/db";
import { getSnapshotStore } from "./snapshot-store";

/** How often loaded snapshots are compared with the database, in case a notification was lost. */
const RECONCILE_INTERVAL_MS = 5_000;

interface FeedState {
  started: boolean;
  listening: boolean;
  stop?: () => Promise<void>;
}

const feedKey = Symbol.for("switchyard.changeFeed");
function feedState(): FeedState {
  const g = globalThis as { [feedKey]?: FeedState };
  g[feedKey] ??= { started: false, listening: false };
  return g[feedKey];
}

function onNotification(payload: string | undefined) {
  try {
    const { environmentId } = JSON.parse(payload ?? "{}") as { environmentId?: string };
    const store = getSnapshotStore();
    if (environmentId && store.peek(environmentId)) void store.reload(environmentId);
  } catch {
    // Not ours or malformed: the reconcile loop covers anything missed.
  }
}

/**
 * Subscribes this process to change notifications: PostgreSQL `LISTEN` on a dedicated
 * connection (reconnecting with backoff), or PGlite's in-process listener, plus a periodic
 * reconcile. Idempotent; started by the first evaluation request.
 */
export function ensureChangeFeed(): void {
  const state = feedState();
  if (state.started) return;
  state.started = true;
  const { handle } = getDatabase();
  const timer = setInterval(() => void getSnapshotStore().reconcile(), RECONCILE_INTERVAL_MS);
  timer.unref();

  if (handle.pglite) {
    const pglite = handle.pglite;
    void pglite.listen(SNAPSHOT_CHANNEL, onNotification).then(
      (unlisten) => {
        state.listening = true;
        state.stop = async () => {
          clearInterval(timer);
          await unlisten();
        };
      },
      () => (state.listening = false),
    );
    return;
  }

  let client: pg.Client | null = null;
  let stopped = false;
  let attempt = 0;
  const connect = async () => {
    if (stopped) return;
    client = new pg.Client(handle.pgConfig);
    client.on("notification", (message) => onNotification(message.payload));
    client.on("error", () => undefined);
    client.on("end", () => {
      state.listening = false;
      if (!stopped) setTimeout(connect, Math.min(30_000, 500 * 2 ** attempt++)).unref();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${SNAPSHOT_CHANNEL}`);
      state.listening = true;
      attempt = 0;
      // Anything published while we were not listening.
      void getSnapshotStore().reconcile();
    } catch {
      await client.end().catch(() => undefined);
    }
  };
  void connect();
  state.stop = async () => {
    stopped = true;
    clearInterval(timer);
    await client?.end().catch(() => undefined);
  };
}

export function changeFeedListening(): boolean {
  return feedState().listening;
}

/** For tests and shutdown. */
export async function stopChangeFeed(): Promise<void> {
  const state = feedState();
  await state.stop?.();
  state.started = false;
  state.listening = false;
  state.stop = undefined;
}
