import { getPrisma } from "@/lib/db";
import type { AcceptedExposure, ExposureRollupRow, MetricRollupRow } from "@/lib/events/compute-rollups";
import type { ExposureProbe, PriorExposure } from "@/lib/events/attribute-metrics";

/**
 * Event storage. Every write is set-based: a batch's rows travel as one jsonb parameter, unpacked
 * by jsonb_to_recordset, so a batch costs a handful of statements whatever its size, and the same
 * SQL runs on PostgreSQL and PGlite.
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

const iso = (ms: number) => new Date(ms).toISOString();
const json = (rows: unknown[]) => JSON.stringify(rows);

/**
 * For each probe (context, time), the latest stored exposure per flag at or before that time in
 * the environment: one LATERAL query served by the (environmentId, contextKey, timestamp) index.
 */
export async function findLatestExposures(environmentId: string, probes: readonly ExposureProbe[]): Promise<PriorExposure[]> {
  if (probes.length === 0) return [];
  const input = json(probes.map((p, i) => ({ i, k: p.contextKey, t: iso(p.at) })));
  const rows = await getPrisma().$queryRaw<{ i: number; flagKey: string; variationKey: string; timestamp: Date; attributes: unknown }[]>`
    SELECT p.i, e."flagKey", e."variationKey", e."timestamp", e.attributes
    FROM jsonb_to_recordset(${input}::jsonb) AS p(i int, k text, t timestamptz)
    CROSS JOIN LATERAL (
      SELECT DISTINCT ON (x."flagKey") x."flagKey", x."variationKey", x."timestamp", x.attributes
      FROM exposure_events x
      WHERE x."environmentId" = ${environmentId} AND x."contextKey" = p.k AND x."timestamp" <= p.t
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
  exposureRollups: readonly ExposureRollupRow[];
  metricRollups: readonly MetricRollupRow[];
}

function insertExposureEvents(environmentId: string, exposures: readonly AcceptedExposure[]) {
  const input = json(
    exposures.map((e) => ({ f: e.flagKey, v: e.variationKey, k: e.contextKey, a: e.attributes, cv: e.configVersion ?? null, t: iso(e.at) })),
  );
  return getPrisma().$executeRaw`
    INSERT INTO exposure_events ("environmentId", "flagKey", "variationKey", "contextKey", attributes, "configVersion", "timestamp")
    SELECT ${environmentId}, e.f, e.v, e.k, e.a, e.cv, e.t
    FROM jsonb_to_recordset(${input}::jsonb) AS e(f text, v text, k text, a jsonb, cv int, t timestamptz)`;
}

/*
 * The rollup upserts. uniqueCount stays exact across batches (see ExposureRollupContext in
 * prisma/schema.prisma): the batch's distinct (row, context) pairs go into the *_contexts table
 * with ON CONFLICT DO NOTHING; RETURNING yields only the pairs no earlier batch had, and their
 * number per row is what uniqueCount grows by. A concurrent batch inserting the same pair waits
 * for ours to commit and then skips it, so no context is counted twice.
 *
 * Both inserts run in primary-key order, so concurrent batches take row locks in the same order
 * and cannot deadlock each other. The batch's rows are unique per key (computed in memory), as
 * ON CONFLICT DO UPDATE requires.
 */

function upsertExposureRollups(environmentId: string, rows: readonly ExposureRollupRow[]) {
  const input = json(rows.map((r) => ({ f: r.flagKey, b: iso(r.bucketStart), v: r.variationKey, d: r.dimension, dv: r.dimensionValue, n: r.count, c: r.contexts })));
  return getPrisma().$executeRaw`
    WITH input AS (
      SELECT * FROM jsonb_to_recordset(${input}::jsonb) AS r(f text, b timestamptz, v text, d text, dv text, n int, c jsonb)
    ),
    fresh AS (
      INSERT INTO exposure_rollup_contexts ("bucketStart", "environmentId", "flagKey", "variationKey", dimension, "dimensionValue", "contextKey")
      SELECT i.b, ${environmentId}, i.f, i.v, i.d, i.dv, ctx.k
      FROM input i CROSS JOIN LATERAL jsonb_array_elements_text(i.c) AS ctx(k)
      ORDER BY i.b, i.f, i.v, i.d, i.dv, ctx.k
      ON CONFLICT DO NOTHING
      RETURNING "bucketStart" AS b, "flagKey" AS f, "variationKey" AS v, dimension AS d, "dimensionValue" AS dv
    ),
    fresh_counts AS (
      SELECT b, f, v, d, dv, count(*)::int AS u FROM fresh GROUP BY b, f, v, d, dv
    )
    INSERT INTO exposure_rollups AS r ("environmentId", "flagKey", "bucketStart", "variationKey", dimension, "dimensionValue", count, "uniqueCount")
    SELECT ${environmentId}, i.f, i.b, i.v, i.d, i.dv, i.n, coalesce(fc.u, 0)
    FROM input i LEFT JOIN fresh_counts fc ON fc.b = i.b AND fc.f = i.f AND fc.v = i.v AND fc.d = i.d AND fc.dv = i.dv
    ORDER BY i.f, i.b, i.v, i.d, i.dv
    ON CONFLICT ("environmentId", "flagKey", "bucketStart", "variationKey", dimension, "dimensionValue") DO UPDATE
    SET count = r.count + excluded.count, "uniqueCount" = r."uniqueCount" + excluded."uniqueCount"`;
}

function upsertMetricRollups(environmentId: string, rows: readonly MetricRollupRow[]) {
  const input = json(
    rows.map((r) => ({
      f: r.flagKey,
      m: r.metricKey,
      b: iso(r.bucketStart),
      v: r.variationKey,
      d: r.dimension,
      dv: r.dimensionValue,
      n: r.count,
      s: r.sum,
      sq: r.sumSquares,
      c: r.contexts,
    })),
  );
  return getPrisma().$executeRaw`
    WITH input AS (
      SELECT * FROM jsonb_to_recordset(${input}::jsonb)
        AS r(f text, m text, b timestamptz, v text, d text, dv text, n int, s double precision, sq double precision, c jsonb)
    ),
    fresh AS (
      INSERT INTO metric_rollup_contexts ("bucketStart", "environmentId", "flagKey", "metricKey", "variationKey", dimension, "dimensionValue", "contextKey")
      SELECT i.b, ${environmentId}, i.f, i.m, i.v, i.d, i.dv, ctx.k
      FROM input i CROSS JOIN LATERAL jsonb_array_elements_text(i.c) AS ctx(k)
      ORDER BY i.b, i.f, i.m, i.v, i.d, i.dv, ctx.k
      ON CONFLICT DO NOTHING
      RETURNING "bucketStart" AS b, "flagKey" AS f, "metricKey" AS m, "variationKey" AS v, dimension AS d, "dimensionValue" AS dv
    ),
    fresh_counts AS (
      SELECT b, f, m, v, d, dv, count(*)::int AS u FROM fresh GROUP BY b, f, m, v, d, dv
    )
    INSERT INTO metric_rollups AS r
      ("environmentId", "flagKey", "metricKey", "bucketStart", "variationKey", dimension, "dimensionValue", count, sum, "sumSquares", "uniqueCount")
    SELECT ${environmentId}, i.f, i.m, i.b, i.v, i.d, i.dv, i.n, i.s, i.sq, coalesce(fc.u, 0)
    FROM input i
    LEFT JOIN fresh_counts fc ON fc.b = i.b AND fc.f = i.f AND fc.m = i.m AND fc.v = i.v AND fc.d = i.d AND fc.dv = i.dv
    ORDER BY i.f, i.m, i.b, i.v, i.d, i.dv
    ON CONFLICT ("environmentId", "flagKey", "metricKey", "bucketStart", "variationKey", dimension, "dimensionValue") DO UPDATE
    SET count = r.count + excluded.count,
        sum = r.sum + excluded.sum,
        "sumSquares" = r."sumSquares" + excluded."sumSquares",
        "uniqueCount" = r."uniqueCount" + excluded."uniqueCount"`;
}

/**
 * Stores a batch in one transaction: raw exposures, exposure rollups, metric rollups. Either all
 * of it is committed or none, so "accepted" in the response means committed. A deadlock or
 * serialization failure (not expected given the lock order above, but PostgreSQL may still choose
 * a victim) rolls everything back, so the batch is simply run again.
 */
export async function writeEventBatch(environmentId: string, batch: EventBatchWrite): Promise<void> {
  const statements = () => [
    ...(batch.exposures.length ? [insertExposureEvents(environmentId, batch.exposures)] : []),
    ...(batch.exposureRollups.length ? [upsertExposureRollups(environmentId, batch.exposureRollups)] : []),
    ...(batch.metricRollups.length ? [upsertMetricRollups(environmentId, batch.metricRollups)] : []),
  ];
  if (statements().length === 0) return;
  for (let attempt = 1; ; attempt++) {
    try {
      await getPrisma().$transaction(statements());
      return;
    } catch (error) {
      if (attempt >= 3 || !isTransientConflict(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 20));
    }
  }
}

function isTransientConflict(error: unknown): boolean {
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
