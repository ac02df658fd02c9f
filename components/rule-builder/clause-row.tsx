"use client";

import { useId, useState, type ClipboardEvent, type KeyboardEvent } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import type { CatalogAttribute, Clause, ClauseValue, Operator } from "@/lib/evaluation/types";
import {
  attributeTypeOf,
  CASE_OPERATORS,
  CLAUSE_OPERATOR_LABELS,
  CLAUSE_OPERATORS,
  isSegmentOperator,
  offeredAttributes,
  parseClauseValues,
  SEGMENT_CHOICE,
  valueKindOf,
  withAttribute,
  withOperator,
  type ValueKind,
} from "./clause-row-model";

/** Messages about one clause, by the part they concern (the engine's issue paths, mapped). */
export interface ClauseProblems {
  attribute?: string;
  op?: string;
  values?: string;
  /** Per value index. */
  value?: Record<number, string>;
}

const SELECT =
  "rounded-md border bg-white px-2 py-1 text-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500 dark:bg-slate-900";

const PLACEHOLDER: Partial<Record<ValueKind, string>> = {
  number: "e.g. 18",
  semver: "e.g. 2.4.0",
  date: "e.g. 2026-03-01",
  text: "type and press Enter",
};

/**
 * One condition: attribute (from the catalog; forbidden ones are not offered), operator (those
 * fitting its type), values (checkboxes for allowed values, booleans and segments; typed or
 * pasted chips otherwise), and "not" / "ignore case". `label` ("Rule 1, condition 2") names every
 * control, so each is reachable by its label. Shared by the segment rules editor; the flag rule
 * builder's condition editor covers the same ground and the two are meant to converge on one.
 */
