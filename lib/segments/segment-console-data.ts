import type { ProjectAccess } from "@/lib/auth/access";
import { listAttributes } from "@/lib/data/attributes";
import { listEnvironments } from "@/lib/data/environments";
import { findFlagNames } from "@/lib/data/flags";
import { findSegmentUsage, listSegmentNames, listSegmentReferences, listSegmentSummaries } from "@/lib/data/segments";
import { loadTargetingContext } from "@/lib/data/targeting-context";
import type { CatalogAttribute, SegmentRule } from "@/lib/evaluation/types";
import { environmentOrThrow } from "@/lib/projects/environment-or-throw";
import type { ListSegmentsQuery, SegmentResource } from "@/lib/schemas/segment";
import { getSegmentOrThrow } from "./get-segment-or-throw";
import { listSegments } from "./list-segments";
import { readSegmentConfig } from "./read-segment-config";
import { segmentJson } from "./segment-json";

/**
 * What the console's segment pages read, as plain JSON: the server page renders it first, and
 * the client reads the same shapes through /api/console/… with react-query.
 */

export interface SegmentListItem extends SegmentResource {
  /** Flags (not archived) whose rules refer to the segment in the list's environment. */
  usedByHere: string[];
  /** Environments where some flag refers to it. */
  usedIn: string[];
}

export interface SegmentListPage {
  segments: SegmentListItem[];
  nextCursor: string | null;
}

/** The segments list: the REST list (search, tags, keyset pages) with where each segment is used. */
export async function listSegmentsForConsole(access: ProjectAccess, environmentKey: string, query: ListSegmentsQuery): Promise<SegmentListPage> {
  await environmentOrThrow(access.project.id, environmentKey);
  const [page, references] = await Promise.all([listSegments(access, query), listSegmentReferences(access.project.id)]);
  return {
    nextCursor: page.nextCursor,
    segments: page.segments.map((segment) => {
      const refs = references.filter((r) => r.segmentKey === segment.key);
      return {
        ...segment,
        usedByHere: [...new Set(refs.filter((r) => r.environmentKey === environmentKey).map((r) => r.flagKey))],
        usedIn: [...new Set(refs.map((r) => r.environmentKey))],
      };
    }),
  };
}

export interface SegmentUsageEntry {
  kind: "flag" | "segment";
  key: string;
  name: string;
  environmentKey: string;
  archived: boolean;
}

export interface SegmentPageData {
  segment: SegmentResource;
  environment: { key: string; name: string; requireReview: boolean };
  /** The membership in this environment, at `version`. */
  config: { version: number; included: string[]; excluded: string[]; rules: SegmentRule[] };
  /** What refers to the segment, in every environment. */
  usage: SegmentUsageEntry[];
  environments: { key: string; name: string }[];
  /** What the rules may use (forbidden attributes included, so the editor can say why they are not offered). */
  catalog: (CatalogAttribute & { description: string })[];
  /**
   * The environment's other segments with their rules (their key lists left out: validating
   * references and cycles needs only the rules), for segment conditions and live validation.
   */
  otherSegments: { key: string; name: string; rules: SegmentRule[] }[];
}

export async function loadSegmentPage(access: ProjectAccess, environmentKey: string, segmentKey: string): Promise<SegmentPageData> {
  const { project } = access;
  const environment = await environmentOrThrow(project.id, environmentKey);
  const segment = await getSegmentOrThrow(project.id, segmentKey);
  const [summaries, config, usage, environments, attributes, targeting, segmentNames] = await Promise.all([
    listSegmentSummaries([segment.id]),
    readSegmentConfig(access, environment.key, segment.key),
    findSegmentUsage(project.id, segment.key),
    listEnvironments(project.id),
    listAttributes(project.id),
    loadTargetingContext(project.id, environment.id),
    listSegmentNames(project.id),
  ]);
  const flagNames = await findFlagNames(project.id, usage.flags.map((f) => f.flagKey));
  return {
    segment: segmentJson(segment, summaries),
    environment: { key: environment.key, name: environment.name, requireReview: environment.requireReview },
    config: { version: config.version, included: config.included, excluded: config.excluded, rules: config.rules },
    usage: [
      ...usage.flags.map((f) => ({ kind: "flag" as const, key: f.flagKey, name: flagNames.get(f.flagKey) ?? f.flagKey, environmentKey: f.environmentKey, archived: f.archived })),
      ...usage.segments.map((s) => ({ kind: "segment" as const, key: s.segmentKey, name: segmentNames.get(s.segmentKey) ?? s.segmentKey, environmentKey: s.environmentKey, archived: false })),
    ],
    environments: environments.map((e) => ({ key: e.key, name: e.name })),
    catalog: attributes.map((a) => ({
      key: a.key,
      type: a.type,
      sensitivity: a.sensitivity,
      description: a.description,
      dashboardDimension: a.dashboardDimension,
      ...(a.allowedValues.length ? { allowedValues: a.allowedValues } : {}),
    })),
    otherSegments: targeting.segments
      .filter((s) => s.key !== segment.key)
      .map((s) => ({ key: s.key, name: segmentNames.get(s.key) ?? s.key, rules: s.rules }))
      .sort((a, b) => a.key.localeCompare(b.key)),
  };
}
