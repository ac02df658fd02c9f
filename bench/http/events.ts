/**
 * Event ingestion: `POST /api/v1/events` with batches of 100 exposure events (random contexts,
 * W1 flags, public attributes plan/country), kept busy by autocannon's connections. Counts what
 * the server says it accepted (202 bodies), refused batches (429/503 with Retry-After, which
 * store nothing by contract) and failures, then compares the accepted count with the rollups and
 * the raw exposure rows in the database.
 *
 * The endpoint belongs to the `events` branch; when the server under test does not have it, the
 * probe says so and the benchmark reports n/a.
 */
import type { BenchPostgres } from "./postgres";
import { randomContext, runLoad } from "./load";

export const EVENTS_PER_BATCH = 100;

/** true when the route exists (anything but 404/405 to an empty batch). */
export async function eventsEndpointAvailable(origin: string, sdkKey: string): Promise<boolean> {
  const response = await fetch(`${origin}/api/v1/events`, {
    method: "POST",
    headers: { Authorization: `Bearer ${sdkKey}`, "Content-Type": "application/json" },
    body: JSON.stringify({ events: [] }),
  });
  await response.arrayBuffer();
  return response.status !== 404 && response.status !== 405;
}

function batch(flagKeys: string[]): string {
  const now = Date.now();
  const events = new Array(EVENTS_PER_BATCH);
  for (let i = 0; i < EVENTS_PER_BATCH; i++) {
    const context = randomContext();
    events[i] = {
      kind: "exposure",
      flagKey: flagKeys[Math.floor(Math.random() * flagKeys.length)],
      variationKey: Math.random() < 0.3 ? "on" : "off",
      contextKey: context.targetingKey,
      attributes: { plan: context.plan, country: context.country },
      timestamp: now,
    };
  }
  return JSON.stringify({ events });
}

export interface EventsResult {
  connections: number;
  durationS: number;
  /** Events the server accepted during the measured run, per second. */
  eventsPerSecond: number;
  batchesPerSecond: number;
  p50: number;
  p99: number;
  acceptedTotal: number;
  refusedBatches: number;
  failedBatches: number;
  errors: number;
  statusCodes: Record<string, number>;
  rolledUp: number;
  rawRows: number;
  consistent: boolean;
}

export async function measureEvents(options: {
  origin: string;
  sdkKey: string;
  flagKeys: string[];
  environmentId: string;
  db: BenchPostgres;
  connections: number;
  durationS: number;
  warmupS: number;
}): Promise<EventsResult> {
  let accepted = 0;
  let refused = 0;
  let failed = 0;
  const shape = {
    method: "POST" as const,
    headers: { Authorization: `Bearer ${options.sdkKey}`, "Content-Type": "application/json" },
    next: () => ({ path: "/api/v1/events", body: batch(options.flagKeys) }),
    onResponse: (status: number, body: string) => {
      if (status === 202) accepted += (JSON.parse(body) as { accepted: number }).accepted;
      else if (status === 429 || status === 503) refused++;
      else failed++;
    },
  };
  if (options.warmupS > 0) await runLoad(options.origin, shape, options.connections, options.warmupS);
  const acceptedBefore = accepted;
  const started = performance.now();
  const result = await runLoad(options.origin, shape, options.connections, options.durationS);
  const elapsedS = (performance.now() - started) / 1000;
  const acceptedMeasured = accepted - acceptedBefore;

  const [{ total }] = await options.db.query<{ total: string }>(
    `SELECT COALESCE(SUM(count), 0)::text AS total FROM exposure_rollups WHERE "environmentId" = $1 AND dimension = ''`,
    [options.environmentId],
  );
  const [{ rows }] = await options.db.query<{ rows: string }>(`SELECT count(*)::text AS rows FROM exposure_events WHERE "environmentId" = $1`, [
    options.environmentId,
  ]);
  const statusCodes: Record<string, number> = {};
  for (const [code, stats] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = stats.count;
  return {
    connections: options.connections,
    durationS: options.durationS,
    eventsPerSecond: acceptedMeasured / elapsedS,
    batchesPerSecond: result.requests.mean,
    p50: result.latency.p50,
    p99: result.latency.p99,
    acceptedTotal: accepted,
    refusedBatches: refused,
    failedBatches: failed,
    errors: result.errors + result.timeouts,
    statusCodes,
    rolledUp: Number(total),
    rawRows: Number(rows),
    consistent: Number(total) === accepted,
  };
}
