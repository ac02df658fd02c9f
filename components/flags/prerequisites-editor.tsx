"use client";

import { Button } from "@/components/ui/button";
import { CodeText } from "@/components/ui/code-text";
import type { Flag, Prerequisite } from "@/lib/evaluation/types";
import { fieldDomId, type IssueIndex } from "@/components/rule-builder/issue-paths";

const SELECT = "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900";

/** Prerequisites: other flags that must serve a given variation for this one to be evaluated. */
export function PrerequisitesEditor(props: { prerequisites: Prerequisite[]; flags: Flag[]; selfKey: string; issues: IssueIndex; editable: boolean; onChange: (p: Prerequisite[]) => void }) {
  const { prerequisites, issues } = props;
  const others = props.flags.filter((f) => f.key !== props.selfKey).sort((a, b) => a.key.localeCompare(b.key));
  const depthError = issues.messageAt("prerequisites");
  if (!props.editable) {
    return prerequisites.length ? (
      <ul className="list-disc pl-5 text-sm">
        {prerequisites.map((p) => (
          <li key={p.flagKey}>
            <CodeText text={`\`${p.flagKey}\` must serve ${[p.variation, ...(p.variations ?? [])].map((v) => `\`${v}\``).join(" or ")}`} />
          </li>
        ))}
      </ul>
    ) : (
      <p className="text-sm text-slate-500">No prerequisites.</p>
    );
  }
  const set = (i: number, p: Prerequisite) => props.onChange(prerequisites.map((x, k) => (k === i ? p : x)));
  return (
    <div className="space-y-2">
      {prerequisites.length === 0 ? <p className="text-sm text-slate-500">No prerequisites.</p> : null}
      {prerequisites.map((p, i) => {
        const flag = others.find((f) => f.key === p.flagKey);
        const flagError = issues.messageAt(`prerequisites.${i}.flagKey`);
        const variationError = issues.messageAt(`prerequisites.${i}.variation`);
        return (
          <div key={i} role="group" aria-label={`Prerequisite ${i + 1}`} className="flex flex-wrap items-start gap-2">
            <div>
              <label htmlFor={fieldDomId(`prerequisites.${i}.flagKey`)} className="sr-only">
                Prerequisite {i + 1} flag
              </label>
              <select
                id={fieldDomId(`prerequisites.${i}.flagKey`)}
                value={p.flagKey}
                aria-invalid={flagError ? true : undefined}
                onChange={(e) => {
                  const next = others.find((f) => f.key === e.target.value);
                  set(i, { flagKey: e.target.value, variation: next?.variations[0]?.key ?? "" });
                }}
                className={SELECT}
              >
                {!flag ? <option value={p.flagKey}>{p.flagKey || "choose a flag…"}</option> : null}
                {others.map((f) => (
                  <option key={f.key} value={f.key}>
                    {f.key}
                  </option>
                ))}
              </select>
              {flagError ? (
                <p role="alert" className="mt-1 text-xs text-red-600">
                  {flagError}
                </p>
              ) : null}
            </div>
            <span className="self-center text-sm">must serve</span>
            <div>
              <label htmlFor={fieldDomId(`prerequisites.${i}.variation`)} className="sr-only">
                Prerequisite {i + 1} variation
              </label>
              <select id={fieldDomId(`prerequisites.${i}.variation`)} value={p.variation} aria-invalid={variationError ? true : undefined} onChange={(e) => set(i, { ...p, variation: e.target.value })} className={SELECT}>
                {!flag?.variations.some((v) => v.key === p.variation) ? <option value={p.variation}>{p.variation || "—"}</option> : null}
                {(flag?.variations ?? []).map((v) => (
                  <option key={v.key} value={v.key}>
                    {v.key}
                  </option>
                ))}
              </select>
              {variationError ? (
                <p role="alert" className="mt-1 text-xs text-red-600">
                  {variationError}
                </p>
              ) : null}
            </div>
            <Button type="button" variant="ghost" className="px-2 py-1" aria-label={`Remove prerequisite ${i + 1}`} onClick={() => props.onChange(prerequisites.filter((_, k) => k !== i))}>
              Remove
            </Button>
          </div>
        );
      })}
      {depthError ? (
        <p role="alert" className="text-xs text-red-600">
          {depthError}
        </p>
      ) : null}
      {others.length ? (
        <Button
          type="button"
          variant="secondary"
          className="px-2 py-1"
          onClick={() => {
            const first = others.find((f) => !prerequisites.some((p) => p.flagKey === f.key)) ?? others[0];
            props.onChange([...prerequisites, { flagKey: first.key, variation: first.variations[0]?.key ?? "" }]);
          }}
        >
          Add prerequisite
        </Button>
      ) : null}
    </div>
  );
}
