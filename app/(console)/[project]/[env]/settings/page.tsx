import type { Metadata } from "next";
import { PageHeader } from "@/components/shell/page-header";
import { Badge } from "@/components/ui/badge";
import { loadProjectForPage } from "@/lib/projects/load-project-for-page";

export const metadata: Metadata = { title: "Settings" };

function percent(units: number): string {
  return `${(units / 1000).toLocaleString("en-US", { maximumFractionDigits: 3 })} %`;
}

export default async function SettingsPage({ params }: { params: Promise<{ project: string }> }) {
  const { project } = await loadProjectForPage((await params).project);
  return (
    <section>
      <PageHeader title={project.name} description={<>Project key <code>{project.key}</code>. {project.description}</>} />
      <h2 className="mb-2 font-semibold">Environments and their policies</h2>
      <div className="overflow-x-auto">
        <table className="w-full text-left text-sm">
          <thead className="border-b border-slate-200 text-slate-500 dark:border-slate-800">
            <tr>
              <th className="py-2 pr-4 font-medium">Environment</th>
              <th className="py-2 pr-4 font-medium">Changes</th>
              <th className="py-2 pr-4 font-medium">Max rollout without review</th>
              <th className="py-2 pr-4 font-medium">Flags need</th>
            </tr>
          </thead>
          <tbody>
            {project.environments.map((env) => (
              <tr key={env.key} className="border-b border-slate-100 dark:border-slate-900">
                <td className="py-2 pr-4">
                  <span className="inline-block h-2.5 w-2.5 rounded-full" style={{ backgroundColor: env.color || "#64748b" }} /> {env.name}{" "}
                  <code className="text-xs text-slate-500">{env.key}</code>
                </td>
                <td className="py-2 pr-4">
                  {env.requireReview ? (
                    <Badge tone="amber">
                      Review required · {env.requiredApprovals} approval{env.requiredApprovals === 1 ? "" : "s"}
                    </Badge>
                  ) : (
                    <Badge tone="green">Apply directly</Badge>
                  )}
                </td>
                <td className="py-2 pr-4">{percent(env.maxRolloutPercentWithoutReview)}</td>
                <td className="py-2 pr-4">
                  {[env.requireOwner && "an owner", env.requireExpiry && "an expiry date"].filter(Boolean).join(" and ") || "—"}
                  {env.maxFlagLifetimeDays ? ` (max ${env.maxFlagLifetimeDays} days)` : ""}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
