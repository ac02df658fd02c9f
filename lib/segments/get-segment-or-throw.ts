import { findSegmentByKey, type SegmentRow } from "@/lib/data/segments";
import { notFound } from "@/lib/errors";

export async function getSegmentOrThrow(projectId: string, key: string): Promise<SegmentRow> {
  const segment = await findSegmentByKey(projectId, key);
  if (!segment) throw notFound(`Segment “${key}”`);
  return segment;
}
