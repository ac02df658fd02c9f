"use client";

import { memo, useLayoutEffect, useRef, useState, type DragEvent } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { CodeText } from "@/components/ui/code-text";
import { cn } from "@/components/ui/cn";
import { describeClause } from "@/lib/evaluation/explain";
import type { CatalogAttribute, Clause, Rule, Segment, Serve, Variation } from "@/lib/evaluation/types";
import { ClauseEditor } from "./clause-editor";
import { duplicateRule, moveItem, newClause, newId } from "./config-model";
import { describeServe } from "./diff";
import { fieldDomId, type IssueIndex } from "./issue-paths";
import { ServeEditor } from "./serve-editor";

export interface RuleBuilderProps {
  rules: Rule[];
  fallthrough: Serve;
  onRulesChange: (rules: Rule[]) => void;
  onFallthroughChange: (serve: Serve) => void;
  catalog: CatalogAttribute[];
  segments: (Segment & { name?: string })[];
  variations: Variation[];
  issues: IssueIndex;
  /** The rule the edited configuration picks for the context in Evaluate as…. */
  highlightedRuleId?: string | null;
  highlightFallthrough?: boolean;
  /** Rule id → names of the test cases that reach it; undefined when there are no test cases. */
  reachedBy?: Map<string, string[]>;
  /** Viewers: plain text, no controls. */
  editable: boolean;
}

/**
 * The visual rule builder: ordered rules (first match wins) of AND/ANY conditions on catalog
 * attributes or segments, each serving a variation or a rollout, then the default rule. Rules
 * reorder by dragging their handle, or from the keyboard with Move up / Move down.
 */
