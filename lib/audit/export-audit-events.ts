import type { ProjectAccess } from "@/lib/auth/access";
import { readAuditEventBatch, type AuditEventRow } from "@/lib/data/audit-events";
import type { AuditExportFormat, AuditExportQuery } from "@/lib/schemas/audit";
import { auditFilterFor, type EnvironmentNames } from "./audit-filter";
import { csvLine } from "./csv";

/**
 * The audit log as a file, streamed: events are read in keyset batches in chain order (oldest
 * first) and the next batch is read only when the consumer has taken the previous one (a pull
 * stream with a queue of one chunk), so an export of 1,000,000 events holds one or two batches
 * in memory, and a slow or stalled download stops the reads rather than buffering them.
 *
 * Formats: `csv` (one line per event, JSON columns as JSON text), `json` (one JSON array written
 * element by element) and `ndjson` (one JSON object per line). JSON rows carry every hashed
 * column, so each event's hash can be recomputed from the file (lib/audit/hash-chain.ts).
 */

/** Rows per read. Segment events can carry 100,000-key lists, so batches stay modest. */
export const EXPORT_BATCH_SIZE = 250;

const CSV_COLUMNS = [
  "id",
  "createdAt",
  "actorType",
  "actorId",
  "actorLabel",
  "action",
  "entityType",
  "entityKey",
  "environment",
  "reason",
  "changeRequestId",
  "ip",
  "userAgent",
  "requestId",
  "before",
  "after",
  "diff",
  "prevHash",
  "hash",
] as const;

const CONTENT_TYPES: Record<AuditExportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  json: "application/json; charset=utf-8",
  ndjson: "application/x-ndjson; charset=utf-8",
};

function jsonText(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

function metaField(meta: unknown, field: "ip" | "userAgent" | "requestId"): string | null {
  if (!meta || typeof meta !== "object") return null;
  const value = (meta as Record<string, unknown>)[field];
  return typeof value === "string" ? value : null;
}

export function auditCsvLine(row: AuditEventRow, environments: EnvironmentNames): string {
  return csvLine([
    row.id.toString(),
    row.createdAt.toISOString(),
    row.actorType,
    row.actorId,
    row.actorLabel,
    row.action,
    row.entityType,
    row.entityKey,
    environments.keyOf(row.environmentId),
    row.reason,
    row.changeRequestId,
    metaField(row.requestMeta, "ip"),
    metaField(row.requestMeta, "userAgent"),
    metaField(row.requestMeta, "requestId"),
    jsonText(row.before),
    jsonText(row.after),
    jsonText(row.diff),
    row.prevHash,
    row.hash,
  ]);
}

/** An event as a JSON export writes it: the stored columns (hash inputs included) plus the environment's key. */
export function auditJsonRecord(row: AuditEventRow, environments: EnvironmentNames) {
  return {
    id: row.id.toString(),
    createdAt: row.createdAt.toISOString(),
    projectId: row.projectId,
    environmentId: row.environmentId,
    environment: environments.keyOf(row.environmentId),
    actorType: row.actorType,
    actorId: row.actorId,
    actorLabel: row.actorLabel,
    action: row.action,
    entityType: row.entityType,
    entityKey: row.entityKey,
    before: row.before ?? null,
    after: row.after ?? null,
    diff: row.diff ?? null,
    reason: row.reason,
    changeRequestId: row.changeRequestId,
    requestMeta: row.requestMeta ?? null,
    prevHash: row.prevHash,
    hash: row.hash,
  };
}

export type ReadBatch = (afterId: bigint, limit: number) => Promise<AuditEventRow[]>;

/** The export as a byte stream that reads a batch per pull. */
export function auditExportStream(readBatch: ReadBatch, format: AuditExportFormat, environments: EnvironmentNames, batchSize = EXPORT_BATCH_SIZE): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let afterId = 0n;
  let written = 0;
  let started = false;
  const encode = (row: AuditEventRow): string => {
    if (format === "csv") return auditCsvLine(row, environments);
    const json = JSON.stringify(auditJsonRecord(row, environments));
    if (format === "ndjson") return `${json}\n`;
    return `${written === 0 ? "" : ",\n"}${json}`;
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let text = "";
        if (!started) {
          started = true;
          if (format === "csv") text += csvLine(CSV_COLUMNS);
          if (format === "json") text += "[\n";
        }
        const rows = await readBatch(afterId, batchSize);
        for (const row of rows) {
          text += encode(row);
          written += 1;
        }
        const finished = rows.length < batchSize;
        if (finished && format === "json") text += written === 0 ? "]\n" : "\n]\n";
        if (text) controller.enqueue(encoder.encode(text));
        if (finished) controller.close();
        else afterId = rows[rows.length - 1].id;
      },
    },
    // One chunk (one batch) waits in the queue at most: the next read happens when it is taken.
    { highWaterMark: 1 },
  );
}

/** A project's audit log, filtered like the page, as a download. */
export async function exportAuditEvents(access: ProjectAccess, query: AuditExportQuery, now = new Date()): Promise<Response> {
  // Filters are checked before the first byte: a bad one is a 400, not a broken download.
  const { filter, environments } = await auditFilterFor(access, query);
  const projectId = access.project.id;
  const stream = auditExportStream((afterId, limit) => readAuditEventBatch(projectId, filter, afterId, limit), query.format, environments);
  const stamp = now.toISOString().slice(0, 19).replace(/[-:]/g, "").replace("T", "-");
  const extension = query.format === "ndjson" ? "ndjson" : query.format;
  return new Response(stream, {
    headers: {
      "Content-Type": CONTENT_TYPES[query.format],
      "Content-Disposition": `attachment; filename="audit-${access.project.key}-${stamp}.${extension}"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
