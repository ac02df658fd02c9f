import type { ProjectAccess } from "@/lib/auth/access";
import { auditActorFields } from "@/lib/audit/audit-actor";
import { findSegmentUsage, listSegmentConfigs, removeSegment, type SegmentUsage } from "@/lib/data/segments";
import { conflict } from "@/lib/errors";
import { getSnapshotStore } from "@/lib/snapshots/snapshot-store";
import { getSegmentOrThrow } from "./get-segment-or-throw";

function inUse(segmentKey: string, usage: SegmentUsage) {
  const group = <T>(rows: T[], key: (row: T) => string, label: (row: T) => string) => {
    const map = new Map<string, string[]>();
    for (const row of rows) map.set(key(row), [...(map.get(key(row)) ?? []), label(row)]);
    return [...map].map(([k, envs]) => `“${k}” (${envs.join(", ")})`).join(", ");
  };
  const parts: string[] = [];
  if (usage.flags.length > 0) parts.push(`flag${new Set(usage.flags.map((f) => f.flagKey)).size > 1 ? "s" : ""} ${group(usage.flags, (f) => f.flagKey, (f) => f.environmentKey + (f.archived ? ", archived" : ""))}`);
  if (usage.segments.length > 0) parts.push(`segment${usage.segments.length > 1 ? "s" : ""} ${group(usage.segments, (s) => s.segmentKey, (s) => s.environmentKey)}`);
  return conflict(`Segment “${segmentKey}” cannot be deleted: it is used by ${parts.join(" and ")}. Remove it from their rules first.`, {
    usedBy: usage.flags,
    usedBySegments: usage.segments,
  });
}

/**
 * Deletes a segment that no rule refers to (in any environment, archived flags included). Its
 * memberships leave every snapshot; the audit entry keeps them.
 */
export async function deleteSegment(access: ProjectAccess, key: string) {
  const { project } = access;
  const segment = await getSegmentOrThrow(project.id, key);
  const usage = await findSegmentUsage(project.id, segment.key);
  if (usage.flags.length > 0 || usage.segments.length > 0) throw inUse(segment.key, usage);
  const configs = await listSegmentConfigs(segment.id);
  const result = await removeSegment({
    projectId: project.id,
    segmentId: segment.id,
    segmentKey: segment.key,
    environmentIds: configs.map((c) => c.environmentId),
    before: {
      name: segment.name,
      description: segment.description,
      tags: segment.tags,
      environments: Object.fromEntries(configs.map((c) => [c.environment.key, { version: c.version, included: c.included, excluded: c.excluded, rules: c.rules }])),
    },
    audit: auditActorFields(access.actor),
  });
  if (!result.ok) throw inUse(segment.key, result.usage);
  await Promise.all(configs.map((c) => getSnapshotStore().reload(c.environmentId)));
}
