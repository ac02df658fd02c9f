"use client";

import { useMutation } from "@tanstack/react-query";
import { useMemo, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { DialogForm } from "@/components/ui/dialog-form";
import { Notice } from "@/components/ui/notice";
import type { ActionError, ActionResult } from "@/lib/actions/define-action";
import type { FlagConfig, FlagValueType, Variation } from "@/lib/evaluation/types";
import type { EnvironmentDependencies } from "@/lib/flags/flag-dependencies-view";
import { describeVariationChanges, rowsToVariations, toRow, variationUsage, type VariationRow } from "./variations-model";

const INPUT = "w-full rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900";

interface Props {
  projectKey: string;
  flagKey: string;
  valueType: FlagValueType;
  variations: Variation[];
  environments: { name: string; requireReview: boolean; config: FlagConfig | null }[];
  dependencies: EnvironmentDependencies[];
  action: (input: unknown) => Promise<ActionResult<unknown>>;
  /** Refetches the flag; the editor is keyed by the variations, so it restarts from what was saved. */
  onSaved: () => Promise<unknown>;
}

/**
 * The variations editor: add, name, revalue and describe variations; remove one only while no
 * environment's configuration and no other flag's prerequisite names it. Saving asks for
 * confirmation with the changes and the flags that require a changed variation; an environment
 * requiring review refuses a change to what it serves (the server says so).
 */
export function VariationsEditor({ projectKey, flagKey, valueType, variations, environments, dependencies, action, onSaved }: Props) {
  const [rows, setRows] = useState<VariationRow[]>(() => variations.map(toRow));
  const [reason, setReason] = useState("");
  const [error, setError] = useState<ActionError | null>(null);
  const dialogRef = useRef<HTMLDialogElement>(null);
  const direct = useMemo(
    () => dependencies.flatMap((d) => d.neededBy.filter((e) => e.depth === 1).map((e) => ({ flagKey: e.flagKey, flagName: e.flagName, environmentName: d.environmentName, variations: e.variations }))),
    [dependencies],
  );
  const usage = useMemo(() => variationUsage(environments, direct), [environments, direct]);
  const { variations: next, errors } = rowsToVariations(valueType, rows, variations);
  const changes = describeVariationChanges(variations, next);
  const changedKeys = new Set(variations.filter((v) => JSON.stringify(next.find((n) => n.key === v.key)?.value) !== JSON.stringify(v.value)).map((v) => v.key));
  const affectedDependents = direct.filter((d) => d.variations.some((v) => changedKeys.has(v)));
  const reviewed = environments.filter((e) => e.requireReview && e.config && [...changedKeys].some((k) => usage.get(k)?.includes(e.name)));
  const valid = Object.keys(errors).length === 0 && rows.length > 0;

  const save = useMutation({
    mutationFn: async () => {
      const result = await action({ projectKey, flagKey, variations: next, ...(reason.trim() ? { reason: reason.trim() } : {}) });
      if (!result.ok) throw result.error;
      // Closing only once the saved variations are back keeps the table from showing stale rows.
      await onSaved();
    },
    onSuccess: () => {
      setError(null);
      setReason("");
      dialogRef.current?.close();
    },
    onError: (e) => setError(e as unknown as ActionError),
  });

  const update = (i: number, patch: Partial<VariationRow>) => setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));

  return (
    <div className="space-y-3">
      <table className="w-full text-left text-sm">
        <thead className="border-b border-slate-200 text-slate-500 dark:border-slate-800">
          <tr>
            <th className="py-1 pr-2 font-medium">Key</th>
            <th className="py-1 pr-2 font-medium">Name</th>
            <th className="py-1 pr-2 font-medium">Value</th>
            <th className="py-1 pr-2 font-medium">Description</th>
            <th className="py-1 font-medium">
              <span className="sr-only">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => {
            const usedBy = row.saved ? (usage.get(row.key) ?? []) : [];
            const label = row.key || `new variation ${i + 1}`;
            return (
              <tr key={i} className="border-b border-slate-100 align-top dark:border-slate-900">
                <td className="py-1 pr-2">
                  {row.saved ? (
                    <span className="font-mono">{row.key}</span>
                  ) : (
                    <input aria-label={`Key of variation ${i + 1}`} value={row.key} onChange={(e) => update(i, { key: e.target.value })} className={`${INPUT} font-mono`} />
                  )}
                </td>
                <td className="py-1 pr-2">
                  <input aria-label={`Name of ${label}`} value={row.name} onChange={(e) => update(i, { name: e.target.value })} className={INPUT} />
                </td>
                <td className="py-1 pr-2">
                  {valueType === "boolean" ? (
                    <select aria-label={`Value of ${label}`} value={row.valueText} onChange={(e) => update(i, { valueText: e.target.value })} className={INPUT}>
                      <option value="">choose…</option>
                      <option value="true">true</option>
                      <option value="false">false</option>
                    </select>
                  ) : valueType === "json" ? (
                    <textarea aria-label={`Value of ${label}`} rows={2} value={row.valueText} onChange={(e) => update(i, { valueText: e.target.value })} className={`${INPUT} font-mono text-xs`} spellCheck={false} />
                  ) : (
                    <input aria-label={`Value of ${label}`} inputMode={valueType === "number" ? "decimal" : undefined} value={row.valueText} onChange={(e) => update(i, { valueText: e.target.value })} className={INPUT} />
                  )}
                  {errors[i] ? (
                    <p role="alert" className="mt-1 text-xs text-red-600">
                      {errors[i]}
                    </p>
                  ) : null}
                </td>
                <td className="py-1 pr-2">
                  <input aria-label={`Description of ${label}`} value={row.description} onChange={(e) => update(i, { description: e.target.value })} className={INPUT} />
                </td>
                <td className="py-1">
                  <Button
                    type="button"
                    variant="ghost"
                    className="px-2 py-1"
                    disabled={usedBy.length > 0 || rows.length <= 1}
                    title={usedBy.length ? `Used by ${usedBy.join(", ")}` : undefined}
                    aria-label={`Remove ${label}`}
                    onClick={() => setRows(rows.filter((_, j) => j !== i))}
                  >
                    Remove
                  </Button>
                  {usedBy.length ? <p className="text-xs text-slate-500">in use: {usedBy.join(", ")}</p> : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="flex flex-wrap gap-2">
        <Button type="button" variant="secondary" onClick={() => setRows([...rows, { key: "", name: "", valueText: valueType === "boolean" ? "" : valueType === "json" ? "{}" : "", description: "", saved: false }])}>
          Add variation
        </Button>
        <Button
          type="button"
          disabled={!valid || changes.length === 0}
          onClick={() => {
            setError(null);
            dialogRef.current?.showModal();
          }}
        >
          Save variations…
        </Button>
        {changes.length ? (
          <Button type="button" variant="ghost" onClick={() => setRows(variations.map(toRow))}>
            Discard
          </Button>
        ) : null}
      </div>

      <DialogForm ref={dialogRef} title={<>Change the variations of {flagKey}</>} onSubmit={() => save.mutate()}>
        <p>This changes the flag in every environment:</p>
        <ul className="list-disc pl-5" aria-label="Variation changes">
          {changes.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
        {affectedDependents.length ? (
          <Notice tone="warning" title="Flags that require a changed variation">
            <ul className="list-disc pl-5" aria-label="Dependent flags">
              {affectedDependents.map((d) => (
                <li key={`${d.flagKey}/${d.environmentName}`}>
                  {d.flagName} (<code>{d.flagKey}</code>) in {d.environmentName} requires {d.variations.map((v) => `“${v}”`).join(" or ")}
                </li>
              ))}
            </ul>
          </Notice>
        ) : null}
        {reviewed.length ? (
          <Notice tone="warning">
            {reviewed.map((e) => e.name).join(", ")} require{reviewed.length === 1 ? "s" : ""} review and serve a changed variation: the change will be refused there until the flag no longer serves it.
          </Notice>
        ) : null}
        <div>
          <label htmlFor="variations-reason" className="mb-1 block font-medium">
            Reason (recorded in the history)
          </label>
          <textarea id="variations-reason" rows={2} maxLength={2000} value={reason} onChange={(e) => setReason(e.target.value)} className={INPUT} />
        </div>
        {error ? (
          <Notice tone="error" title="Not saved">
            {error.message}
          </Notice>
        ) : null}
        <div className="flex justify-end gap-2">
          <Button type="button" variant="secondary" onClick={() => dialogRef.current?.close()}>
            Cancel
          </Button>
          <Button type="submit" disabled={save.isPending}>
            {save.isPending ? "Saving…" : "Save variations"}
          </Button>
        </div>
      </DialogForm>
    </div>
  );
}
