import type { Metadata } from "next";
import Link from "next/link";
import { ChangeRequestStatusBadge, STATUS_LABELS } from "@/components/change-requests/status-badge";
import { PageHeader } from "@/components/shell/page-header";
import { cn } from "@/components/ui/cn";
import { listChangeRequestsFor } from "@/lib/change-requests/change-request-view";
import { loadEnvironmentForPage } from "@/lib/projects/load-project-for-page";
import { CHANGE_REQUEST_STATUSES, listChangeRequestsQuerySchema } from "@/lib/schemas/change-request";

export const metadata: Metadata = { title: "Change requests" };

const VIEWS = [
  { key: "awaiting_my_review", label: "Awaiting my review" },
  { key: "mine", label: "My requests" },
  { key: "all", label: "All" },
] as const;

export default async function ChangeRequestsPage({ params, searchParams }: { params: Promise<{ project: string; env: string }>; searchParams: Promise<Record<string, string | undefined>> }) {
  const { project: projectKey, env } = await params;
  const search = await searchParams;
  const { actor, project, environment, role } = await loadEnvironmentForPage(projectKey, env);
  const allEnvironments = search.environments === "all";
  const parsed = listChangeRequestsQuerySchema.safeParse({ view: search.view ?? "all", status: search.status, environment: allEnvironments ? undefined : environment.key, before: search.before });
  const query = parsed.success ? parsed.data : listChangeRequestsQuerySchema.parse({ environment: environment.key });
  const { items, nextBefore } = await listChangeRequestsFor({ actor, project, role }, query);
  const base = `/${project.key}/${environment.key}/change-requests`;
  const href = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams();
    const merged = { view: query.view, status: query.status?.join(","), environments: allEnvironments ? "all" : undefined, ...changes };
    for (const [k, v] of Object.entries(merged)) if (v) next.set(k, v);
    return `${base}?${next}`;
  };
  return (
    <section>
      <PageHeader title="Change requests" description={`Proposed changes with their rule-level diffs, reviews and state${allEnvironments ? " in every environment" : ` in ${environment.name}`}.`} />
      <nav aria-label="Change request lists" className="mb-3 flex flex-wrap items-center gap-2 text-sm">
        {VIEWS.map((v) => (
          <Link key={v.key} href={href({ view: v.key, before: undefined })} aria-current={query.view === v.key ? "page" : undefined} className={cn("rounded-md px-2 py-1", query.view === v.key ? "bg-indigo-100 font-medium text-indigo-900 dark:bg-indigo-950 dark:text-indigo-100" : "hover:bg-slate-100 dark:hover:bg-slate-800")}>
            {v.label}
          </Link>
        ))}
        <span className="mx-2 text-slate-400">|</span>
        <Link href={href({ environments: allEnvironments ? undefined : "all" })} className="underline">
          {allEnvironments ? `Only ${environment.name}` : "All environments"}
        </Link>
      </nav>
      <form className="mb-4 flex items-center gap-2 text-sm" action={base}>
        <input type="hidden" name="view" value={query.view} />
        {allEnvironments ? <input type="hidden" name="environments" value="all" /> : null}
        <label htmlFor="status-filter">State</label>
        <select id="status-filter" name="status" defaultValue={query.status?.[0] ?? ""} className="rounded-md border border-slate-300 bg-white px-2 py-1 dark:border-slate-700 dark:bg-slate-900">
          <option value="">Any</option>
          {CHANGE_REQUEST_STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABELS[s]}
            </option>
          ))}
        </select>
        <button type="submit" className="rounded-md border border-slate-300 px-2 py-1 dark:border-slate-700">
          Filter
        </button>
      </form>
      {items.length === 0 ? (
        <p className="rounded-md border border-dashed border-slate-300 p-6 text-sm text-slate-500 dark:border-slate-700">
          {query.view === "awaiting_my_review"
            ? "Nothing waits for your review."
            : "No change requests here. In an environment that requires review, saving a flag or segment files one."}
        </p>
      ) : (
        <table className="w-full text-left text-sm">
          <thead className="border-b border-slate-200 text-slate-500 dark:border-slate-800">
            <tr>
              <th className="py-2 pr-4 font-medium">Request</th>
              <th className="py-2 pr-4 font-medium">State</th>
              <th className="py-2 pr-4 font-medium">Environment</th>
              <th className="py-2 pr-4 font-medium">Changes</th>
              <th className="py-2 pr-4 font-medium">Approvals</th>
              <th className="py-2 pr-4 font-medium">Author</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.number} className="border-b border-slate-100 dark:border-slate-900">
                <td className="py-2 pr-4">
                  <Link href={item.path} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
                    #{item.number} {item.title}
                  </Link>
                </td>
                <td className="py-2 pr-4">
                  <ChangeRequestStatusBadge status={item.status} />
                  {item.scheduledFor ? <span className="ml-1 text-xs text-slate-500">for {new Date(item.scheduledFor).toLocaleString("en-GB", { timeZone: "UTC" })} UTC</span> : null}
                </td>
                <td className="py-2 pr-4">{item.environment.name}</td>
                <td className="py-2 pr-4">{item.entities.map((e) => `${e.entityType} ${e.entityKey}`).join(", ")}</td>
                <td className="py-2 pr-4">
                  {item.approvals} of {item.required}
                </td>
                <td className="py-2 pr-4">{item.author}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {nextBefore ? (
        <Link href={href({ before: String(nextBefore) })} className="mt-3 inline-block text-sm underline">
          Older requests
        </Link>
      ) : null}
    </section>
  );
}
