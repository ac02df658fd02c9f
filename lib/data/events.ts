import { getPrisma, Prisma } from "@/lib/db";
import {
  type AcceptedExposure,
  cellOf,
  type ContextCells,
  type ExposureRollupRow,
  type MetricRollupRow,
  type RollupBatch,
} from "@/lib/events/compute-rollups";
import type { ExposureProbe, PriorExposure } from "@/lib/events/attribute-metrics";
import { exposureContextHash } from "@/lib/events/context-hash";
import { type RawStatement, runRawTransaction } from "./raw-transaction";

/**
 * Event storage. Every write is set-based: a batch's rows travel as one jsonb parameter, unpacked
 * by jsonb_to_recordset, so a batch costs a handful of statements whatever its size, and the same
 * SQL runs on PostgreSQL and PGlite. The writes bypass Prisma on PostgreSQL (raw-transaction.ts).
 */

/** The project's flags, metric definitions and attribute catalog, for ingestion. */
export async function loadEventCatalogRows(projectId: string) {
  const prisma = getPrisma();
  const [flags, metrics, attributes] = await Promise.all([
    // Archived flags included: late exposures of a flag archived a minute ago are still real.
    prisma.flag.findMany({ where: { projectId }, select: { key: true, clientVisible: true } }),
    prisma.metricDefinition.findMany({ where: { projectId }, select: { key: true, kind: true } }),
    prisma.attribute.findMany({ where: { projectId }, select: { key: true, sensitivity: true, dashboardDimension: true } }),
  ]);
  return { flags, metrics, attributes };
}

const json = (rows: unknown[]) => JSON.stringify(rows);
/** Times travel as epoch milliseconds (cheaper than ISO strings) and become timestamptz exactly. */
const EPOCH = Prisma.raw(`'epoch'::timestamptz`);
const MS = Prisma.raw(`interval '1 millisecond'`);
// The write statements below are plain SQL text (run by runRawTransaction) and spell the same
// conversion out: 'epoch'::timestamptz + t * interval '1 millisecond'.

/**
 * For each probe (context, time), the latest stored exposure per flag at or before that time in
 * the environment: one LATERAL query served by the (environmentId, contextKey, timestamp) index.
 */
export async function findLatestExposures(environmentId: string, probes: readonly ExposureProbe[]): Promise<PriorExposure[]> {
  if (probes.length === 0) return [];
  const input = json(probes.map((p, i) => ({ i, k: p.contextKey, t: p.at })));
  const rows = await getPrisma().$queryRaw<{ i: number; flagKey: string; variationKey: string; timestamp: Date; attributes: unknown }[]>`
    SELECT p.i, e."flagKey", e."variationKey", e."timestamp", e.attributes
    FROM jsonb_to_recordset(${input}::jsonb) AS p(i int, k text, t bigint)
    CROSS JOIN LATERAL (
      SELECT DISTINCT ON (x."flagKey") x."flagKey", x."variationKey", x."timestamp", x.attributes
      FROM exposure_events x
      WHERE x."environmentId" = ${environmentId} AND x."contextKey" = p.k AND x."timestamp" <= ${EPOCH} + p.t * ${MS}
      ORDER BY x."flagKey", x."timestamp" DESC, x.id DESC
    ) e`;
  return rows.map((r) => ({
    probe: Number(r.i),
    flagKey: r.flagKey,
    variationKey: r.variationKey,
    at: new Date(r.timestamp).getTime(),
    attributes: r.attributes,
  }));
}

export interface EventBatchWrite {
  exposures: readonly AcceptedExposure[];
  exposureRollups: RollupBatch<ExposureRollupRow>;
  metricRollups: RollupBatch<MetricRollupRow>;
}

const statement = (sql: string, params: unknown[]): RawStatement => ({ sql, params });

function insertExposureEvents(exposures: readonly AcceptedExposure[]) {
  const input = json(
    exposures.map((e) => ({
      e: e.environmentId,
      f: e.flagKey,
      v: e.variationKey,
      k: e.contextKey,
      a: e.attributes,
      cv: e.configVersion ?? null,
      t: e.at,
    })),
  );
  return statement(`
    INSERT INTO exposure_events ("environmentId", "flagKey", "variationKey", "contextKey", attributes, "configVersion", "timestamp")
    SELECT e.e, e.f, e.v, e.k, e.a, e.cv, 'epoch'::timestamptz + e.t * interval '1 millisecond'
    FROM jsonb_to_recordset($1::jsonb) AS e(e text, f text, v text, k text, a jsonb, cv int, t bigint)`, [input]);
}

