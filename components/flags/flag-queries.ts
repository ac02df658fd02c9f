"use client";

import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import type { FlagPageData, HistoryEntry, TargetingData, TestCaseData } from "@/lib/flags/flag-page-data";
import type { EnvironmentDependencies } from "@/lib/flags/flag-dependencies-view";
import type { FlagImpactPreview } from "@/lib/impact/preview-flag-impact";
import type { PickableContext } from "@/lib/impact/recent-contexts-for-picker";

/**
 * The flag page's reads. Keys nest under the project, so a save can invalidate everything about
 * one flag (definition, configurations, history, test cases) with one prefix, and the
 * environment's targeting data (which holds this flag's configuration too) with another.
 */
export const flagQueryKeys = {
  flag: (project: string, flag: string) => ["projects", project, "flags", flag] as const,
  history: (project: string, flag: string) => ["projects", project, "flags", flag, "history"] as const,
  testCases: (project: string, flag: string) => ["projects", project, "flags", flag, "test-cases"] as const,
  targeting: (project: string, env: string) => ["projects", project, "environments", env, "targeting"] as const,
};

const base = (project: string) => `/api/console/projects/${encodeURIComponent(project)}`;

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { headers: { accept: "application/json" } });
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new Error(body?.error?.message ?? `Loading failed (${response.status}).`);
  return body as T;
}

export function useFlagData(project: string, flag: string, initialData: FlagPageData) {
  return useQuery({ queryKey: flagQueryKeys.flag(project, flag), queryFn: () => getJson<FlagPageData>(`${base(project)}/flags/${encodeURIComponent(flag)}`), initialData });
}

export function useFlagHistory(project: string, flag: string, initialData: HistoryEntry[]) {
  return useQuery({ queryKey: flagQueryKeys.history(project, flag), queryFn: () => getJson<HistoryEntry[]>(`${base(project)}/flags/${encodeURIComponent(flag)}/history`), initialData });
}

export function useFlagTestCases(project: string, flag: string, initialData: TestCaseData[]) {
  return useQuery({ queryKey: flagQueryKeys.testCases(project, flag), queryFn: () => getJson<TestCaseData[]>(`${base(project)}/flags/${encodeURIComponent(flag)}/test-cases`), initialData });
}

export function useTargetingData(project: string, env: string, initialData: TargetingData) {
  return useQuery({ queryKey: flagQueryKeys.targeting(project, env), queryFn: () => getJson<TargetingData>(`${base(project)}/environments/${encodeURIComponent(env)}/targeting`), initialData });
}

export async function isFlagKeyTaken(project: string, key: string): Promise<boolean> {
  return (await getJson<{ taken: boolean }>(`${base(project)}/flag-keys/${encodeURIComponent(key)}`)).taken;
}

/** After a save: everything about the flag, and the environment's targeting data. */
export function useInvalidateFlag(project: string, flag: string) {
  const client = useQueryClient();
  return (env?: string) =>
    Promise.all([
      client.invalidateQueries({ queryKey: flagQueryKeys.flag(project, flag) }),
      env ? client.invalidateQueries({ queryKey: flagQueryKeys.targeting(project, env) }) : null,
    ]);
}

/**
 * The impact of the edited configuration on recently seen contexts (a POST read: the draft is
 * the body, as canonical JSON text). Keyed by that text so an edit and its undo share a cache entry.
 */
export function useFlagImpact(project: string, env: string, flag: string, draftText: string | null) {
  return useQuery({
    queryKey: [...flagQueryKeys.flag(project, flag), "impact", env, draftText ?? ""] as const,
    enabled: draftText !== null,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
    queryFn: async () => {
      const response = await fetch(`${base(project)}/environments/${encodeURIComponent(env)}/flags/${encodeURIComponent(flag)}/impact`, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: draftText!,
      });
      const body = await response.json().catch(() => null);
      if (!response.ok) throw new Error(body?.error?.message ?? `Previewing the impact failed (${response.status}).`);
      return body as FlagImpactPreview;
    },
  });
}

/** The contexts seen most recently in the environment, for Evaluate as… (fetched when the picker opens). */
export function useRecentContexts(project: string, env: string, enabled: boolean) {
  return useQuery({
    queryKey: ["projects", project, "environments", env, "recent-contexts"] as const,
    enabled,
    staleTime: 60_000,
    queryFn: () => getJson<PickableContext[]>(`${base(project)}/environments/${encodeURIComponent(env)}/recent-contexts`),
  });
}

/** The prerequisite graph both ways, per environment (refetched with everything else about the flag). */
export function useFlagDependencies(project: string, flag: string, initialData: EnvironmentDependencies[]) {
  return useQuery({
    queryKey: [...flagQueryKeys.flag(project, flag), "dependencies"] as const,
    initialData,
    queryFn: () => getJson<EnvironmentDependencies[]>(`${base(project)}/flags/${encodeURIComponent(flag)}/dependencies`),
  });
}
