import { redirect } from "next/navigation";
import { getSessionActor } from "@/lib/auth/session";
import { listProjectsForUser } from "@/lib/data/projects";
import { requireProjectCreation } from "@/lib/auth/access";
import { Notice } from "@/components/ui/notice";
import { CreateProjectForm } from "@/components/shell/create-project-form";
import { SignOutButton } from "@/components/shell/sign-out-button";

export default async function Home() {
  const actor = await getSessionActor();
  if (!actor) redirect("/login");
  const projects = await listProjectsForUser(actor.userId);
  if (projects.length > 0) redirect(`/${projects[0].key}`);
  const mayCreate = await requireProjectCreation(actor).then(
    () => true,
    () => false,
  );
  return (
    <main className="mx-auto max-w-lg space-y-6 px-4 py-16">
      <h1 className="text-2xl font-semibold">Welcome, {actor.name}</h1>
      <Notice title="You are not a member of any project yet">
        Ask a project admin to add <strong>{actor.email}</strong> in Settings → Members.
      </Notice>
      {mayCreate ? <CreateProjectForm /> : null}
      <SignOutButton />
    </main>
  );
}
