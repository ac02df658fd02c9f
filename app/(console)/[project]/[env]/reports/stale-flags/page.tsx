import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/shell/page-header";
import { Badge } from "@/components/ui/badge";
import { loadStaleFlagsReport, STALE_REPORT_LIMIT } from "@/lib/flags/stale-flags-report";
import { loadEnvironmentForPage } from "@/lib/projects/load-project-for-page";

export const metadata: Metadata = { title: "Stale flags" };

/** Every flag stale somewhere, with why per environment: what owners should retire or extend. */
export default async function StaleFlagsReportPage({ params }: { params: Promise<{ project: string; env: string }> }) {
  const { project: projectKey, env } = await params;
  const { actor, project, role, environment } = await loadEnvironmentForPage(projectKey, env);
  const { flags, truncated } = await loadStaleFlagsReport({ actor, project, role });
  return (
    <section>
      <PageHeader
        title="Stale flags"
        description="Flags past their expiry, serving one variation to everyone for 30 days, or not evaluated for 30 days (where an environment reports exposures). Stale everywhere first: those are the safest to remove."
        actions={
          <a href={`/api/console/projects/${encodeURIComponent(project.key)}/reports/stale-flags`} className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-50 dark:border-slate-700 dark:hover:bg-slate-900">
            Download CSV
          </a>
        }
      />
      {truncated ? <p className="mb-3 text-sm text-amber-700">More than {STALE_REPORT_LIMIT.toLocaleString("en-US")} flags are stale in an environment; the list shows the first ones by key.</p> : null}
      {flags.length === 0 ? (
        <p className="text-sm text-slate-500">No stale flags in any environment.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm" aria-label="Stale flags">
            <thead className="border-b border-slate-200 text-slate-500 dark:border-slate-800">
              <tr>
                <th className="py-2 pr-4 font-medium">Flag</th>
                <th className="py-2 pr-4 font-medium">Owner</th>
                <th className="py-2 pr-4 font-medium">Stage</th>
                <th className="py-2 pr-4 font-medium">Stale in</th>
                <th className="py-2 pr-4 font-medium">Last change</th>
              </tr>
            </thead>
            <tbody>
              {flags.map((flag) => (
                <tr key={flag.key} className="border-b border-slate-100 align-top dark:border-slate-900">
                  <td className="py-2 pr-4">
                    <Link href={`/${project.key}/${environment.key}/flags/${encodeURIComponent(flag.key)}`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
                      {flag.name}
                    </Link>{" "}
                    <code className="text-xs text-slate-500">{flag.key}</code>
                  </td>
                  <td className="py-2 pr-4">{flag.owner ? flag.owner.name : "—"}</td>
                  <td className="py-2 pr-4">
                    <Badge>{flag.lifecycle.replace("_", " ")}</Badge>
                  </td>
                  <td className="py-2 pr-4">
                    <ul className="space-y-0.5">
                      {flag.staleIn.map((s) => (
                        <li key={s.environmentKey}>
                          <span className="font-medium">{s.environmentName}</span>: {s.reasons.join("; ")}
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td className="py-2 pr-4">{flag.lastChangedAt.slice(0, 10)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
