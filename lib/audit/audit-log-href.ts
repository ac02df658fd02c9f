/**
 * Links into the audit log page, filtered: what the change request, incident and kill switch
 * pages use to point at their entries. The page reads the same names from its URL (audit-query.ts,
 * FILTER_NAMES) and `entry` opens one entry beside the list.
 */
export interface AuditLogLink {
  entityType?: string;
  entityKey?: string;
  action?: string;
  environment?: string;
  from?: string;
  to?: string;
  /** An entry's id: opens its detail. */
  entry?: string;
}

export function auditLogHref(projectKey: string, environmentKey: string, link: AuditLogLink): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(link)) if (value) search.set(name, value);
  const query = search.toString();
  return `/${encodeURIComponent(projectKey)}/${encodeURIComponent(environmentKey)}/audit${query ? `?${query}` : ""}`;
}

/** A minute either side of a moment: a state change and the entry it wrote, whatever the clock skew between them. */
export function aroundMoment(iso: string): { from: string; to: string } {
  const at = Date.parse(iso);
  return { from: new Date(at - 60_000).toISOString(), to: new Date(at + 60_000).toISOString() };
}
