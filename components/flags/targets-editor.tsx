"use client";

import { Button } from "@/components/ui/button";
import { CodeText } from "@/components/ui/code-text";
import type { Target, Variation } from "@/lib/evaluation/types";
import { fieldDomId, type IssueIndex } from "@/components/rule-builder/issue-paths";
import { ChipsInput } from "@/components/rule-builder/value-inputs";

const SELECT = "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900";

/**
 * Individual targets: lists of context keys that get a variation before any rule is looked at.
 * Keys are typed one by one or pasted many at once (lines, commas, tabs), de-duplicated.
 */
export function TargetsEditor(props: { targets: Target[]; variations: Variation[]; issues: IssueIndex; editable: boolean; onChange: (targets: Target[]) => void }) {
  const { targets, variations, issues } = props;
  if (!props.editable) {
    return targets.some((t) => t.values.length) ? (
      <ul className="space-y-1 text-sm">
        {targets.map((t, i) => (
          <li key={i}>
            <CodeText text={`\`${t.variation}\``} />: {t.values.slice(0, 20).join(", ")}
            {t.values.length > 20 ? ` and ${t.values.length - 20} more` : ""}
          </li>
        ))}
      </ul>
    ) : (
      <p className="text-sm text-slate-500">No individual targets.</p>
    );
  }
  const set = (i: number, target: Target) => props.onChange(targets.map((t, k) => (k === i ? target : t)));
  const unused = variations.find((v) => !targets.some((t) => t.variation === v.key)) ?? variations[0];
  return (
    <div className="space-y-2">
      {targets.length === 0 ? <p className="text-sm text-slate-500">No individual targets.</p> : null}
      {targets.map((t, i) => {
        const variationError = issues.messageAt(`targets.${i}.variation`);
        const warnings = issues.at(`targets.${i}.values`).filter((x) => x.severity === "warning");
        return (
          <div key={i} role="group" aria-label={`Target list ${i + 1}`} className="flex flex-wrap items-start gap-2 rounded-md border border-slate-200 p-2 dark:border-slate-800">
            <div>
              <label htmlFor={fieldDomId(`targets.${i}.variation`)} className="sr-only">
                Target list {i + 1} serves
              </label>
              <select id={fieldDomId(`targets.${i}.variation`)} value={t.variation} onChange={(e) => set(i, { ...t, variation: e.target.value })} className={SELECT} aria-invalid={variationError ? true : undefined}>
                {!variations.some((v) => v.key === t.variation) ? <option value={t.variation}>{t.variation} (unknown)</option> : null}
                {variations.map((v) => (
                  <option key={v.key} value={v.key}>
                    serve {v.key}
                  </option>
                ))}
              </select>
              {variationError ? (
                <p role="alert" className="mt-1 text-xs text-red-600">
                  {variationError}
                </p>
              ) : null}
            </div>
            <ChipsInput
              id={fieldDomId(`targets.${i}.values`)}
              label={`Context keys served ${t.variation}`}
              kind="text"
              values={t.values}
              onChange={(values) => set(i, { ...t, values: values.map(String) })}
              error={issues.messageAt(`targets.${i}.values`)}
            />
            <Button type="button" variant="ghost" className="px-2 py-1" aria-label={`Remove target list ${i + 1}`} onClick={() => props.onChange(targets.filter((_, k) => k !== i))}>
              Remove
            </Button>
            {warnings.length ? <p className="w-full text-xs text-amber-700 dark:text-amber-300">{[...new Set(warnings.map((w) => w.message))].join(" ")}</p> : null}
          </div>
        );
      })}
      {unused ? (
        <Button type="button" variant="secondary" className="px-2 py-1" onClick={() => props.onChange([...targets, { variation: unused.key, values: [] }])}>
          Add individual targets
        </Button>
      ) : null}
    </div>
  );
}
