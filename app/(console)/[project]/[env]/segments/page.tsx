import type { Metadata } from "next";
import { PageHeader } from "@/components/shell/page-header";
import { can } from "@/lib/auth/permissions";
import { listMembers } from "@/lib/data/memberships";
import { loadEnvironmentForPage } from "@/lib/projects/load-project-for-page";
import { listSegmentsForConsole } from "@/lib/segments/segment-console-data";
import { SegmentsList } from "./segments-list";

export const metadata: Metadata = { title: "Segments" };

export default async function SegmentsPage({ params }: { params: Promise<{ project: string; env: string }> }) {
  const { project: projectKey, env } = await params;
  const { actor, project, environment, role } = await loadEnvironmentForPage(projectKey, env);
  const [firstPage, members] = await Promise.all([listSegmentsForConsole({ actor, project, role }, environment.key, { limit: 50 }), listMembers(project.id)]);
  return (
    <section>
      <PageHeader
        title="Segments"
        description={`Reusable cohorts: included and excluded keys and rules, per environment. Membership shown for ${environment.name}.`}
      />
      <SegmentsList
        projectKey={project.key}
        environment={{ key: environment.key, name: environment.name }}
        editable={can(role, "segments:write")}
        owners={members.map((m) => ({ email: m.user.email, name: m.user.name }))}
        // eslint-disable-next-line react-hooks/purity -- one clock reading per request, for ages
        now={Date.now()}
        firstPage={firstPage}
      />
    </section>
  );
}
