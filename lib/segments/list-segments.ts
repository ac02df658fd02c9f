import type { ProjectAccess } from "@/lib/auth/access";
import { decodeCursor, encodeCursor } from "@/lib/api/cursor";
import { listSegmentsPage, listSegmentSummaries } from "@/lib/data/segments";
import type { ListSegmentsQuery } from "@/lib/schemas/segment";
import { segmentJson } from "./segment-json";

/** A page of segments in key order, with their sizes per environment. */
export async function listSegments(access: ProjectAccess, query: ListSegmentsQuery) {
  const afterKey = query.cursor ? decodeCursor(query.cursor) : undefined;
  const { rows, hasMore } = await listSegmentsPage(access.project.id, { query: query.query || undefined, tag: query.tag }, afterKey, query.limit);
  const summaries = await listSegmentSummaries(rows.map((row) => row.id));
  return {
    segments: rows.map((row) => segmentJson(row, summaries)),
    nextCursor: hasMore && rows.length > 0 ? encodeCursor(rows[rows.length - 1].key) : null,
  };
}
