"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { FlagListPage } from "@/lib/flags/list-flags";

/** The list's filters as the URL and the API both spell them. */
export interface FlagListFilters {
  query: string;
  kind: string;
  tag: string;
  owner: string;
  lifecycle: string;
  state: string;
  stale: boolean;
  sort: string;
}

export const DEFAULT_FILTERS: FlagListFilters = { query: "", kind: "", tag: "", owner: "", lifecycle: "", state: "", stale: false, sort: "key" };

export function filtersFromSearch(search: URLSearchParams): FlagListFilters {
  const get = (name: string) => search.get(name) ?? "";
  return {
    query: get("query"),
    kind: get("kind"),
    tag: get("tag"),
    owner: get("owner"),
    lifecycle: get("lifecycle"),
    state: get("state"),
    stale: get("stale") === "true",
    sort: get("sort") || "key",
  };
}

/** Only what differs from the defaults, so URLs stay short and equal filters give equal keys. */
export function filtersToSearch(filters: FlagListFilters): URLSearchParams {
  const search = new URLSearchParams();
  for (const name of ["query", "kind", "tag", "owner", "lifecycle", "state"] as const) {
    const value = filters[name].trim();
    if (value) search.set(name, value);
  }
  if (filters.stale) search.set("stale", "true");
  if (filters.sort !== "key") search.set("sort", filters.sort);
  return search;
}

export const flagListKeys = {
  /** Every page of the list in an environment (what a flag change invalidates). */
  all: (project: string, env: string) => ["projects", project, "environments", env, "flag-list"] as const,
  page: (project: string, env: string, search: string, cursor: string | null) => ["projects", project, "environments", env, "flag-list", search, cursor] as const,
};

export const PAGE_SIZE = 50;

/**
 * One page of the list. The previous page stays on screen while the next loads. The server's
 * first page counts as fresh for a few seconds only: flags change on their own pages, so coming
 * back to the list reads it again.
 */
export function useFlagList(
  project: string,
  env: string,
  filters: FlagListFilters,
  cursor: string | null,
  initial?: { data: FlagListPage; at: number },
) {
  const search = filtersToSearch(filters).toString();
  return useQuery({
    queryKey: flagListKeys.page(project, env, search, cursor),
    queryFn: async ({ signal }): Promise<FlagListPage> => {
      const params = new URLSearchParams(search);
      params.set("limit", String(PAGE_SIZE));
      if (cursor) params.set("cursor", cursor);
      const response = await fetch(`/api/console/projects/${encodeURIComponent(project)}/environments/${encodeURIComponent(env)}/flags?${params}`, {
        headers: { accept: "application/json" },
        signal,
      });
      const body = await response.json().catch(() => null);
      if (!response.ok) throw new Error(body?.error?.message ?? `Loading flags failed (${response.status}).`);
      return body as FlagListPage;
    },
    initialData: initial?.data,
    initialDataUpdatedAt: initial?.at,
    staleTime: 5_000,
    placeholderData: keepPreviousData,
  });
}
