import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { can } from "@/lib/auth/permissions";
import { listMembers } from "@/lib/data/memberships";
import { isAppError } from "@/lib/errors";
import { loadEnvironmentForPage } from "@/lib/projects/load-project-for-page";
import { loadSegmentPage } from "@/lib/segments/segment-console-data";
import { SegmentEditor } from "./segment-editor";

type Params = Promise<{ project: string; env: string; segmentKey: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  return { title: `Segment ${decodeURIComponent((await params).segmentKey)}` };
}

export default async function SegmentPage({ params }: { params: Params }) {
  const { project: projectKey, env, segmentKey } = await params;
  const { actor, project, environment, role } = await loadEnvironmentForPage(projectKey, env);
  const key = decodeURIComponent(segmentKey);
  const [data, members] = await Promise.all([
    loadSegmentPage({ actor, project, role }, environment.key, key).catch((error: unknown) => {
      if (isAppError(error) && error.code === "NOT_FOUND") notFound();
      throw error;
    }),
    listMembers(project.id),
  ]);
  return (
    <SegmentEditor
      // Another environment or segment starts a new draft.
      key={`${environment.key}/${key}`}
      projectKey={project.key}
      environmentKey={environment.key}
      segmentKey={key}
      editable={can(role, "segments:write")}
      owners={members.map((m) => ({ email: m.user.email, name: m.user.name }))}
      initial={data}
    />
  );
}
