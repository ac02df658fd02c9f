import type { EnvironmentSnapshot, SnapshotPatch } from "./wire-format";

/**
 * The patch from one snapshot to the next: flags and segments whose JSON changed, and keys that
 * disappeared. Comparing serialised JSON is exact for data that round-trips through jsonb.
 */
export function diffSnapshots(before: EnvironmentSnapshot, after: EnvironmentSnapshot): SnapshotPatch {
  const changed = <T extends { key: string }>(previous: T[], next: T[]) => {
    const old = new Map(previous.map((item) => [item.key, JSON.stringify(item)]));
    const nextKeys = new Set(next.map((item) => item.key));
    return {
      upserts: next.filter((item) => old.get(item.key) !== JSON.stringify(item)),
      deleted: [...old.keys()].filter((key) => !nextKeys.has(key)),
    };
  };
  const flags = changed(before.flags, after.flags);
  const segments = changed(before.segments, after.segments);
  return {
    fromVersion: before.version,
    version: after.version,
    publishedAt: after.publishedAt,
    ...(after.optOutAttribute ? { optOutAttribute: after.optOutAttribute } : {}),
    upsertFlags: flags.upserts,
    deletedFlags: flags.deleted,
    upsertSegments: segments.upserts,
    deletedSegments: segments.deleted,
  };
}
