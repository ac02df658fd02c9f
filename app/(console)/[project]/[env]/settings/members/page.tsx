import type { Metadata } from "next";
import { PageHeader } from "@/components/shell/page-header";
import { can } from "@/lib/auth/permissions";
import { listMembers } from "@/lib/data/memberships";
import { loadProjectForPage } from "@/lib/projects/load-project-for-page";
import { MembersTable } from "./members-table";

export const metadata: Metadata = { title: "Members" };

export default async function MembersPage({ params }: { params: Promise<{ project: string }> }) {
  const { project, role, actor } = await loadProjectForPage((await params).project);
  const members = await listMembers(project.id);
  const editable = can(role, "members:write");
  return (
    <section>
      <PageHeader
        title="Members"
        description={editable ? "Add people by email and choose what each may do." : "Only admins can change members and roles."}
      />
      <MembersTable
        projectKey={project.key}
        editable={editable}
        currentUserId={actor.userId}
        members={members.map((m) => ({ userId: m.user.id, email: m.user.email, name: m.user.name, role: m.role }))}
      />
    </section>
  );
}
