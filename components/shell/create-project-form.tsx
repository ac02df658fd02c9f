"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { createProjectAction } from "@/app/(console)/actions";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import type { ActionResult } from "@/lib/actions/define-action";

export function CreateProjectForm() {
  const router = useRouter();
  const [result, setResult] = useState<ActionResult<{ key: string }> | null>(null);
  const [pending, setPending] = useState(false);
  const fieldErrors = result && !result.ok ? result.error.fieldErrors : undefined;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    const outcome = await createProjectAction({ key: form.get("key"), name: form.get("name"), description: form.get("description") ?? "" });
    setPending(false);
    setResult(outcome);
    if (outcome.ok) router.push(`/${outcome.data.key}`);
  }

  return (
    <form onSubmit={onSubmit} className="space-y-3 rounded-md border border-slate-200 p-4 dark:border-slate-800" aria-label="Create a project">
      <h2 className="font-semibold">Create a project</h2>
      {result && !result.ok && !fieldErrors ? <Notice tone="error">{result.error.message}</Notice> : null}
      <TextField label="Name" name="name" required error={fieldErrors?.name} />
      <TextField label="Key" name="key" required hint="Lowercase letters, digits and dashes; used in URLs and SDKs." error={fieldErrors?.key} />
      <TextField label="Description" name="description" error={fieldErrors?.description} />
      <Button type="submit" disabled={pending}>
        {pending ? "Creating…" : "Create project"}
      </Button>
    </form>
  );
}
