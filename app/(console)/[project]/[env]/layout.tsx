import type { ReactNode } from "react";
import { ConsoleShell } from "@/components/shell/console-shell";
import { loadEnvironmentForPage } from "@/lib/projects/load-project-for-page";

export default async function EnvironmentLayout({ children, params }: { children: ReactNode; params: Promise<{ project: string; env: string }> }) {
  const { project: projectKey, env } = await params;
  const { actor, project, environment, role, projects } = await loadEnvironmentForPage(projectKey, env);
  return (
    <ConsoleShell
      user={{ name: actor.name, email: actor.email }}
      role={role}
      project={{ key: project.key, name: project.name }}
      projects={projects.map((p) => ({ key: p.key, name: p.name }))}
      environment={environment.key}
      environments={project.environments.map((e) => ({ key: e.key, name: e.name, color: e.color, requireReview: e.requireReview }))}
    >
      {children}
    </ConsoleShell>
  );
}
