import type { Metadata } from "next";
import { PageHeader } from "@/components/shell/page-header";
import { can } from "@/lib/auth/permissions";
import { listOverrides } from "@/lib/overrides/list-overrides";
import { loadEnvironmentForPage } from "@/lib/projects/load-project-for-page";
import { IncidentsList } from "./incidents-list";

export const metadata: Metadata = { title: "Incidents" };

/** Kill switches pulled in this project (every environment): follow-ups awaiting review first, then past ones. */
export default async function IncidentsPage({ params }: { params: Promise<{ project: string; env: string }> }) {
  const { project: projectKey, env } = await params;
  const { actor, project, role } = await loadEnvironmentForPage(projectKey, env);
  const overrides = await listOverrides({ actor, project, role });
  return (
    <section>
      <PageHeader
        title="Incidents"
        description="Every kill switch pulled in this project. Each stays awaiting review until an approver other than the person who pulled it records what happened."
      />
      <IncidentsList
        projectKey={project.key}
        initial={overrides}
        currentUserEmail={actor.email}
        canAcknowledge={can(role, "flags:write")}
        canReview={can(role, "changes:review")}
      />
    </section>
  );
}
