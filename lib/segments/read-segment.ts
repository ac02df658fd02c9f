import type { ProjectAccess } from "@/lib/auth/access";
import { findSegmentUsage, listSegmentSummaries } from "@/lib/data/segments";
import { getSegmentOrThrow } from "./get-segment-or-throw";
import { segmentJson } from "./segment-json";

/** A segment with its size per environment and the flags that use it. */
export async function readSegment(access: ProjectAccess, key: string) {
  const segment = await getSegmentOrThrow(access.project.id, key);
  const [summaries, usage] = await Promise.all([listSegmentSummaries([segment.id]), findSegmentUsage(access.project.id, segment.key)]);
  return segmentJson(segment, summaries, usage);
}
