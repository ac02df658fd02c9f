/**
 * Event ingestion: `POST /api/v1/events` with batches of 100 exposure events (random contexts,
 * W1 flags, public attributes plan/country), kept busy by concurrent workers. Counts what
 * the server says it accepted (202 bodies), refused batches (429/503 with Retry-After, which
 * store nothing by contract) and failures, then compares the accepted count with the rollups and
 * the raw exposure rows in the database.
 *
 * The endpoint belongs to the `events` branch; when the server under test does not have it, the
 * probe says so and the benchmark reports n/a.
 */
import type { BenchPostgres } from "./postgres";
import { groupCpuSeconds, machineBusyPercent, machineCpuSeconds, processCpuSeconds, randomContext } from "./load";
import { percentile } from "./propagation";

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
  /** Batches that got no answer (network error or timeout): they may or may not be stored. */
  errors: number;
  statusCodes: Record<string, number>;
  rolledUp: number;
  rawRows: number;
  consistent: boolean;
  /** CPU used by the server's process group during the measured run, % of one core. */
  serverCpuPercent: number | null;
  /** CPU used by the PostgreSQL backends serving this database during the measured run, % of one core. */
  postgresCpuPercent: number | null;
  /** How busy the whole machine was during the measured run (all cores, every process), %. */
  machineBusyPercent: number | null;
}

/** CPU seconds of each PostgreSQL backend connected to the benchmark's database (not this client). */
async function backendCpu(db: BenchPostgres): Promise<Map<number, number>> {
  const rows = await db.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
  const cpu = new Map<number, number>();
  for (const { pid } of rows) {
    const seconds = processCpuSeconds(pid);
    if (seconds !== null) cpu.set(pid, seconds);
  }
  return cpu;
}

interface Tally {
  accepted: number;
  refused: number;
  failed: number;
  errors: number;
  batches: number;
  latencies: number[];
  statusCodes: Record<string, number>;
}

/**
 * `connections` workers, each posting batches back to back until the deadline; batches still in
 * flight at the deadline are awaited and counted, so every batch the server stored has its answer
 * counted (autocannon drops the answers in flight when its duration ends). A refused batch (429 or
 * 503) is retried by the same worker after its Retry-After, as the SDK does.
 */
async function post(origin: string, sdkKey: string, flagKeys: string[], connections: number, durationS: number, tally: Tally): Promise<void> {
  const deadline = performance.now() + durationS * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const started = performance.now();
      let response: Response;
      try {
        response = await fetch(`${origin}/api/v1/events`, {
          method: "POST",
          headers: { Authorization: `Bearer ${sdkKey}`, "Content-Type": "application/json" },
          body: batch(flagKeys),
          signal: AbortSignal.timeout(30_000),
        });
      } catch {
        tally.errors++;
        continue;
      }
      const text = await response.text();
      tally.latencies.push(performance.now() - started);
      tally.batches++;
      tally.statusCodes[response.status] = (tally.statusCodes[response.status] ?? 0) + 1;
      if (response.status === 202) tally.accepted += (JSON.parse(text) as { accepted: number }).accepted;
      else if (response.status === 429 || response.status === 503) {
        tally.refused++;
        await new Promise((resolve) => setTimeout(resolve, 1000 * Number(response.headers.get("retry-after") ?? 1)));
      } else tally.failed++;
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
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
  serverPgid?: number;
}): Promise<EventsResult> {
  const warm: Tally = { accepted: 0, refused: 0, failed: 0, errors: 0, batches: 0, latencies: [], statusCodes: {} };
  if (options.warmupS > 0) await post(options.origin, options.sdkKey, options.flagKeys, options.connections, options.warmupS, warm);
  const tally: Tally = { accepted: 0, refused: 0, failed: 0, errors: 0, batches: 0, latencies: [], statusCodes: {} };
  const cpuBefore = options.serverPgid ? groupCpuSeconds(options.serverPgid) : null;
  const pgBefore = await backendCpu(options.db);
  const machineBefore = machineCpuSeconds();
  const started = performance.now();
  await post(options.origin, options.sdkKey, options.flagKeys, options.connections, options.durationS, tally);
  const elapsedS = (performance.now() - started) / 1000;
  const cpuAfter = options.serverPgid ? groupCpuSeconds(options.serverPgid) : null;
  const machineAfter = machineCpuSeconds();
  const pgAfter = await backendCpu(options.db);
  // Backends that started during the run count from zero; ones that ended are missed (the pool keeps them).
  let pgSeconds = 0;
  for (const [pid, seconds] of pgAfter) pgSeconds += seconds - (pgBefore.get(pid) ?? 0);

  const [{ total }] = await options.db.query<{ total: string }>(
    `SELECT COALESCE(SUM(count), 0)::text AS total FROM exposure_rollups WHERE "environmentId" = $1 AND dimension = ''`,
    [options.environmentId],
  );
  const [{ rows }] = await options.db.query<{ rows: string }>(`SELECT count(*)::text AS rows FROM exposure_events WHERE "environmentId" = $1`, [
    options.environmentId,
  ]);
  const acceptedTotal = warm.accepted + tally.accepted;
  return {
    connections: options.connections,
    durationS: options.durationS,
    eventsPerSecond: tally.accepted / elapsedS,
    batchesPerSecond: tally.batches / elapsedS,
    p50: percentile(tally.latencies, 50),
    p99: percentile(tally.latencies, 99),
    acceptedTotal,
    refusedBatches: warm.refused + tally.refused,
    failedBatches: warm.failed + tally.failed,
    errors: warm.errors + tally.errors,
    statusCodes: tally.statusCodes,
    rolledUp: Number(total),
    rawRows: Number(rows),
    consistent: Number(total) === acceptedTotal && warm.errors + tally.errors === 0,
    serverCpuPercent: cpuBefore !== null && cpuAfter !== null ? (100 * (cpuAfter - cpuBefore)) / elapsedS : null,
    postgresCpuPercent: pgAfter.size ? (100 * pgSeconds) / elapsedS : null,
    machineBusyPercent: machineBusyPercent(machineBefore, machineAfter),
  };
}
