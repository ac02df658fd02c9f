import type { ProjectAccess } from "@/lib/auth/access";
import { findSegmentWithConfig } from "@/lib/data/segments";
import { notFound } from "@/lib/errors";
import type { SegmentRule } from "@/lib/evaluation/types";
import { environmentOrThrow } from "@/lib/projects/environment-or-throw";

/** A segment's membership in one environment, with its version (for PUT). */
export async function readSegmentConfig(access: ProjectAccess, environmentKey: string, segmentKey: string) {
  const environment = await environmentOrThrow(access.project.id, environmentKey);
  const segment = await findSegmentWithConfig(access.project.id, segmentKey, environment.id);
  const current = segment?.configs[0];
  if (!segment || !current) throw notFound(`Segment “${segmentKey}” in ${environment.name}`);
  return {
    segmentKey: segment.key,
    environmentKey: environment.key,
    version: current.version,
    included: current.included as unknown as string[],
    excluded: current.excluded as unknown as string[],
    rules: current.rules as unknown as SegmentRule[],
  };
}
