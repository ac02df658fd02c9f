import type { SegmentEnvironmentSummary, SegmentRow, SegmentUsage } from "@/lib/data/segments";
import type { SegmentResource } from "@/lib/schemas/segment";

/** The REST representation of a segment (documented by `segmentResourceSchema`). */
export function segmentJson(segment: SegmentRow, summaries: SegmentEnvironmentSummary[], usage?: SegmentUsage): SegmentResource {
  return {
    key: segment.key,
    name: segment.name,
    description: segment.description,
    tags: segment.tags,
    owner: segment.owner ? { email: segment.owner.email, name: segment.owner.name } : null,
    createdAt: segment.createdAt.toISOString(),
    updatedAt: segment.updatedAt.toISOString(),
    environments: summaries
      .filter((s) => s.segmentId === segment.id)
      .map((s) => ({
        key: s.environmentKey,
        version: s.version,
        includedCount: s.includedCount,
        excludedCount: s.excludedCount,
        ruleCount: s.ruleCount,
        updatedAt: new Date(s.updatedAt).toISOString(),
      })),
    ...(usage ? { usedBy: usage.flags } : {}),
  };
}
