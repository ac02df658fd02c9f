import type { Metadata } from "next";
import { PageHeader } from "@/components/shell/page-header";
import { listAuditEvents } from "@/lib/audit/list-audit-events";
import { can } from "@/lib/auth/permissions";
import { listMembers } from "@/lib/data/memberships";
import { loadEnvironmentForPage } from "@/lib/projects/load-project-for-page";
import { auditListQuerySchema } from "@/lib/schemas/audit";
import { AuditLog } from "./audit-log";

export const metadata: Metadata = { title: "Audit log" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function AuditPage({ params, searchParams }: { params: Promise<{ project: string; env: string }>; searchParams: SearchParams }) {
  const { project: projectKey, env } = await params;
  const { actor, project, environment, role } = await loadEnvironmentForPage(projectKey, env);
  const raw = Object.fromEntries(Object.entries(await searchParams).flatMap(([name, value]) => (typeof value === "string" && value !== "" && name !== "entry" ? [[name, value]] : [])));
  const parsed = auditListQuerySchema.safeParse({ ...raw, limit: "50", cursor: undefined });
  // eslint-disable-next-line react-hooks/purity -- one clock reading per request, for "3 minutes ago"
  const now = Date.now();
  // The first page for the URL's filters; filters the API refuses are left to the list to explain.
  const [firstPage, members] = await Promise.all([
    parsed.success ? listAuditEvents({ actor, project, role }, parsed.data).catch(() => undefined) : undefined,
    listMembers(project.id),
  ]);
  return (
    <section>
      <PageHeader
        title="Audit log"
        description="Every change in this project, newest first: who, when, what, why and from where. Entries are append-only and hash-chained, so editing or deleting one in the database shows."
      />
      <AuditLog
        projectKey={project.key}
        environment={{ key: environment.key, name: environment.name }}
        environments={project.environments.map((e) => ({ key: e.key, name: e.name, color: e.color }))}
        actors={members.map((m) => m.user.email)}
        canVerify={can(role, "audit:verify")}
        now={now}
        firstPage={firstPage}
      />
    </section>
  );
}
