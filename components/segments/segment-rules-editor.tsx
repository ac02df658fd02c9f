"use client";

import { ClauseEditor } from "@/components/rule-builder/clause-editor";
import { moveItem, newClause, newId } from "@/components/rule-builder/config-model";
import type { IssueIndex } from "@/components/rule-builder/issue-paths";
import { Button } from "@/components/ui/button";
import { describeClause } from "@/lib/evaluation/explain";
import type { CatalogAttribute, Segment, SegmentRule } from "@/lib/evaluation/types";

function Problems({ messages }: { messages: string[] }) {
  return (
    <>
      {messages.map((message) => (
        <p key={message} role="alert" className="text-sm text-red-600 dark:text-red-400">
          {message}
        </p>
      ))}
    </>
  );
}

/**
 * A segment's rules: a context matching any rule is in the segment. Each rule's conditions are
 * ANDed (or, with "any", ORed) and edited with the flag rule builder's condition editor, so
 * segments and flags offer the same attributes, operators and value inputs. Rules can be
 * reordered with buttons (order does not change who is in the segment, but keeps them as the
 * author arranged them). Problems are the engine's `validateSegment` issues, shown where they are.
 */
export function SegmentRulesEditor(props: {
  rules: SegmentRule[];
  catalog: CatalogAttribute[];
  segments: (Segment & { name?: string })[];
  issues: IssueIndex;
  editable: boolean;
  onChange: (rules: SegmentRule[]) => void;
}) {
  const { rules, catalog, issues } = props;
  const update = (index: number, rule: SegmentRule) => props.onChange(rules.map((r, i) => (i === index ? rule : r)));

  if (!props.editable) {
    return rules.length === 0 ? (
      <p className="text-sm text-slate-500">No rules: only the included keys are in the segment.</p>
    ) : (
      <ol className="space-y-2 text-sm">
        {rules.map((rule, i) => (
          <li key={rule.id} className="rounded-md border border-slate-200 p-2 dark:border-slate-800">
            <span className="font-medium">Rule {i + 1}:</span>{" "}
            {rule.clauses.length === 0 ? "matches everyone" : rule.clauses.map((c) => describeClause(c, undefined, props.segments)).join(rule.match === "any" ? " or " : " and ")}
          </li>
        ))}
      </ol>
    );
  }

  return (
    <div className="space-y-3">
      <Problems messages={[issues.messageAt("rules"), issues.messageAt("_form")].filter((m): m is string => Boolean(m))} />
      {rules.length === 0 ? <p className="text-sm text-slate-500">No rules yet: only the included keys are in the segment.</p> : null}
      {rules.map((rule, i) => {
        const label = `Rule ${i + 1}`;
        const ruleProblems = issues.under(`rules.${i}`).filter((issue) => issue.severity === "error" && !issue.key.startsWith(`rules.${i}.clauses.`));
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
                <Button type="button" variant="ghost" className="px-2 py-1" disabled={i === 0} aria-label={`Move rule ${i + 1} up`} onClick={() => props.onChange(moveItem(rules, i, i - 1))}>
                  ↑
                </Button>
                <Button
                  type="button"
                  variant="ghost"
                  className="px-2 py-1"
                  disabled={i === rules.length - 1}
                  aria-label={`Move rule ${i + 1} down`}
                  onClick={() => props.onChange(moveItem(rules, i, i + 1))}
                >
                  ↓
                </Button>
                <Button type="button" variant="ghost" className="px-2 py-1" aria-label={`Remove rule ${i + 1}`} onClick={() => props.onChange(rules.filter((_, j) => j !== i))}>
                  Remove rule
                </Button>
              </div>
            </div>
            <Problems messages={ruleProblems.map((issue) => issue.message)} />
            {rule.clauses.map((clause, j) => (
              <ClauseEditor
                key={j}
                clause={clause}
                path={`rules.${i}.clauses.${j}`}
                index={j}
                catalog={catalog}
                segments={props.segments}
                issues={issues}
                onChange={(next) => update(i, { ...rule, clauses: rule.clauses.map((c, k) => (k === j ? next : c)) })}
                onRemove={() => update(i, { ...rule, clauses: rule.clauses.filter((_, k) => k !== j) })}
              />
            ))}
            {rule.clauses.length === 0 ? <p className="text-sm text-amber-700 dark:text-amber-300">A rule without conditions matches every context.</p> : null}
            <Button type="button" variant="secondary" onClick={() => update(i, { ...rule, clauses: [...rule.clauses, newClause(catalog)] })}>
              Add condition to rule {i + 1}
            </Button>
          </fieldset>
        );
      })}
      <Button type="button" variant="secondary" onClick={() => props.onChange([...rules, { id: newId("rule", rules.map((r) => r.id)), clauses: [newClause(catalog)] }])}>
        Add rule
      </Button>
    </div>
  );
}
