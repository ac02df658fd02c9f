import type { ProjectAccess } from "@/lib/auth/access";
import { decodeCursorPosition, encodeCursor } from "@/lib/api/cursor";
import { listFlagsPage, type FlagListRow, type FlagListSort, type FlagStaleness } from "@/lib/data/flags";
import type { FlagConfig } from "@/lib/evaluation/types";
import { environmentOrThrow } from "@/lib/projects/environment-or-throw";
import type { ConsoleFlagListQuery, ListFlagsQuery } from "@/lib/schemas/flag";
import { flagJson } from "./flag-json";

/** A page of flag definitions in key order, filtered on the server. */
export async function listFlags(access: ProjectAccess, query: ListFlagsQuery) {
  const after = query.cursor ? { key: decodeCursorPosition(query.cursor).key } : undefined;
  const { rows, hasMore } = await listFlagsPage(
    access.project.id,
    { query: query.query || undefined, kind: query.kind, tag: query.tag, lifecycle: query.lifecycle, ownerEmail: query.owner },
    after,
    query.limit,
  );
  return { flags: rows.map(flagJson), nextCursor: hasMore && rows.length > 0 ? encodeCursor(rows[rows.length - 1].key) : null };
}

/** Flags expiring within this many days get an "expiring" badge. */
export const EXPIRING_SOON_DAYS = 14;

/** What the fallthrough (everyone no target or rule matched) is served in one environment. */
export interface FallthroughSummary {
  /** Share, in 0.001 % units, that gets a variation other than the off variation. */
  servedPercent: number;
  /** The split, when the fallthrough is a percentage rollout. */
  split: { variation: string; weight: number }[] | null;
  /** The variation, when it is a single one. */
  variation: string | null;
}

/** One row of the console's flags list. */
export interface FlagListItem {
  key: string;
  name: string;
  description: string;
  kind: FlagListRow["kind"];
  valueType: FlagListRow["valueType"];
  owner: { email: string; name: string } | null;
  tags: string[];
  lifecycle: FlagListRow["lifecycle"];
  expiresAt: string | null;
  /** On or off in every environment that has a configuration, in the environments' order. */
  environments: { key: string; on: boolean }[];
  /** The configuration in the list's environment. */
  current: { on: boolean; version: number; targetCount: number; ruleCount: number; rolloutRuleCount: number; fallthrough: FallthroughSummary } | null;
  lastChangedAt: string;
  /** Why the flag is stale in this environment; empty when it is not. */
  staleReasons: string[];
  expiringSoon: boolean;
}

export interface FlagListPage {
  flags: FlagListItem[];
  nextCursor: string | null;
  total: number;
}

function fallthroughSummary(config: FlagConfig): FallthroughSummary {
  const serve = config.fallthrough;
  if (serve && "rollout" in serve) {
    const split = serve.rollout.weights.map((w) => ({ variation: w.variation, weight: w.weight }));
    const total = split.reduce((sum, w) => sum + w.weight, 0);
    const served = split.filter((w) => w.variation !== config.offVariation).reduce((sum, w) => sum + w.weight, 0);
    // Imported Unleash splits carry weights of any total; show them as shares of 100 %.
    return { servedPercent: total > 0 ? Math.round((served * 100_000) / total) : 0, split, variation: null };
  }
  const variation = serve && "variation" in serve ? serve.variation : null;
  return { servedPercent: variation !== null && variation !== config.offVariation ? 100_000 : 0, split: null, variation };
}

function staleReasons(staleness: FlagStaleness | null): string[] {
  if (!staleness) return [];
  const reasons: string[] = [];
  if (staleness.pastExpiry) reasons.push("past its expiry date");
  if (staleness.servingOneVariation) reasons.push("serving one variation to everyone for 30 days");
  if (staleness.notEvaluated) reasons.push("no evaluations in 30 days");
  return reasons;
}

function flagListItem(row: FlagListRow, environmentId: string, now: number): FlagListItem {
  const configs = [...row.configs].sort((a, b) => a.environment.sortOrder - b.environment.sortOrder || a.environment.key.localeCompare(b.environment.key));
  const here = row.configs.find((c) => c.environmentId === environmentId);
  const config = here?.config as unknown as FlagConfig | undefined;
  const expires = row.expiresAt?.getTime();
  return {
    key: row.key,
    name: row.name,
    description: row.description,
    kind: row.kind,
    valueType: row.valueType,
    owner: row.owner ? { email: row.owner.email, name: row.owner.name } : null,
    tags: row.tags,
    lifecycle: row.lifecycle,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    environments: configs.map((c) => ({ key: c.environment.key, on: (c.config as unknown as FlagConfig).on === true })),
    current:
      here && config
        ? {
            on: config.on === true,
            version: here.version,
            targetCount: (config.targets ?? []).reduce((sum, t) => sum + t.values.length, 0),
            ruleCount: (config.rules ?? []).length,
            rolloutRuleCount: (config.rules ?? []).filter((r) => r.serve && "rollout" in r.serve).length,
            fallthrough: fallthroughSummary(config),
          }
        : null,
    lastChangedAt: row.lastChangedAt.toISOString(),
    staleReasons: staleReasons(row.staleness),
    expiringSoon: expires !== undefined && expires >= now && expires < now + EXPIRING_SOON_DAYS * 86_400_000,
  };
}

/** The cursor after a row: its key, and its sort value for sorts other than the key. */
function cursorAfter(row: FlagListRow, sort: FlagListSort): string {
  switch (sort) {
    case "key":
      return encodeCursor(row.key);
    case "name":
      return encodeCursor(row.key, row.name);
    case "updated":
      return encodeCursor(row.key, row.lastChangedAt.toISOString());
    case "created":
      return encodeCursor(row.key, row.createdAt.toISOString());
  }
}

/**
 * The console's flags list in one environment: the same filtered, keyset-paginated query as the
 * REST list, plus on/off and staleness there, other sorts, and the number of matches.
 */
export async function listFlagRows(access: ProjectAccess, environmentKey: string, query: ConsoleFlagListQuery, now = new Date()): Promise<FlagListPage> {
  const environment = await environmentOrThrow(access.project.id, environmentKey);
  const after = query.cursor ? decodeCursorPosition(query.cursor) : undefined;
  const { rows, hasMore, total } = await listFlagsPage(
    access.project.id,
    {
      query: query.query || undefined,
      kind: query.kind,
      tag: query.tag,
      lifecycle: query.lifecycle,
      ownerEmail: query.owner,
      environmentId: environment.id,
      state: query.state,
      stale: query.stale,
    },
    after,
    query.limit,
    { sort: query.sort, withTotal: true, now },
  );
  return {
    flags: rows.map((row) => flagListItem(row, environment.id, now.getTime())),
    nextCursor: hasMore && rows.length > 0 ? cursorAfter(rows[rows.length - 1], query.sort) : null,
    total: total ?? rows.length,
  };
}
