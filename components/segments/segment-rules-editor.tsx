"use client";

import { ClauseRow } from "@/components/rule-builder/clause-row";
import { newClause } from "@/components/rule-builder/clause-row-model";
import { Button } from "@/components/ui/button";
import { describeClause } from "@/lib/evaluation/explain";
import type { CatalogAttribute, SegmentRule } from "@/lib/evaluation/types";
import type { SegmentIssues } from "./segment-issues";

function newRuleId(): string {
  return `rule-${Math.random().toString(36).slice(2, 10)}`;
}

/**
 * A segment's rules: a context matching any rule is in the segment. Each rule's conditions are
 * ANDed (or, with "any", ORed). Rules can be reordered with buttons (order does not change who
 * is in the segment, but keeps them as the author arranged them).
 */
export function SegmentRulesEditor(props: {
  rules: SegmentRule[];
  catalog: readonly (CatalogAttribute & { description?: string })[];
  segments: readonly { key: string; name: string }[];
  issues: SegmentIssues;
  editable: boolean;
  onChange: (rules: SegmentRule[]) => void;
}) {
  const { rules, catalog, issues } = props;
  const update = (index: number, rule: SegmentRule) => props.onChange(rules.map((r, i) => (i === index ? rule : r)));
  const move = (index: number, by: number) => {
    const next = [...rules];
    const [rule] = next.splice(index, 1);
    next.splice(index + by, 0, rule);
    props.onChange(next);
  };

  if (!props.editable) {
    return rules.length === 0 ? (
      <p className="text-sm text-slate-500">No rules: only the included keys are in the segment.</p>
    ) : (
      <ol className="space-y-2 text-sm">
        {rules.map((rule, i) => (
          <li key={rule.id} className="rounded-md border border-slate-200 p-2 dark:border-slate-800">
            <span className="font-medium">Rule {i + 1}:</span> {rule.clauses.length === 0 ? "matches everyone" : rule.clauses.map((c) => describeClause(c)).join(rule.match === "any" ? " or " : " and ")}
          </li>
        ))}
      </ol>
    );
  }

  return (
    <div className="space-y-3">
      {issues.segment().map((message) => (
        <p key={message} role="alert" className="text-sm text-red-600 dark:text-red-400">
          {message}
        </p>
      ))}
      {rules.length === 0 ? <p className="text-sm text-slate-500">No rules yet: only the included keys are in the segment.</p> : null}
      {rules.map((rule, i) => {
        const label = `Rule ${i + 1}`;
        return (
          <fieldset key={rule.id} className="space-y-2 rounded-md border border-slate-300 p-3 dark:border-slate-700">
            <legend className="px-1 text-sm font-semibold">{label}</legend>
            <div className="flex flex-wrap items-center gap-2 text-sm">
              <label className="inline-flex items-center gap-2">
                <span>Contexts match when</span>
                <select
                  aria-label={`${label} matches when`}
                  value={rule.match ?? "all"}
                  onChange={(e) => update(i, { ...rule, match: e.target.value === "any" ? "any" : undefined })}
                  className="rounded-md border border-slate-300 bg-white px-2 py-1 dark:border-slate-700 dark:bg-slate-900"
                >
                  <option value="all">all conditions hold (AND)</option>
                  <option value="any">any condition holds (OR)</option>
                </select>
              </label>
              <div className="ml-auto flex gap-1">
                <Button type="button" variant="ghost" className="px-2 py-1" disabled={i === 0} aria-label={`Move ${label.toLowerCase()} up`} onClick={() => move(i, -1)}>
                  ↑
                </Button>
                <Button type="button" variant="ghost" className="px-2 py-1" disabled={i === rules.length - 1} aria-label={`Move ${label.toLowerCase()} down`} onClick={() => move(i, 1)}>
                  ↓
                </Button>
                <Button type="button" variant="ghost" className="px-2 py-1" aria-label={`Remove ${label.toLowerCase()}`} onClick={() => props.onChange(rules.filter((_, j) => j !== i))}>
                  Remove rule
                </Button>
              </div>
            </div>
            {issues.rule(i).map((message) => (
              <p key={message} role="alert" className="text-sm text-red-600 dark:text-red-400">
                {message}
              </p>
            ))}
            {rule.clauses.map((clause, j) => (
              <ClauseRow
                key={j}
                clause={clause}
                label={`${label}, condition ${j + 1}`}
                catalog={catalog}
                segments={props.segments}
                problems={issues.clause(i, j)}
                onChange={(next) => update(i, { ...rule, clauses: rule.clauses.map((c, k) => (k === j ? next : c)) })}
                onRemove={() => update(i, { ...rule, clauses: rule.clauses.filter((_, k) => k !== j) })}
              />
            ))}
            {rule.clauses.length === 0 ? <p className="text-sm text-amber-700 dark:text-amber-300">A rule without conditions matches every context.</p> : null}
            <Button type="button" variant="secondary" onClick={() => update(i, { ...rule, clauses: [...rule.clauses, newClause(catalog)] })}>
              Add condition to {label.toLowerCase()}
            </Button>
          </fieldset>
        );
      })}
      <Button type="button" variant="secondary" onClick={() => props.onChange([...rules, { id: newRuleId(), clauses: [newClause(catalog)] }])}>
        Add rule
      </Button>
    </div>
  );
}
