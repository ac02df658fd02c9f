import type { ProjectAccess } from "@/lib/auth/access";
import type { AuditFilter } from "@/lib/data/audit-events";
import { listEnvironments } from "@/lib/data/environments";
import { fieldsInvalid } from "@/lib/errors";
import type { AuditFilters } from "@/lib/schemas/audit";

const DAY_MS = 86_400_000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** A project's environments both ways: the filter names keys, rows store ids. */
export interface EnvironmentNames {
  idOf(key: string): string | undefined;
  keyOf(id: string | null): string | null;
}

export async function environmentNames(projectId: string): Promise<EnvironmentNames> {
  const environments = await listEnvironments(projectId);
  const byKey = new Map(environments.map((e) => [e.key, e.id]));
  const byId = new Map(environments.map((e) => [e.id, e.key]));
  return { idOf: (key) => byKey.get(key), keyOf: (id) => (id ? (byId.get(id) ?? null) : null) };
}

/**
 * The page's filters as column values. A date-only `to` means the end of that day, so
 * `from=to=2026-11-24` is that day. Contradictions and unknown environments are 400s that name
 * the parameter, never an empty result that looks like "nothing happened".
 */
export function resolveAuditFilter(filters: AuditFilters, environments: EnvironmentNames): AuditFilter {
  const from = filters.from ? new Date(filters.from) : undefined;
  const to = filters.to ? new Date(DATE_ONLY.test(filters.to) ? Date.parse(filters.to) + DAY_MS : filters.to) : undefined;
  if (from && to && from >= to) throw fieldsInvalid({ to: "The end of the time range must be after its start." });
  let environmentId: string | undefined;
  if (filters.environment) {
    environmentId = environments.idOf(filters.environment);
    if (!environmentId) throw fieldsInvalid({ environment: `This project has no environment “${filters.environment}”.` });
  }
  const action = filters.action?.endsWith(".*") ? { prefix: filters.action.slice(0, -1) } : filters.action ? { exact: filters.action } : undefined;
  return {
    actorLabel: filters.actor || undefined,
    entityType: filters.entityType || undefined,
    entityKey: filters.entityKey || undefined,
    action,
    environmentId,
    from,
    to,
    text: filters.q || undefined,
  };
}

/** Both at once, for a route. */
export async function auditFilterFor(access: ProjectAccess, filters: AuditFilters) {
  const environments = await environmentNames(access.project.id);
  return { filter: resolveAuditFilter(filters, environments), environments };
}
