import type { Metadata } from "next";
import { PageHeader } from "@/components/shell/page-header";
import { EnvironmentPolicies } from "@/components/settings/environment-policies";
import { can } from "@/lib/auth/permissions";
import { loadProjectForPage } from "@/lib/projects/load-project-for-page";
import { environmentPolicyView } from "@/lib/projects/update-environment-policy";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage({ params }: { params: Promise<{ project: string }> }) {
  const { project, role } = await loadProjectForPage((await params).project);
  return (
    <section>
      <PageHeader title={project.name} description={<>Project key <code>{project.key}</code>. {project.description}</>} />
      <h2 className="mb-2 font-semibold">Environments and their policies</h2>
      <EnvironmentPolicies projectKey={project.key} environments={project.environments.map(environmentPolicyView)} canEdit={can(role, "environments:write")} />
    </section>
  );
}