export function RuleBuilder(props: RuleBuilderProps) {
  const { rules, issues, editable } = props;
  const [dragFrom, setDragFrom] = useState<number | null>(null);
  const [dragOver, setDragOver] = useState<number | null>(null);
  const [armed, setArmed] = useState<number | null>(null);
  const [announcement, setAnnouncement] = useState("");

  // Rule rows are memoised (a 50-rule flag re-renders one row per keystroke, not 50), so a row
  // may hold a handler from an earlier render: it reaches the current rules through this ref.
  const latest = useRef({ rules, onRulesChange: props.onRulesChange });
  useLayoutEffect(() => {
    latest.current = { rules, onRulesChange: props.onRulesChange };
  });
  const setRule = (i: number, rule: Rule) => latest.current.onRulesChange(latest.current.rules.map((r, k) => (k === i ? rule : r)));
  const move = (from: number, to: number) => {
    if (to < 0 || to >= rules.length || from === to) return;
    props.onRulesChange(moveItem(rules, from, to));
    setAnnouncement(`Rule ${from + 1} is now rule ${to + 1}.`);
  };

  function addRule() {
    const rule: Rule = { id: newId("rule", rules.map((r) => r.id)), clauses: [newClause(props.catalog)], serve: { variation: props.variations[0]?.key ?? "" } };
    props.onRulesChange([...rules, rule]);
    setAnnouncement(`Rule ${rules.length + 1} added.`);
  }

  function onDrop(event: DragEvent, to: number) {
    event.preventDefault();
    if (dragFrom !== null) move(dragFrom, to);
    setDragFrom(null);
    setDragOver(null);
    setArmed(null);
  }

  return (
    <div className="space-y-3">
      <p aria-live="polite" className="sr-only">
        {announcement}
      </p>
      {rules.length === 0 ? <p className="text-sm text-slate-500">No rules: every context that is not individually targeted gets the default rule.</p> : null}
      <ol className="space-y-3" aria-label="Rules">
        {rules.map((rule, i) => {
          const ruleIssues = issues.under(`rules.${i}`);
          const highlighted = props.highlightedRuleId === rule.id;
          const reached = props.reachedBy?.get(rule.id);
          const headingId = `rule-heading-${rule.id}`;
          return (
            <li
              key={rule.id}
              draggable={editable && armed === i}
              onDragStart={(e) => {
                setDragFrom(i);
                e.dataTransfer.effectAllowed = "move";
                e.dataTransfer.setData("text/plain", rule.id);
              }}
              onDragOver={(e) => {
                if (dragFrom === null) return;
                e.preventDefault();
                setDragOver(i);
              }}
              onDragLeave={() => setDragOver((o) => (o === i ? null : o))}
              onDrop={(e) => onDrop(e, i)}
              onDragEnd={() => {
                setDragFrom(null);
                setDragOver(null);
                setArmed(null);
              }}
              className={cn(
                "rounded-lg border p-3",
                highlighted ? "border-indigo-500 ring-2 ring-indigo-300 dark:ring-indigo-800" : ruleIssues.some((x) => x.severity === "error") ? "border-red-300 dark:border-red-900" : "border-slate-200 dark:border-slate-800",
                dragOver === i && dragFrom !== i && "border-dashed border-indigo-500",
                dragFrom === i && "opacity-50",
              )}
            >
              <div role="group" aria-labelledby={headingId} className="space-y-2">
                <div className="flex flex-wrap items-center gap-2">
                  {editable ? (
                    <button
                      type="button"
                      aria-label={`Drag rule ${i + 1} to reorder`}
                      aria-keyshortcuts="ArrowUp ArrowDown"
                      title="Drag to reorder, or focus and press ↑ / ↓"
                      onPointerDown={() => setArmed(i)}
                      onPointerUp={() => setArmed(null)}
                      onKeyDown={(e) => {
                        if (e.key === "ArrowUp" || e.key === "ArrowDown") {
                          e.preventDefault();
                          move(i, e.key === "ArrowUp" ? i - 1 : i + 1);
                        }
                      }}
                      className="cursor-grab rounded px-1 text-slate-400 hover:bg-slate-100 dark:hover:bg-slate-800"
                    >
                      ⠿
                    </button>
                  ) : null}
                  <h3 id={headingId} className="font-medium">
                    Rule {i + 1}
                  </h3>
                  {!editable && rule.description ? <span className="text-sm text-slate-600 dark:text-slate-400">{rule.description}</span> : null}
                  {highlighted ? <Badge tone="indigo">matches the Evaluate as… context</Badge> : null}
                  {props.reachedBy ? (
                    reached ? (
                      <Badge tone="green" className="max-w-64 truncate">
                        <span title={reached.join(", ")}>reached by {reached.length} test case{reached.length === 1 ? "" : "s"}</span>
                      </Badge>
                    ) : (
                      <Badge tone="amber">no test case reaches this rule</Badge>
                    )
                  ) : null}
                  {editable ? (
                    <div className="ml-auto flex flex-wrap gap-1">
                      <Button type="button" variant="ghost" className="px-2 py-1" aria-label={`Move rule ${i + 1} up`} disabled={i === 0} onClick={() => move(i, i - 1)}>
                        ↑ Up
                      </Button>
                      <Button type="button" variant="ghost" className="px-2 py-1" aria-label={`Move rule ${i + 1} down`} disabled={i === rules.length - 1} onClick={() => move(i, i + 1)}>
                        ↓ Down
                      </Button>
                      <Button
                        type="button"
                        variant="ghost"
                        className="px-2 py-1"
                        aria-label={`Duplicate rule ${i + 1}`}
                        onClick={() => {
                          const copy = duplicateRule(rule, rules.map((r) => r.id));
                          props.onRulesChange([...rules.slice(0, i + 1), copy, ...rules.slice(i + 1)]);
                          setAnnouncement(`Rule ${i + 1} duplicated as rule ${i + 2}.`);
                        }}
                      >
                        Duplicate
                      </Button>
                      <Button
                        type="button"
                        variant="ghost"
                        className="px-2 py-1 text-red-700 dark:text-red-400"
                        aria-label={`Delete rule ${i + 1}`}
                        onClick={() => {
                          props.onRulesChange(rules.filter((_, k) => k !== i));
                          setAnnouncement(`Rule ${i + 1} deleted.`);
                        }}
                      >
                        Delete
                      </Button>
                    </div>
                  ) : null}
                </div>
                {editable ? (
                  <MemoRuleEditor rule={rule} index={i} catalog={props.catalog} segments={props.segments} variations={props.variations} issues={issues} onChange={(r) => setRule(i, r)} />
                ) : (
                  <RuleText rule={rule} segments={props.segments} />
                )}
              </div>
            </li>
          );
        })}
      </ol>
      {editable ? (
        <Button type="button" variant="secondary" onClick={addRule}>
          Add rule
        </Button>
      ) : null}
      <section aria-labelledby="default-rule-heading" className={cn("rounded-lg border p-3", props.highlightFallthrough ? "border-indigo-500 ring-2 ring-indigo-300 dark:ring-indigo-800" : "border-slate-200 dark:border-slate-800")}>
        <div className="mb-2 flex flex-wrap items-center gap-2">
          <h3 id="default-rule-heading" className="font-medium">
            Default rule
          </h3>
          <span className="text-sm text-slate-500">when no rule matches</span>
          {props.highlightFallthrough ? <Badge tone="indigo">matches the Evaluate as… context</Badge> : null}
        </div>
        {editable ? (
          <ServeEditor serve={props.fallthrough} path="fallthrough" label="Default rule serves" variations={props.variations} catalog={props.catalog} issues={issues} onChange={props.onFallthroughChange} />
        ) : (
          <p className="text-sm">
            Serve <CodeText text={describeServe(props.fallthrough)} />
          </p>
        )}
      </section>
    </div>
  );
}

