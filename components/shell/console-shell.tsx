import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import type { Role } from "@/lib/auth/permissions";
import { EnvironmentSwitcher } from "./environment-switcher";
import { ProjectSwitcher } from "./project-switcher";
import { SidebarNav } from "./sidebar-nav";
import { SignOutButton } from "./sign-out-button";
import { ThemeToggle } from "./theme-toggle";

export interface ShellEnvironment {
  key: string;
  name: string;
  color: string;
  requireReview: boolean;
}

export function ConsoleShell(props: {
  user: { name: string; email: string };
  role: Role;
  project: { key: string; name: string };
  projects: { key: string; name: string }[];
  environment: string;
  environments: ShellEnvironment[];
  children: ReactNode;
}) {
  const base = `/${props.project.key}/${props.environment}`;
  return (
    <div className="flex min-h-screen">
      <aside className="hidden w-56 shrink-0 border-r border-slate-200 bg-slate-50 p-4 md:block dark:border-slate-800 dark:bg-slate-900">
        <p className="mb-4 text-lg font-semibold tracking-tight">Switchyard</p>
        <SidebarNav base={base} projectKey={props.project.key} />
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex flex-wrap items-center gap-3 border-b border-slate-200 px-4 py-2 dark:border-slate-800">
          <ProjectSwitcher current={props.project.key} projects={props.projects} />
          <EnvironmentSwitcher current={props.environment} environments={props.environments} />
          <div className="ml-auto flex items-center gap-3 text-sm">
            <span className="hidden sm:inline" title={props.user.email}>
              {props.user.name}
            </span>
            <Badge tone={props.role === "viewer" ? "neutral" : "indigo"}>{props.role}</Badge>
            <ThemeToggle />
            <SignOutButton />
          </div>
        </header>
        <nav aria-label="Sections" className="border-b border-slate-200 px-2 py-1 md:hidden dark:border-slate-800">
          <SidebarNav base={base} projectKey={props.project.key} horizontal />
        </nav>
        <main className="min-w-0 flex-1 p-6">{props.children}</main>
      </div>
    </div>
  );
}
