import type { ProjectAccess } from "@/lib/auth/access";
import { findFlagForPage, flagKeyExists, listFlagAuditEvents } from "@/lib/data/flag-page";
import { listFlagTestCases } from "@/lib/data/flag-test-cases";
import { loadTargetingContext } from "@/lib/data/targeting-context";
import { getPrisma } from "@/lib/db";
import { notFound } from "@/lib/errors";
import type { CatalogAttribute, EvaluationContext, Flag, FlagConfig, FlagKind, FlagValueType, Segment, Variation } from "@/lib/evaluation/types";
import { environmentOrThrow } from "@/lib/projects/environment-or-throw";

/**
 * What the flag page reads, as plain JSON: the server page renders it first, and the client
 * reads the same shapes through /api/console/… with react-query (and re-reads them after saves).
 */

export interface FlagEnvironmentState {
  key: string;
  name: string;
  color: string;
  requireReview: boolean;
  /** null when the flag has no configuration there (should not happen; every environment gets one). */
  config: FlagConfig | null;
  version: number | null;
  updatedAt: string | null;
  updatedBy: string | null;
}

export interface FlagPageData {
  flag: {
    key: string;
    name: string;
    description: string;
    kind: FlagKind;
    valueType: FlagValueType;
    variations: Variation[];
    controlVariation: string | null;
    owner: { email: string; name: string } | null;
    tags: string[];
    lifecycle: string;
    expiresAt: string | null;
    clientVisible: boolean;
    createdAt: string;
    createdBy: string | null;
  };
  environments: FlagEnvironmentState[];
}

export async function loadFlagPageData(access: ProjectAccess, flagKey: string): Promise<FlagPageData> {
  const flag = await findFlagForPage(access.project.id, flagKey);
  if (!flag) throw notFound(`Flag “${flagKey}”`);
  const environments = await getPrisma().environment.findMany({ where: { projectId: access.project.id }, orderBy: [{ sortOrder: "asc" }, { key: "asc" }] });
  return {
    flag: {
      key: flag.key,
      name: flag.name,
      description: flag.description,
      kind: flag.kind,
      valueType: flag.valueType,
      variations: flag.variations as unknown as Variation[],
      controlVariation: flag.controlVariation,
      owner: flag.owner,
      tags: flag.tags,
      lifecycle: flag.lifecycle,
      expiresAt: flag.expiresAt?.toISOString() ?? null,
      clientVisible: flag.clientVisible,
      createdAt: flag.createdAt.toISOString(),
      createdBy: flag.createdBy?.email ?? null,
    },
    environments: environments.map((env) => {
      const row = flag.configs.find((c) => c.environment.key === env.key);
      return {
        key: env.key,
        name: env.name,
        color: env.color,
        requireReview: env.requireReview,
        config: row ? (row.config as unknown as FlagConfig) : null,
        version: row?.version ?? null,
        updatedAt: row?.updatedAt.toISOString() ?? null,
        updatedBy: row?.updatedBy?.email ?? null,
      };
    }),
  };
}

export interface TargetingData {
  catalog: (CatalogAttribute & { description?: string })[];
  segments: (Segment & { name: string })[];
  flags: Flag[];
  optOutAttribute: string | null;
}

/** The catalog, segments and flags an environment's configurations are validated and previewed with. */
export async function loadTargetingData(access: ProjectAccess, environmentKey: string): Promise<TargetingData> {
  const environment = await environmentOrThrow(access.project.id, environmentKey);
  const [{ catalog, segments, flags }, attributes, segmentRows] = await Promise.all([
    loadTargetingContext(access.project.id, environment.id),
    getPrisma().attribute.findMany({ where: { projectId: access.project.id }, select: { key: true, description: true, dashboardDimension: true } }),
    getPrisma().segment.findMany({ where: { projectId: access.project.id }, select: { key: true, name: true } }),
  ]);
  const described = new Map(attributes.map((a) => [a.key, a]));
  const names = new Map(segmentRows.map((s) => [s.key, s.name]));
  return {
    catalog: catalog.map((a) => ({ ...a, description: described.get(a.key)?.description || undefined, dashboardDimension: described.get(a.key)?.dashboardDimension })),
    segments: segments.map((s) => ({ ...s, name: names.get(s.key) ?? s.key })),
    flags,
    optOutAttribute: access.project.optOutAttribute,
  };
}

export interface TestCaseData {
  id: string;
  name: string;
  description: string;
  context: EvaluationContext;
  expected: Record<string, string>;
  updatedAt: string;
}

export async function loadFlagTestCases(access: ProjectAccess, flagKey: string): Promise<TestCaseData[]> {
  const flag = await getPrisma().flag.findUnique({ where: { projectId_key: { projectId: access.project.id, key: flagKey } }, select: { id: true } });
  if (!flag) throw notFound(`Flag “${flagKey}”`);
  return (await listFlagTestCases(flag.id)).map((row) => ({
    id: row.id,
    name: row.name,
    description: row.description,
    context: row.context as EvaluationContext,
    expected: row.expected as Record<string, string>,
    updatedAt: row.updatedAt.toISOString(),
  }));
}

export interface HistoryEntry {
  id: string;
  createdAt: string;
  actor: string;
  action: string;
  environmentKey: string | null;
  before: unknown;
  after: unknown;
  reason: string | null;
}

export async function loadFlagHistory(access: ProjectAccess, flagKey: string, limit = 50): Promise<HistoryEntry[]> {
  const [events, environments] = await Promise.all([
    listFlagAuditEvents(access.project.id, flagKey, limit),
    getPrisma().environment.findMany({ where: { projectId: access.project.id }, select: { id: true, key: true } }),
  ]);
  const envKey = new Map(environments.map((e) => [e.id, e.key]));
  return events.map((e) => ({
    id: e.id.toString(),
    createdAt: e.createdAt.toISOString(),
    actor: e.actorLabel,
    action: e.action,
    environmentKey: e.environmentId ? (envKey.get(e.environmentId) ?? null) : null,
    before: e.before,
    after: e.after,
    reason: e.reason,
  }));
}

export async function isFlagKeyTaken(access: ProjectAccess, key: string): Promise<boolean> {
  return flagKeyExists(access.project.id, key);
}
