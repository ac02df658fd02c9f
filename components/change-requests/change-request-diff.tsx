"use client";

import { useState } from "react";
import { CodeText } from "@/components/ui/code-text";
import type { ConfigDiff, KeyListChange } from "@/lib/change-requests/config-diff";

interface Item {
  id: string;
  entityType: string;
  entityKey: string;
  baseVersion: number;
  proposed: unknown;
  diff: unknown;
}

function KeyLists({ label, change }: { label: string; change: KeyListChange }) {
  if (!change.addedCount && !change.removedCount) return null;
  return (
    <details className="mt-1 text-xs">
      <summary className="cursor-pointer text-slate-600 dark:text-slate-400">
        {label}: +{change.addedCount} / −{change.removedCount} keys
      </summary>
      <div className="mt-1 grid gap-2 md:grid-cols-2">
        <div>
          <p className="font-medium text-emerald-700 dark:text-emerald-300">Added ({change.addedCount})</p>
          <p className="break-all font-mono">{change.added.join(", ") || "—"}{change.addedCount > change.added.length ? " …" : ""}</p>
        </div>
        <div>
          <p className="font-medium text-red-700 dark:text-red-300">Removed ({change.removedCount})</p>
          <p className="break-all font-mono">{change.removed.join(", ") || "—"}{change.removedCount > change.removed.length ? " …" : ""}</p>
        </div>
      </div>
    </details>
  );
}

/** One item's rule-level diff in plain words, its key lists expandable, and the raw JSON on demand. */
export function ChangeRequestItemDiff({ item }: { item: Item }) {
  const [raw, setRaw] = useState(false);
  const diff = item.diff as ConfigDiff & { summary?: string[] };
  return (
    <article className="rounded-md border border-slate-200 p-3 dark:border-slate-800" aria-label={`Changes to ${item.entityType} ${item.entityKey}`}>
      <header className="mb-2 flex flex-wrap items-center justify-between gap-2">
        <h3 className="font-medium">
          {item.entityType === "flag" ? "Flag" : "Segment"} <code>{item.entityKey}</code>{" "}
          <span className="text-xs font-normal text-slate-500">against version {item.baseVersion}</span>
        </h3>
        <label className="flex items-center gap-1 text-xs">
          <input type="checkbox" checked={raw} onChange={(e) => setRaw(e.target.checked)} /> Raw JSON
        </label>
      </header>
      <ul className="list-disc space-y-0.5 pl-5 text-sm" aria-label="Summary of changes">
        {(diff.summary ?? []).map((line, i) => (
          <li key={i}>
            <CodeText text={line} />
          </li>
        ))}
      </ul>
      {diff.entity === "flag" ? diff.targets.map((t) => <KeyLists key={t.variation} label={`Individual targets → ${t.variation}`} change={t} />) : null}
      {diff.entity === "segment" ? (
        <>
          <KeyLists label="Included" change={diff.included} />
          <KeyLists label="Excluded" change={diff.excluded} />
        </>
      ) : null}
      {raw ? (
        <div className="mt-2 grid gap-2 md:grid-cols-2">
          <div>
            <p className="text-xs font-medium">Diff</p>
            <pre className="max-h-96 overflow-auto rounded bg-slate-100 p-2 text-xs dark:bg-slate-900">{JSON.stringify(diff, null, 2)}</pre>
          </div>
          <div>
            <p className="text-xs font-medium">Proposed configuration</p>
            <pre className="max-h-96 overflow-auto rounded bg-slate-100 p-2 text-xs dark:bg-slate-900">{JSON.stringify(item.proposed, null, 2)}</pre>
          </div>
        </div>
      ) : null}
    </article>
  );
}
