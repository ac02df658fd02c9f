"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { OverrideView } from "@/lib/overrides/override-json";

/**
 * Reads behind the kill switch UI: a flag's unacknowledged overrides (the banner), the project's
 * overrides (the incidents page) and the navigation's counts. Every kill-switch mutation
 * invalidates the whole `overrides` prefix and the counts, wherever it was pulled from.
 */
export const overrideQueryKeys = {
  all: (project: string) => ["projects", project, "overrides"] as const,
  flag: (project: string, flag: string) => ["projects", project, "overrides", "flag", flag] as const,
  list: (project: string) => ["projects", project, "overrides", "list"] as const,
  navBadges: (project: string) => ["projects", project, "nav-badges"] as const,
};

const base = (project: string) => `/api/console/projects/${encodeURIComponent(project)}`;

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { headers: { accept: "application/json" } });
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new Error(body?.error?.message ?? `Loading failed (${response.status}).`);
  return body as T;
}

export function useFlagOverrides(project: string, flag: string) {
  return useQuery({
    queryKey: overrideQueryKeys.flag(project, flag),
    queryFn: () => getJson<OverrideView[]>(`${base(project)}/flags/${encodeURIComponent(flag)}/overrides`),
  });
}

export function useOverrideList(project: string, initialData: { open: OverrideView[]; past: OverrideView[] }) {
  return useQuery({ queryKey: overrideQueryKeys.list(project), queryFn: () => getJson<typeof initialData>(`${base(project)}/overrides`), initialData });
}

/** Counts next to navigation items; polled, since overrides are pulled by others (and by automation). */
export function useNavBadges(project: string) {
  return useQuery({
    queryKey: overrideQueryKeys.navBadges(project),
    queryFn: () => getJson<{ incidents: number; changeRequests: number }>(`${base(project)}/nav-badges`),
    refetchInterval: 30_000,
  });
}

export function useInvalidateOverrides(project: string) {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: overrideQueryKeys.all(project) }),
      client.invalidateQueries({ queryKey: overrideQueryKeys.navBadges(project) }),
    ]);
}