/*
 * The rollup upserts, one statement each. uniqueCount stays exact across batches (see
 * ExposureRollupContext in prisma/schema.prisma): the `fresh` step upserts each context's cells
 * and RETURNING yields only the cells no earlier batch had listed (the slice past countedBefore);
 * their number per cell is what that rollup row's uniqueCount grows by. A concurrent batch
 * upserting the same context waits for our row lock, then sees our cells, so no context is
 * counted twice. Contexts with nothing new are neither updated nor returned.
 *
 * Both inserts run in primary-key order, so concurrent transactions take row locks in the same
 * order and cannot deadlock each other. Rows and contexts are unique per key (merged in memory),
 * as ON CONFLICT DO UPDATE requires.
 */

function upsertExposureRollups({ rows, contexts }: RollupBatch<ExposureRollupRow>) {
  const rowInput = json(
    rows.map((r) => ({
      e: r.environmentId,
      f: r.flagKey,
      b: r.bucketStart,
      v: r.variationKey,
      d: r.dimension,
      dv: r.dimensionValue,
      cl: cellOf(r.dimension, r.dimensionValue),
      n: r.count,
    })),
  );
  return statement(
    `
    WITH input AS (
      SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(e text, f text, b bigint, v text, d text, dv text, cl text, n int)
    ),
    ctx AS MATERIALIZED (
      SELECT * FROM jsonb_to_recordset($2::jsonb) AS c(e text, b bigint, f text, v text, h bigint, cells text[])
    ),
    fresh AS (
      INSERT INTO exposure_rollup_contexts AS t ("bucketStart", "contextHash", cells, "countedBefore")
      SELECT 'epoch'::timestamptz + c.b * interval '1 millisecond', c.h, c.cells, 0
      FROM ctx c
      ORDER BY c.b, c.h
      ON CONFLICT ("bucketStart", "contextHash") DO UPDATE
      SET cells = t.cells || ARRAY(SELECT x FROM unnest(excluded.cells) AS x WHERE x <> ALL (t.cells)),
          "countedBefore" = cardinality(t.cells)
      WHERE NOT (t.cells @> excluded.cells)
      RETURNING t."bucketStart" AS bt, t."contextHash" AS h, t.cells[t."countedBefore" + 1:] AS added
    ),
    fresh_counts AS (
      SELECT c.e, c.b, c.f, c.v, cell.cl, count(*)::int AS u
      FROM fresh fr
      JOIN ctx c ON c.h = fr.h AND 'epoch'::timestamptz + c.b * interval '1 millisecond' = fr.bt
      CROSS JOIN LATERAL unnest(fr.added) AS cell(cl)
      GROUP BY c.e, c.b, c.f, c.v, cell.cl
    )
    INSERT INTO exposure_rollups AS r ("environmentId", "flagKey", "bucketStart", "variationKey", dimension, "dimensionValue", count, "uniqueCount")
    SELECT i.e, i.f, 'epoch'::timestamptz + i.b * interval '1 millisecond', i.v, i.d, i.dv, i.n, coalesce(fc.u, 0)
    FROM input i
    LEFT JOIN fresh_counts fc ON fc.e = i.e AND fc.b = i.b AND fc.f = i.f AND fc.v = i.v AND fc.cl = i.cl
    ORDER BY i.e, i.f, i.b, i.v, i.d, i.dv
    ON CONFLICT ("environmentId", "flagKey", "bucketStart", "variationKey", dimension, "dimensionValue") DO UPDATE
    SET count = r.count + excluded.count, "uniqueCount" = r."uniqueCount" + excluded."uniqueCount"`,
    [rowInput, json(hashedContexts(contexts))],
  );
}

/**
 * Exposure contexts keyed by their hash (lib/events/context-hash.ts). Two contexts of a bucket whose
 * hashes collide (chance level, see the schema) share one bookkeeping row: their cells are merged
 * here, because one upsert may not touch a row twice, and the second context goes uncounted.
 */
function hashedContexts(contexts: readonly ContextCells[]) {
  const byKey = new Map<string, { e: string; b: number; f: string; v: string; h: string; cells: string[] }>();
  for (const c of contexts) {
    const h = exposureContextHash(c.environmentId, c.flagKey, c.variationKey, c.contextKey);
    const key = `${c.bucketStart}:${h}`;
    const seen = byKey.get(key);
    if (seen) seen.cells = [...new Set([...seen.cells, ...c.cells])];
    else byKey.set(key, { e: c.environmentId, b: c.bucketStart, f: c.flagKey, v: c.variationKey, h, cells: c.cells });
  }
  return [...byKey.values()];
}

