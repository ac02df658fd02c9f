import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { readChangeRequest, readChangeRequestVersions } from "@/lib/change-requests/change-request-view";
import { isAppError } from "@/lib/errors";
import { loadEnvironmentForPage } from "@/lib/projects/load-project-for-page";
import { changeRequestNumberSchema } from "@/lib/schemas/change-request";
import { ChangeRequestPage } from "./change-request-page";

export const metadata: Metadata = { title: "Change request" };

export default async function Page({ params }: { params: Promise<{ project: string; env: string; number: string }> }) {
  const { project: projectKey, env, number: raw } = await params;
  const number = changeRequestNumberSchema.safeParse(raw);
  if (!number.success) notFound();
  const { actor, project, role } = await loadEnvironmentForPage(projectKey, env);
  const access = { actor, project, role };
  const request = await readChangeRequest(access, number.data).catch((error: unknown) => {
    if (isAppError(error) && error.code === "NOT_FOUND") notFound();
    throw error;
  });
  const versions = request.status === "conflicted" ? await readChangeRequestVersions(access, number.data) : null;
  return <ChangeRequestPage projectKey={project.key} request={request} versions={versions} />;
}
