import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/shell/page-header";
import { Badge } from "@/components/ui/badge";
import { can } from "@/lib/auth/permissions";
import { listFlagsForEnvironment } from "@/lib/data/flags";
import { loadEnvironmentForPage } from "@/lib/projects/load-project-for-page";

export const metadata: Metadata = { title: "Flags" };

const KIND_TONE = { release: "indigo", experiment: "amber", operational: "red", permission: "green" } as const;

export default async function FlagsPage({ params }: { params: Promise<{ project: string; env: string }> }) {
  const { project: projectKey, env } = await params;
  const { project, environment, role } = await loadEnvironmentForPage(projectKey, env);
  const flags = await listFlagsForEnvironment(project.id, environment.id);
  return (
    <section>
      <PageHeader
        title="Flags"
        description={`${flags.length} flags · state in ${environment.name}`}
        actions={
          can(role, "flags:write") ? (
            <Link href={`/${project.key}/${environment.key}/flags/new`} className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500">
              New flag
            </Link>
          ) : null
        }
      />
      {flags.length === 0 ? (
        <p className="text-sm text-slate-500">No flags in this project yet.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className="border-b border-slate-200 text-slate-500 dark:border-slate-800">
              <tr>
                <th className="py-2 pr-4 font-medium">Flag</th>
                <th className="py-2 pr-4 font-medium">Kind</th>
                <th className="py-2 pr-4 font-medium">{environment.name}</th>
                <th className="py-2 pr-4 font-medium">Stage</th>
                <th className="py-2 pr-4 font-medium">Owner</th>
                <th className="py-2 pr-4 font-medium">Tags</th>
              </tr>
            </thead>
            <tbody>
              {flags.map((flag) => {
                const config = flag.configs[0]?.config as { on?: boolean } | undefined;
                return (
                  <tr key={flag.id} className="border-b border-slate-100 align-top dark:border-slate-900">
                    <td className="py-2 pr-4">
                      <Link href={`/${project.key}/${environment.key}/flags/${encodeURIComponent(flag.key)}`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
                        {flag.name}
                      </Link>
                      <code className="text-xs text-slate-500">{flag.key}</code>
                    </td>
                    <td className="py-2 pr-4">
                      <Badge tone={KIND_TONE[flag.kind]}>{flag.kind}</Badge>
                    </td>
                    <td className="py-2 pr-4">
                      {config ? <Badge tone={config.on ? "green" : "neutral"}>{config.on ? "On" : "Off"}</Badge> : <span className="text-slate-400">not configured</span>}
                    </td>
                    <td className="py-2 pr-4">{flag.lifecycle.replace("_", " ")}</td>
                    <td className="py-2 pr-4">{flag.owner?.name ?? <span className="text-slate-400">—</span>}</td>
                    <td className="py-2 pr-4">
                      <div className="flex flex-wrap gap-1">
                        {flag.tags.map((tag) => (
                          <Badge key={tag}>{tag}</Badge>
                        ))}
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