type RuleEditorProps = Pick<RuleBuilderProps, "catalog" | "segments" | "variations" | "issues"> & { rule: Rule; index: number; onChange: (rule: Rule) => void };

/**
 * Same row, same rule, same problems under it: skip. `onChange` is left out on purpose (a new
 * closure every render; it reads the latest rules through RuleBuilder's ref).
 */
function sameRuleEditorProps(a: RuleEditorProps, b: RuleEditorProps): boolean {
  if (a.rule !== b.rule || a.index !== b.index || a.catalog !== b.catalog || a.segments !== b.segments || a.variations !== b.variations) return false;
  if (a.issues === b.issues) return true;
  const path = `rules.${a.index}`;
  return JSON.stringify(a.issues.under(path)) === JSON.stringify(b.issues.under(path));
}

const MemoRuleEditor = memo(RuleEditor, sameRuleEditorProps);

function RuleEditor(props: RuleEditorProps) {
  const { rule, index, issues } = props;
  const path = `rules.${index}`;
  const setClause = (j: number, clause: Clause) => props.onChange({ ...rule, clauses: rule.clauses.map((c, k) => (k === j ? clause : c)) });
  const clausesWarning = issues.messageAt(`${path}.clauses`, "warning");
  const idError = issues.messageAt(`${path}.id`) ?? issues.messageAt(path);
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-end gap-3">
        <div className="min-w-64 flex-1">
          <label htmlFor={fieldDomId(`${path}.description`)} className="mb-1 block text-xs font-medium text-slate-600 dark:text-slate-400">
            Rule {index + 1} description
          </label>
          <input
            id={fieldDomId(`${path}.description`)}
            value={rule.description ?? ""}
            placeholder="What this rule is for, e.g. Paid customers in North America"
            onChange={(e) => props.onChange({ ...rule, description: e.target.value })}
            className="w-full rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900"
          />
        </div>
        <div>
          <label htmlFor={fieldDomId(`${path}.match`)} className="mb-1 block text-xs font-medium text-slate-600 dark:text-slate-400">
            Rule {index + 1} matches when
          </label>
          <select
            id={fieldDomId(`${path}.match`)}
            value={rule.match ?? "all"}
            onChange={(e) => props.onChange({ ...rule, match: e.target.value as "all" | "any" })}
            className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900"
          >
            <option value="all">all conditions hold (AND)</option>
            <option value="any">any condition holds (OR)</option>
          </select>
        </div>
      </div>
      {idError ? (
        <p role="alert" className="text-xs text-red-600 dark:text-red-400">
          {idError}
        </p>
      ) : null}
      <div className="space-y-2">
        {rule.clauses.map((clause, j) => (
          <div key={j}>
            {j > 0 ? <p className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">{rule.match === "any" ? "or" : "and"}</p> : null}
            <ClauseEditor
              clause={clause}
              path={`${path}.clauses.${j}`}
              index={j}
              catalog={props.catalog}
              segments={props.segments}
              issues={issues}
              onChange={(c) => setClause(j, c)}
              onRemove={() => props.onChange({ ...rule, clauses: rule.clauses.filter((_, k) => k !== j) })}
            />
          </div>
        ))}
        {clausesWarning ? <p className="text-xs text-amber-700 dark:text-amber-300">{clausesWarning}</p> : null}
        <Button type="button" variant="secondary" className="px-2 py-1" aria-label={`Add condition to rule ${index + 1}`} onClick={() => props.onChange({ ...rule, clauses: [...rule.clauses, newClause(props.catalog)] })}>
          Add condition
        </Button>
      </div>
      <ServeEditor serve={rule.serve} path={`${path}.serve`} label={`Rule ${index + 1} serves`} variations={props.variations} catalog={props.catalog} issues={issues} onChange={(serve) => props.onChange({ ...rule, serve })} />
    </div>
  );
}

/** A rule in words, for viewers. */
export function RuleText({ rule, segments }: { rule: Rule; segments: Segment[] }) {
  return (
    <div className="space-y-1 text-sm">
      <p>
        <span className="text-slate-500">If </span>
        {rule.clauses.length === 0
          ? "everyone"
          : rule.clauses.map((c, j) => (
              <span key={j}>
                {j > 0 ? <strong className="px-1 text-xs uppercase text-slate-500">{rule.match === "any" ? "or" : "and"}</strong> : null}
                <span className="rounded bg-slate-100 px-1 dark:bg-slate-800">{describeClause(c, undefined, segments)}</span>
              </span>
            ))}
      </p>
      <p>
        <span className="text-slate-500">then serve </span>
        <CodeText text={describeServe(rule.serve)} />
      </p>
    </div>
  );
}
