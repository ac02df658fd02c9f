import { getPrisma } from "@/lib/db";
import type { CatalogAttribute, ClauseValue, Flag, FlagConfig, Segment, SegmentRule, Variation } from "@/lib/evaluation/types";

/**
 * What validating a configuration in one environment needs to know about its surroundings:
 * the attribute catalog, the environment's segments and the other flags (for prerequisites).
 */
export async function loadTargetingContext(projectId: string, environmentId: string) {
  const prisma = getPrisma();
  const [attributes, segmentRows, flagRows] = await Promise.all([
    prisma.attribute.findMany({ where: { projectId } }),
    prisma.segmentEnvironmentConfig.findMany({ where: { environmentId }, select: { included: true, excluded: true, rules: true, segment: { select: { key: true } } } }),
    prisma.flagEnvironmentConfig.findMany({
      // Archived flags are not evaluated, so nothing may depend on them.
      where: { environmentId, flag: { projectId, lifecycle: { not: "archived" } } },
      select: { config: true, version: true, flag: { select: { key: true, kind: true, valueType: true, variations: true, controlVariation: true } } },
    }),
  ]);
  const catalog: CatalogAttribute[] = attributes.map((a) => ({
    key: a.key,
    type: a.type,
    sensitivity: a.sensitivity,
    ...(a.allowedValues ? { allowedValues: a.allowedValues as unknown as ClauseValue[] } : {}),
  }));
  const segments: Segment[] = segmentRows.map((row) => ({
    key: row.segment.key,
    included: row.included as unknown as string[],
    excluded: row.excluded as unknown as string[],
    rules: row.rules as unknown as SegmentRule[],
  }));
  const flags: Flag[] = flagRows.map((row) => ({
    key: row.flag.key,
    kind: row.flag.kind,
    valueType: row.flag.valueType,
    variations: row.flag.variations as unknown as Variation[],
    ...(row.flag.controlVariation ? { controlVariation: row.flag.controlVariation } : {}),
    config: { ...(row.config as unknown as FlagConfig), version: row.version },
  }));
  return { catalog, segments, flags };
}