export function ClauseRow(props: {
  clause: Clause;
  label: string;
  catalog: readonly (CatalogAttribute & { description?: string })[];
  segments: readonly { key: string; name: string }[];
  problems?: ClauseProblems;
  onChange: (clause: Clause) => void;
  onRemove: () => void;
}) {
  const { clause, label, catalog, problems = {} } = props;
  const id = useId();
  const segmentClause = isSegmentOperator(clause.op);
  const entry = catalog.find((a) => a.key === clause.attribute);
  const type = attributeTypeOf(catalog, clause.attribute);
  const offered = offeredAttributes(catalog);
  const operators: Operator[] = segmentClause ? ["inSegment", "notInSegment"] : type ? CLAUSE_OPERATORS[type] : CLAUSE_OPERATORS.string;
  const kind = valueKindOf(type, clause.op, entry?.allowedValues);
  const set = (values: ClauseValue[]) => props.onChange({ ...clause, values });
  const errorId = (part: string) => `${id}-${part}-error`;

  return (
    <div role="group" aria-label={label} className="rounded-md border border-slate-200 p-2 dark:border-slate-800">
      <div className="flex flex-wrap items-start gap-2">
        <div>
          <select
            aria-label={`${label} attribute`}
            value={segmentClause ? SEGMENT_CHOICE : clause.attribute}
            onChange={(e) => props.onChange(withAttribute(clause, e.target.value, catalog))}
            aria-invalid={problems.attribute ? true : undefined}
            aria-describedby={problems.attribute ? errorId("attribute") : undefined}
            className={cn(SELECT, problems.attribute ? "border-red-500" : "border-slate-300 dark:border-slate-700")}
          >
            {!segmentClause && !offered.some((a) => a.key === clause.attribute) ? (
              <option value={clause.attribute}>
                {clause.attribute} ({entry?.sensitivity === "forbidden" ? "forbidden" : "not in the catalog"})
              </option>
            ) : null}
            <optgroup label="Attribute catalog">
              {offered
                .filter((a) => catalog.includes(a))
                .map((a) => (
                  <option key={a.key} value={a.key} title={a.description}>
                    {a.key}
                    {a.sensitivity === "private" ? " (private)" : ""} · {a.type}
                  </option>
                ))}
            </optgroup>
            <optgroup label="Built in">
              {offered
                .filter((a) => !catalog.includes(a))
                .map((a) => (
                  <option key={a.key} value={a.key} title={a.description}>
                    {a.key} · {a.type}
                  </option>
                ))}
            </optgroup>
            <option value={SEGMENT_CHOICE}>Segment membership…</option>
          </select>
          {entry?.sensitivity === "private" && !segmentClause ? (
            <Badge tone="amber" className="ml-1">
              private: never stored or shown
            </Badge>
          ) : null}
          <Problem id={errorId("attribute")} message={problems.attribute} />
        </div>
        <div>
          <select
            aria-label={`${label} operator`}
            value={clause.op}
            onChange={(e) => props.onChange(withOperator(clause, e.target.value as Operator, catalog))}
            aria-invalid={problems.op ? true : undefined}
            aria-describedby={problems.op ? errorId("op") : undefined}
            className={cn(SELECT, problems.op ? "border-red-500" : "border-slate-300 dark:border-slate-700")}
          >
            {!operators.includes(clause.op) ? <option value={clause.op}>{CLAUSE_OPERATOR_LABELS[clause.op] ?? clause.op} (does not fit)</option> : null}
            {operators.map((op) => (
              <option key={op} value={op}>
                {CLAUSE_OPERATOR_LABELS[op]}
              </option>
            ))}
          </select>
          <Problem id={errorId("op")} message={problems.op} />
        </div>
        <div className="min-w-48 flex-1">
          {kind === "none" ? (
            <span className="text-sm text-slate-500">(no value needed)</span>
          ) : kind === "segments" || kind === "allowed" || kind === "boolean" ? (
            <ChoiceList
              label={`${label} values`}
              options={
                kind === "segments"
                  ? props.segments.map((s) => ({ value: s.key, label: s.name && s.name !== s.key ? `${s.name} (${s.key})` : s.key }))
                  : (kind === "boolean" ? [true, false] : (entry?.allowedValues ?? [])).map((v) => ({ value: v, label: String(v) }))
              }
              values={clause.values}
              onChange={set}
              problem={problems.values ?? Object.values(problems.value ?? {})[0]}
              errorId={errorId("values")}
            />
          ) : (
            <ChipsInput
              label={`${label} values`}
              kind={kind}
              values={clause.values}
              onChange={set}
              problem={problems.values}
              valueProblems={problems.value ?? {}}
              errorId={errorId("values")}
            />
          )}
        </div>
        <div className="flex items-center gap-3 self-center text-sm">
          {!segmentClause ? (
            <label className="inline-flex items-center gap-1">
              <input
                type="checkbox"
                aria-label={`${label}: not`}
                checked={clause.negate === true}
                onChange={(e) => props.onChange(tidy({ ...clause, negate: e.target.checked }))}
              />
              Not
            </label>
          ) : null}
          {CASE_OPERATORS.has(clause.op) && (type === "string" || type === "list") && !segmentClause ? (
            <label className="inline-flex items-center gap-1">
              <input
                type="checkbox"
                aria-label={`${label}: ignore case`}
                checked={clause.caseInsensitive === true}
                onChange={(e) => props.onChange(tidy({ ...clause, caseInsensitive: e.target.checked }))}
              />
              Ignore case
            </label>
          ) : null}
          <Button type="button" variant="ghost" className="px-2 py-1" aria-label={`Remove ${label.toLowerCase()}`} onClick={props.onRemove}>
            Remove
          </Button>
        </div>
      </div>
    </div>
  );
}

/** Drops `negate: false` and `caseInsensitive: false` so saved clauses stay minimal. */
function tidy(clause: Clause): Clause {
  const next = { ...clause };
  if (!next.negate) delete next.negate;
  if (!next.caseInsensitive) delete next.caseInsensitive;
  return next;
}

function Problem({ id, message }: { id: string; message?: string }) {
  return message ? (
    <p id={id} role="alert" className="mt-1 text-xs text-red-600 dark:text-red-400">
      {message}
    </p>
  ) : null;
}

