"use client";

import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import type { SegmentImpact } from "@/lib/segments/preview-segment-impact";
import type { SegmentListPage, SegmentPageData } from "@/lib/segments/segment-console-data";

/** Keys nest under the environment: a save there invalidates its list and the segment's page. */
export const segmentQueryKeys = {
  lists: (project: string, env: string) => ["projects", project, "environments", env, "segment-list"] as const,
  list: (project: string, env: string, query: string, cursor: string | null) => ["projects", project, "environments", env, "segment-list", query, cursor] as const,
  segment: (project: string, env: string, key: string) => ["projects", project, "environments", env, "segments", key] as const,
};

const base = (project: string, env: string) => `/api/console/projects/${encodeURIComponent(project)}/environments/${encodeURIComponent(env)}/segments`;

async function readJson<T>(response: Response, what: string): Promise<T> {
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new Error(body?.error?.message ?? `${what} failed (${response.status}).`);
  return body as T;
}

export function useSegmentList(project: string, env: string, query: string, cursor: string | null, initial?: SegmentListPage) {
  return useQuery({
    queryKey: segmentQueryKeys.list(project, env, query, cursor),
    queryFn: async ({ signal }) => {
      const params = new URLSearchParams({ limit: "50" });
      if (query) params.set("query", query);
      if (cursor) params.set("cursor", cursor);
      return readJson<SegmentListPage>(await fetch(`${base(project, env)}?${params}`, { signal, headers: { accept: "application/json" } }), "Loading segments");
    },
    initialData: initial,
    placeholderData: keepPreviousData,
  });
}

export function useSegmentPage(project: string, env: string, key: string, initialData: SegmentPageData) {
  return useQuery({
    queryKey: segmentQueryKeys.segment(project, env, key),
    queryFn: async ({ signal }) =>
      readJson<SegmentPageData>(await fetch(`${base(project, env)}/${encodeURIComponent(key)}`, { signal, headers: { accept: "application/json" } }), "Loading the segment"),
    initialData,
  });
}

/** The impact of an edit in progress: a read, sent as POST because the draft can be large. */
export async function fetchSegmentImpact(project: string, env: string, key: string, draft: { included: string[]; excluded: string[]; rules: unknown[] }): Promise<SegmentImpact> {
  const response = await fetch(`${base(project, env)}/${encodeURIComponent(key)}/impact`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify(draft),
  });
  return readJson<SegmentImpact>(response, "Previewing the impact");
}

/** After a save: this environment's list and the segment. */
export function useInvalidateSegments(project: string, env: string) {
  const client = useQueryClient();
  return (key?: string) =>
    Promise.all([
      client.invalidateQueries({ queryKey: segmentQueryKeys.lists(project, env) }),
      key ? client.invalidateQueries({ queryKey: segmentQueryKeys.segment(project, env, key) }) : null,
    ]);
}
