import type { Metadata } from "next";
import { PageHeader } from "@/components/shell/page-header";
import { listAttributeCatalog } from "@/lib/attributes/manage-attributes";
import { can } from "@/lib/auth/permissions";
import { loadEnvironmentForPage } from "@/lib/projects/load-project-for-page";
import { AttributesPanel } from "./attributes-panel";

export const metadata: Metadata = { title: "Attributes" };

export default async function AttributesPage({ params }: { params: Promise<{ project: string; env: string }> }) {
  const { project: projectKey, env } = await params;
  const { actor, project, role, environment } = await loadEnvironmentForPage(projectKey, env);
  const attributes = await listAttributeCatalog({ actor, project, role });
  const editable = can(role, "attributes:write");
  return (
    <section>
      <PageHeader
        title="Attributes"
        description={
          editable
            ? "The context attributes targeting may use. Rules can only pick attributes from this catalog."
            : "The context attributes targeting may use. Only admins can change the catalog."
        }
      />
      <AttributesPanel projectKey={project.key} environmentKey={environment.key} editable={editable} initial={attributes} />
    </section>
  );
}