function ChoiceList(props: {
  label: string;
  options: { value: ClauseValue; label: string }[];
  values: ClauseValue[];
  onChange: (values: ClauseValue[]) => void;
  problem?: string;
  errorId: string;
}) {
  const chosen = new Set(props.values.map(String));
  // Values the catalog no longer lists stay visible (and can be unticked).
  const extra = props.values.filter((v) => !props.options.some((o) => String(o.value) === String(v))).map((v) => ({ value: v, label: `${String(v)} (not listed)` }));
  return (
    <fieldset aria-describedby={props.problem ? props.errorId : undefined}>
      <legend className="sr-only">{props.label}</legend>
      <div className="flex flex-wrap gap-x-3 gap-y-1 text-sm">
        {[...props.options, ...extra].map((option) => (
          <label key={String(option.value)} className="inline-flex items-center gap-1">
            <input
              type="checkbox"
              checked={chosen.has(String(option.value))}
              onChange={(e) =>
                props.onChange(e.target.checked ? [...props.values, option.value] : props.values.filter((v) => String(v) !== String(option.value)))
              }
            />
            {option.label}
          </label>
        ))}
        {props.options.length === 0 && extra.length === 0 ? <span className="text-slate-500">nothing to choose from</span> : null}
      </div>
      <Problem id={props.errorId} message={props.problem} />
    </fieldset>
  );
}

function ChipsInput(props: {
  label: string;
  kind: ValueKind;
  values: ClauseValue[];
  onChange: (values: ClauseValue[]) => void;
  problem?: string;
  valueProblems: Record<number, string>;
  errorId: string;
}) {
  const [text, setText] = useState("");
  const add = (raw: string) => {
    const parsed = parseClauseValues(raw, props.kind).filter((v) => !props.values.some((existing) => existing === v));
    if (parsed.length) props.onChange([...props.values, ...parsed]);
    setText("");
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "Enter" || (event.key === "," && props.kind !== "text")) {
      event.preventDefault();
      add(text);
    } else if (event.key === "Backspace" && text === "" && props.values.length) {
      props.onChange(props.values.slice(0, -1));
    }
  };
  const onPaste = (event: ClipboardEvent<HTMLInputElement>) => {
    const pasted = event.clipboardData.getData("text");
    if (/[\r\n,]/.test(pasted)) {
      event.preventDefault();
      add(text + pasted);
    }
  };
  const firstValueProblem = Object.entries(props.valueProblems)[0];
  const message = props.problem ?? (firstValueProblem ? firstValueProblem[1] : undefined);
  return (
    <div>
      <div className={cn("flex flex-wrap items-center gap-1 rounded-md border bg-white px-2 py-1 dark:bg-slate-900", message ? "border-red-500" : "border-slate-300 dark:border-slate-700")}>
        {props.values.map((value, i) => (
          <span key={`${String(value)}-${i}`} className={cn("inline-flex items-center gap-1 rounded px-1.5 py-0.5 text-xs", props.valueProblems[i] ? "bg-red-100 text-red-800 dark:bg-red-900 dark:text-red-100" : "bg-slate-100 dark:bg-slate-800")}>
            {String(value)}
            <button type="button" aria-label={`Remove value ${String(value)}`} className="text-slate-500 hover:text-slate-900" onClick={() => props.onChange(props.values.filter((_, j) => j !== i))}>
              ×
            </button>
          </span>
        ))}
        <input
          aria-label={props.label}
          aria-invalid={message ? true : undefined}
          aria-describedby={message ? props.errorId : undefined}
          value={text}
          placeholder={props.values.length ? "" : PLACEHOLDER[props.kind]}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKeyDown}
          onPaste={onPaste}
          onBlur={() => text.trim() && add(text)}
          className="min-w-32 flex-1 border-0 bg-transparent p-0.5 text-sm focus:outline-none focus:ring-0"
        />
      </div>
      <Problem id={props.errorId} message={message} />
    </div>
  );
}
