import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/shell/page-header";
import { can } from "@/lib/auth/permissions";
import { listFlagTags } from "@/lib/data/flags";
import { listMembers } from "@/lib/data/memberships";
import { listFlagRows } from "@/lib/flags/list-flags";
import { loadEnvironmentForPage } from "@/lib/projects/load-project-for-page";
import { consoleFlagListQuerySchema } from "@/lib/schemas/flag";
import { FlagsList } from "./flags-list";

export const metadata: Metadata = { title: "Flags" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function FlagsPage({ params, searchParams }: { params: Promise<{ project: string; env: string }>; searchParams: SearchParams }) {
  const { project: projectKey, env } = await params;
  const { actor, project, environment, role } = await loadEnvironmentForPage(projectKey, env);
  // The first page for the filters in the URL (unknown values fall back to no filter).
  const raw = Object.fromEntries(Object.entries(await searchParams).flatMap(([name, value]) => (typeof value === "string" && value !== "" ? [[name, value]] : [])));
  const parsed = consoleFlagListQuerySchema.safeParse({ ...raw, limit: "50", cursor: undefined });
  const query = parsed.success ? parsed.data : consoleFlagListQuerySchema.parse({ limit: "50" });
  // eslint-disable-next-line react-hooks/purity -- one clock reading per request, for ages and expiry badges
  const now = Date.now();
  const [firstPage, tags, members] = await Promise.all([
    listFlagRows({ actor, project, role }, environment.key, query, new Date(now)),
    listFlagTags(project.id),
    listMembers(project.id),
  ]);
  return (
    <section>
      <PageHeader
        title="Flags"
        description={`State, rollout and staleness in ${environment.name}.`}
        actions={
          <div className="flex items-center gap-2">
            <Link href={`/${project.key}/${environment.key}/reports/stale-flags`} className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-50 dark:border-slate-700 dark:hover:bg-slate-900">
              Stale flags report
            </Link>
            {can(role, "flags:write") ? (
              <Link href={`/${project.key}/${environment.key}/flags/new`} className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500">
                New flag
              </Link>
            ) : null}
          </div>
        }
      />
      <FlagsList
        projectKey={project.key}
        environment={{ key: environment.key, name: environment.name }}
        environments={project.environments.map((e) => ({ key: e.key, name: e.name, color: e.color }))}
        tags={tags}
        owners={members.map((m) => ({ email: m.user.email, name: m.user.name }))}
        now={now}
        // Shown at once when the URL's filters were understood; otherwise the list asks the API (which explains what is wrong).
        firstPage={parsed.success ? firstPage : undefined}
        killSwitch={{ canUse: can(role, "killswitch:use"), requireReview: environment.requireReview }}
      />
    </section>
  );
}
