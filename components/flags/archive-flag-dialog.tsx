"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { DialogForm } from "@/components/ui/dialog-form";
import { Notice } from "@/components/ui/notice";
import type { ActionError, ActionResult } from "@/lib/actions/define-action";
import { environmentsStillEvaluating, RECENT_EVALUATION_DAYS, type EnvironmentDependencies } from "@/lib/flags/flag-dependencies-view";

interface Props {
  projectKey: string;
  environmentKey: string;
  flagKey: string;
  dependencies: EnvironmentDependencies[];
  action: (input: unknown) => Promise<ActionResult<unknown>>;
}

/**
 * Lifecycle → archived, from the flag page: a confirmation that lists the environments still
 * evaluating the flag (on there, or evaluated in the last 30 days), since archiving removes it
 * from every snapshot and SDKs fall back to their defaults. Flags that require it block archiving.
 */
export function ArchiveFlagDialog({ projectKey, environmentKey, flagKey, dependencies, action }: Props) {
  const router = useRouter();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<ActionError | null>(null);
  const evaluating = environmentsStillEvaluating(dependencies);
  const blockers = dependencies.flatMap((d) => d.neededBy.filter((e) => e.depth === 1).map((e) => `${e.flagKey} (${d.environmentName})`));

  const archive = useMutation({
    mutationFn: async () => {
      const result = await action({ projectKey, flagKey, ...(reason.trim() ? { reason: reason.trim() } : {}) });
      if (!result.ok) throw result.error;
    },
    onSuccess: () => {
      dialogRef.current?.close();
      router.push(`/${projectKey}/${environmentKey}/flags`);
    },
    onError: (e) => setError(e as unknown as ActionError),
  });

  return (
    <>
      <Button
        type="button"
        variant="danger"
        onClick={() => {
          setError(null);
          dialogRef.current?.showModal();
        }}
      >
        Archive flag…
      </Button>
      <DialogForm ref={dialogRef} title={<>Archive {flagKey}?</>} onSubmit={() => archive.mutate()}>
        <p>Archiving removes the flag from every environment&apos;s snapshot: SDKs and OFREP stop serving it and callers get their code defaults. Its history is kept.</p>
        {evaluating.length ? (
          <div>
            <p className="font-medium">Still evaluated in:</p>
            <ul className="list-disc pl-5" aria-label="Environments still evaluating the flag">
              {evaluating.map((e) => (
                <li key={e.environmentKey}>
                  {e.environmentName}: {[e.on ? "on" : null, e.lastEvaluatedAt ? `evaluated ${new Date(e.lastEvaluatedAt).toLocaleString()}` : null].filter(Boolean).join(", ")}
                </li>
              ))}
            </ul>
          </div>
        ) : (
          <p>No environment has it on or has evaluated it in the last {RECENT_EVALUATION_DAYS} days.</p>
        )}
        {blockers.length ? (
          <Notice tone="error" title="Other flags require it">
            Remove it from the prerequisites of {blockers.join(", ")} first.
          </Notice>
        ) : null}
        <div>
          <label htmlFor="archive-reason" className="mb-1 block font-medium">
            Reason (recorded in the history)
          </label>
          <textarea id="archive-reason" rows={2} maxLength={2000} value={reason} onChange={(e) => setReason(e.target.value)} className="w-full rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900" />
        </div>
        {error ? (
          <Notice tone="error" title="Not archived">
            {error.message}
          </Notice>
        ) : null}
        <div className="flex justify-end gap-2">
          <Button type="button" variant="secondary" onClick={() => dialogRef.current?.close()}>
            Cancel
          </Button>
          <Button type="submit" variant="danger" disabled={archive.isPending || blockers.length > 0}>
            {archive.isPending ? "Archiving…" : evaluating.length ? `Archive, though ${evaluating.length} environment${evaluating.length === 1 ? "" : "s"} still evaluate${evaluating.length === 1 ? "s" : ""} it` : "Archive"}
          </Button>
        </div>
      </DialogForm>
    </>
  );
}
