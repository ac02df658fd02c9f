"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { FlagPageData, HistoryEntry, TargetingData, TestCaseData } from "@/lib/flags/flag-page-data";

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
