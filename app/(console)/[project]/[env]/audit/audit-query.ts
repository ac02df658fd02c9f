"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { AuditChainVerification, AuditEventDetail, AuditExportFormat, AuditPage } from "@/lib/schemas/audit";

/** The audit page's filters as the URL, the console reads and the export spell them. */
export const FILTER_NAMES = ["q", "actor", "entityType", "entityKey", "action", "environment", "from", "to"] as const;
export type AuditFilterState = Record<(typeof FILTER_NAMES)[number], string>;

export const NO_FILTERS: AuditFilterState = { q: "", actor: "", entityType: "", entityKey: "", action: "", environment: "", from: "", to: "" };

export function filtersFromSearch(search: URLSearchParams): AuditFilterState {
  return Object.fromEntries(FILTER_NAMES.map((name) => [name, search.get(name) ?? ""])) as AuditFilterState;
}

/** Only the filters set, so URLs stay short and equal filters give equal query keys. */
export function filtersToSearch(filters: AuditFilterState): URLSearchParams {
  const search = new URLSearchParams();
  for (const name of FILTER_NAMES) {
    const value = filters[name].trim();
    if (value) search.set(name, value);
  }
  return search;
}

export const PAGE_SIZE = 50;

/** An API refusal with the parameters it names, so the form can show them at their fields. */
export class AuditQueryError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
  }
}

async function readJson<T>(response: Response, what: string): Promise<T> {
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new AuditQueryError(body?.error?.message ?? `${what} failed (${response.status}).`, response.status, body?.error?.details?.fields ?? {});
  return body as T;
}

const base = (project: string) => `/api/console/projects/${encodeURIComponent(project)}/audit`;

export const auditKeys = {
  all: (project: string) => ["projects", project, "audit"] as const,
  page: (project: string, search: string, cursor: string | null) => ["projects", project, "audit", "page", search, cursor] as const,
  entry: (project: string, id: string) => ["projects", project, "audit", "entry", id] as const,
};

/** One page of the table, newest first; the previous page stays on screen while the next loads. */
export function useAuditPage(project: string, filters: AuditFilterState, cursor: string | null, initial?: { data: AuditPage; at: number }) {
  const search = filtersToSearch(filters).toString();
  return useQuery({
    queryKey: auditKeys.page(project, search, cursor),
    queryFn: async ({ signal }) => {
      const params = new URLSearchParams(search);
      params.set("limit", String(PAGE_SIZE));
      if (cursor) params.set("cursor", cursor);
      return readJson<AuditPage>(await fetch(`${base(project)}?${params}`, { headers: { accept: "application/json" }, signal }), "Loading the audit log");
    },
    initialData: initial?.data,
    initialDataUpdatedAt: initial?.at,
    staleTime: 5_000,
    placeholderData: keepPreviousData,
    retry: (count, error) => !(error instanceof AuditQueryError && error.status < 500) && count < 1,
  });
}

/** One entry with everything it recorded. Entries never change, so one read is enough. */
export function useAuditEntry(project: string, id: string | null) {
  return useQuery({
    queryKey: auditKeys.entry(project, id ?? ""),
    queryFn: async ({ signal }) => readJson<AuditEventDetail>(await fetch(`${base(project)}/${encodeURIComponent(id!)}`, { signal }), "Loading the entry"),
    enabled: id !== null,
    staleTime: Infinity,
    retry: false,
  });
}

export function exportHref(project: string, filters: AuditFilterState, format: AuditExportFormat): string {
  const params = filtersToSearch(filters);
  params.set("format", format);
  return `${base(project)}/export?${params}`;
}

export async function verifyChain(project: string) {
  const result = await readJson<AuditChainVerification | { error: { message: string } }>(await fetch(`${base(project)}/verify`), "Verification");
  // A long verification answers 200 before it ends, so a late failure arrives as an error body.
  if ("error" in result) throw new AuditQueryError(result.error.message, 500);
  return result;
}
