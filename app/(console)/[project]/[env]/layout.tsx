import type { ReactNode } from "react";
import { ConsoleShell } from "@/components/shell/console-shell";
import { countAwaitingMyReview } from "@/lib/change-requests/change-request-view";
import { loadEnvironmentForPage } from "@/lib/projects/load-project-for-page";

export default async function EnvironmentLayout({ children, params }: { children: ReactNode; params: Promise<{ project: string; env: string }> }) {
  const { project: projectKey, env } = await params;
  const { actor, project, environment, role, projects } = await loadEnvironmentForPage(projectKey, env);
  const awaitingReview = await countAwaitingMyReview({ actor, project, role });
  return (
    <ConsoleShell
      user={{ name: actor.name, email: actor.email }}
      role={role}
      project={{ key: project.key, name: project.name }}
      projects={projects.map((p) => ({ key: p.key, name: p.name }))}
      environment={environment.key}
      badges={{ "change-requests": awaitingReview ? { count: awaitingReview, label: `${awaitingReview} awaiting your review` } : undefined }}
      environments={project.environments.map((e) => ({ key: e.key, name: e.name, color: e.color, requireReview: e.requireReview }))}
    >
      {children}
    </ConsoleShell>
  );
}
