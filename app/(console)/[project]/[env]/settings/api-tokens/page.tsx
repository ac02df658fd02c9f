import type { Metadata } from "next";
import { apiTokenStatus } from "@/lib/api-tokens/manage-api-tokens";
import { PageHeader } from "@/components/shell/page-header";
import { Notice } from "@/components/ui/notice";
import { can } from "@/lib/auth/permissions";
import { listApiTokensForProject } from "@/lib/data/api-tokens";
import { loadProjectForPage } from "@/lib/projects/load-project-for-page";
import { ApiTokensPanel } from "./api-tokens-panel";

export const metadata: Metadata = { title: "API tokens" };

export default async function ApiTokensPage({ params }: { params: Promise<{ project: string }> }) {
  const { project, role } = await loadProjectForPage((await params).project);
  if (!can(role, "tokens:write")) {
    return (
      <section>
        <PageHeader title="API tokens" />
        <Notice>Only project admins can see and manage API tokens.</Notice>
      </section>
    );
  }
  const tokens = await listApiTokensForProject(project.id);
  return (
    <section>
      <PageHeader
        title="API tokens"
        description={<>Tokens authenticate the REST API (<code>Authorization: Bearer …</code>). The secret is shown once; Switchyard stores only its hash.</>}
      />
      <ApiTokensPanel
        projectKey={project.key}
        tokens={tokens.map((t) => ({
          id: t.id,
          name: t.name,
          prefix: t.prefix,
          owner: t.user ? t.user.email : `service · ${t.role}`,
          createdAt: t.createdAt.toISOString(),
          lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
          status: apiTokenStatus(t),
        }))}
      />
    </section>
  );
}
