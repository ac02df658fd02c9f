import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/shell/page-header";
import { Notice } from "@/components/ui/notice";
import { can } from "@/lib/auth/permissions";
import { listMembers } from "@/lib/data/memberships";
import { loadEnvironmentForPage } from "@/lib/projects/load-project-for-page";
import { NewFlagWizard } from "./new-flag-wizard";

export const metadata: Metadata = { title: "New flag" };

export default async function NewFlagPage({ params }: { params: Promise<{ project: string; env: string }> }) {
  const { project: projectKey, env } = await params;
  const { actor, project, environment, role } = await loadEnvironmentForPage(projectKey, env);
  if (!can(role, "flags:write")) {
    return (
      <section>
        <PageHeader title="New flag" />
        <Notice>
          Your role in {project.name} is {role}: only editors and above can create flags. <Link href={`/${project.key}/${environment.key}/flags`} className="underline">Back to the flags</Link>
        </Notice>
      </section>
    );
  }
  const members = await listMembers(project.id);
  return (
    <section>
      <PageHeader title="New flag" description="The flag starts off in every environment; you target it afterwards in the rule builder." />
      <NewFlagWizard
        // eslint-disable-next-line react-hooks/purity -- one clock reading per request bounds the expiry picker
        now={Date.now()}
        projectKey={project.key}
        environmentKey={environment.key}
        currentUserEmail={actor.email}
        members={members.map((m) => ({ email: m.user.email, name: m.user.name }))}
        environments={project.environments.map((e) => ({ key: e.key, name: e.name, requireExpiry: e.requireExpiry, maxFlagLifetimeDays: e.maxFlagLifetimeDays, requireOwner: e.requireOwner }))}
      />
    </section>
  );
}
