import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { can } from "@/lib/auth/permissions";
import { isAppError } from "@/lib/errors";
import { loadFlagPageData } from "@/lib/flags/flag-page-data";
import { loadEnvironmentForPage } from "@/lib/projects/load-project-for-page";
import { PromoteFlag } from "@/components/flags/promote-flag";

type Params = Promise<{ project: string; env: string; flagKey: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  return { title: `Compare ${decodeURIComponent((await params).flagKey)}` };
}

/**
 * Compare a flag across environments and promote one's configuration to another. The
 * environment in the URL is the default target; the one before it (staging before production)
 * the default source.
 */
export default async function CompareFlagPage({ params, searchParams }: { params: Params; searchParams: Promise<{ from?: string }> }) {
  const { project: projectKey, env, flagKey } = await params;
  const { actor, project, environment, role } = await loadEnvironmentForPage(projectKey, env);
  const data = await loadFlagPageData({ actor, project, role }, decodeURIComponent(flagKey)).catch((error: unknown) => {
    if (isAppError(error) && error.code === "NOT_FOUND") notFound();
    throw error;
  });
  const keys = data.environments.map((e) => e.key);
  const at = keys.indexOf(environment.key);
  const requested = (await searchParams).from;
  const from = requested && keys.includes(requested) && requested !== environment.key ? requested : (keys[at - 1] ?? keys[at + 1] ?? environment.key);
  return <PromoteFlag projectKey={project.key} data={data} initialFrom={from} initialTo={environment.key} editable={can(role, "flags:write")} />;
}