function upsertMetricRollups({ rows, contexts }: RollupBatch<MetricRollupRow>) {
  const rowInput = json(
    rows.map((r) => ({
      e: r.environmentId,
      f: r.flagKey,
      m: r.metricKey,
      b: r.bucketStart,
      v: r.variationKey,
      d: r.dimension,
      dv: r.dimensionValue,
      cl: cellOf(r.dimension, r.dimensionValue),
      n: r.count,
      s: r.sum,
      sq: r.sumSquares,
    })),
  );
  const contextInput = json(
    contexts.map((c) => ({ e: c.environmentId, b: c.bucketStart, f: c.flagKey, m: c.metricKey, v: c.variationKey, k: c.contextKey, cells: c.cells })),
  );
  return statement(`
    WITH input AS (
      SELECT * FROM jsonb_to_recordset($1::jsonb)
        AS r(e text, f text, m text, b bigint, v text, d text, dv text, cl text, n int, s double precision, sq double precision)
    ),
    fresh AS (
      INSERT INTO metric_rollup_contexts AS t ("bucketStart", "environmentId", "flagKey", "metricKey", "variationKey", "contextKey", cells, "countedBefore")
      SELECT 'epoch'::timestamptz + c.b * interval '1 millisecond', c.e, c.f, c.m, c.v, c.k, c.cells, 0
      FROM jsonb_to_recordset($2::jsonb) AS c(e text, b bigint, f text, m text, v text, k text, cells text[])
      ORDER BY c.b, c.e, c.f, c.m, c.v, c.k
      ON CONFLICT ("bucketStart", "environmentId", "flagKey", "metricKey", "variationKey", "contextKey") DO UPDATE
      SET cells = t.cells || ARRAY(SELECT x FROM unnest(excluded.cells) AS x WHERE x <> ALL (t.cells)),
          "countedBefore" = cardinality(t.cells)
      WHERE NOT (t.cells @> excluded.cells)
      RETURNING t."environmentId" AS e, t."bucketStart" AS b, t."flagKey" AS f, t."metricKey" AS m, t."variationKey" AS v,
        t.cells[t."countedBefore" + 1:] AS added
    ),
    fresh_counts AS (
      SELECT fr.e, fr.b, fr.f, fr.m, fr.v, cell.cl, count(*)::int AS u
      FROM fresh fr CROSS JOIN LATERAL unnest(fr.added) AS cell(cl)
      GROUP BY fr.e, fr.b, fr.f, fr.m, fr.v, cell.cl
    )
    INSERT INTO metric_rollups AS r
      ("environmentId", "flagKey", "metricKey", "bucketStart", "variationKey", dimension, "dimensionValue", count, sum, "sumSquares", "uniqueCount")
    SELECT i.e, i.f, i.m, 'epoch'::timestamptz + i.b * interval '1 millisecond', i.v, i.d, i.dv, i.n, i.s, i.sq, coalesce(fc.u, 0)
    FROM input i
    LEFT JOIN fresh_counts fc ON fc.e = i.e AND fc.b = 'epoch'::timestamptz + i.b * interval '1 millisecond' AND fc.f = i.f AND fc.m = i.m AND fc.v = i.v AND fc.cl = i.cl
    ORDER BY i.e, i.f, i.m, i.b, i.v, i.d, i.dv
    ON CONFLICT ("environmentId", "flagKey", "metricKey", "bucketStart", "variationKey", dimension, "dimensionValue") DO UPDATE
    SET count = r.count + excluded.count,
        sum = r.sum + excluded.sum,
        "sumSquares" = r."sumSquares" + excluded."sumSquares",
        "uniqueCount" = r."uniqueCount" + excluded."uniqueCount"`, [rowInput, contextInput]);
}

/**
 * Stores rows in one transaction: raw exposures, exposure rollups, metric rollups (of one batch
 * or of several merged, see lib/events/event-writer.ts). Either all of it is committed or none.
 * A deadlock or serialization failure (not expected given the lock order above, but PostgreSQL
 * may still choose a victim) rolls everything back, so the batch is simply run again.
 */
export async function writeEventBatch(batch: EventBatchWrite): Promise<void> {
  const statements = [
    ...(batch.exposures.length ? [insertExposureEvents(batch.exposures)] : []),
    ...(batch.exposureRollups.rows.length ? [upsertExposureRollups(batch.exposureRollups)] : []),
    ...(batch.metricRollups.rows.length ? [upsertMetricRollups(batch.metricRollups)] : []),
  ];
  if (statements.length === 0) return;
  for (let attempt = 1; ; attempt++) {
    try {
      await runRawTransaction(statements);
      return;
    } catch (error) {
      if (attempt >= 3 || !isTransientConflict(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 20));
    }
  }
}

function isTransientConflict(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  if (code === "40P01" || code === "40001") return true;
  const text = `${error instanceof Error ? error.message : ""} ${JSON.stringify((error as { meta?: unknown })?.meta ?? "")}`;
  return /40P01|40001|deadlock detected|could not serialize/i.test(text);
}

/** Unique-count bookkeeping older than `before` (no event may land there any more). */
export async function pruneRollupContexts(before: Date): Promise<{ exposure: number; metric: number }> {
  const prisma = getPrisma();
  const [exposure, metric] = await prisma.$transaction([
    prisma.$executeRaw`DELETE FROM exposure_rollup_contexts WHERE "bucketStart" < ${before}`,
    prisma.$executeRaw`DELETE FROM metric_rollup_contexts WHERE "bucketStart" < ${before}`,
  ]);
  return { exposure, metric };
}
