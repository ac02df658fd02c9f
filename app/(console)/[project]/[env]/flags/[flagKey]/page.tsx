import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { can } from "@/lib/auth/permissions";
import { listMembers } from "@/lib/data/memberships";
import { isAppError } from "@/lib/errors";
import { loadFlagDependencies } from "@/lib/flags/flag-dependencies";
import { loadFlagHistory, loadFlagPageData, loadFlagTestCases, loadTargetingData } from "@/lib/flags/flag-page-data";
import { loadEnvironmentForPage } from "@/lib/projects/load-project-for-page";
import { FlagPageClient } from "./flag-page-client";

type Params = Promise<{ project: string; env: string; flagKey: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  return { title: decodeURIComponent((await params).flagKey) };
}

export default async function FlagPage({ params, searchParams }: { params: Params; searchParams: Promise<{ created?: string }> }) {
  const { project: projectKey, env, flagKey } = await params;
  const justCreated = (await searchParams).created === "1";
  const { actor, project, environment, role } = await loadEnvironmentForPage(projectKey, env);
  const access = { actor, project, role };
  const key = decodeURIComponent(flagKey);
  const flag = await loadFlagPageData(access, key).catch((error: unknown) => {
    if (isAppError(error) && error.code === "NOT_FOUND") notFound();
    throw error;
  });
  const [targeting, testCases, history, members, dependencies] = await Promise.all([
    loadTargetingData(access, environment.key),
    loadFlagTestCases(access, key),
    loadFlagHistory(access, key),
    listMembers(project.id),
    loadFlagDependencies(access, key),
  ]);
  return (
    <FlagPageClient
      // A new environment or flag starts a new draft.
      key={`${environment.key}/${key}`}
      projectKey={project.key}
      environmentKey={environment.key}
      editable={can(role, "flags:write")}
      // eslint-disable-next-line react-hooks/purity -- one clock reading per request, for expiry badges and date clauses
      now={Date.now()}
      initial={{ flag, targeting, testCases, history, dependencies }}
      justCreated={justCreated}
      members={members.map((m) => ({ email: m.user.email, name: m.user.name }))}
      killSwitch={{ canUse: can(role, "killswitch:use"), canAcknowledge: can(role, "flags:write") }}
    />
  );
}
