import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { CreateProjectForm } from "@/components/shell/create-project-form";
import { Notice } from "@/components/ui/notice";
import { requireProjectCreation } from "@/lib/auth/access";
import { getSessionActor } from "@/lib/auth/session";

export const metadata: Metadata = { title: "New project" };

export default async function NewProjectPage() {
  const actor = await getSessionActor();
  if (!actor) redirect("/login");
  const allowed = await requireProjectCreation(actor).then(
    () => true,
    () => false,
  );
  return (
    <main className="mx-auto max-w-lg space-y-6 px-4 py-16">
      <h1 className="text-2xl font-semibold">New project</h1>
      <p className="text-sm text-slate-600 dark:text-slate-400">
        A project holds one product&apos;s flags, segments and members. It starts with development, staging and production environments;
        production changes need an approval.
      </p>
      {allowed ? <CreateProjectForm /> : <Notice tone="warning">Only project admins can create projects.</Notice>}
      <Link href="/" className="text-sm text-indigo-600 hover:underline dark:text-indigo-400">
        Back to the console
      </Link>
    </main>
  );
}
