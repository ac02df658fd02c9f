import { notFound, redirect } from "next/navigation";
import { loadProjectForPage } from "@/lib/projects/load-project-for-page";

export default async function ProjectHome({ params }: { params: Promise<{ project: string }> }) {
  const { project: key } = await params;
  const { project } = await loadProjectForPage(key);
  const first = project.environments[0];
  if (!first) notFound();
  redirect(`/${project.key}/${first.key}/flags`);
}
