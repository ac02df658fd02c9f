"use client";

import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import type { CatalogAttribute, Clause, Operator, Segment } from "@/lib/evaluation/types";
import { clausePickerValue, tidyClause, withAttribute, withOperator } from "./config-model";
import { fieldDomId, type IssueIndex } from "./issue-paths";
import { attributeType, BUILT_IN_ATTRIBUTES, CASE_INSENSITIVE_OPERATORS, isSegmentOperator, OPERATOR_LABELS, operatorsFor, SEGMENT_ATTRIBUTE } from "./operators";
import { CheckboxList, ChipsInput } from "./value-inputs";
import { valueKind } from "./values";

const SELECT =
  "rounded-md border bg-white px-2 py-1 text-sm dark:bg-slate-900 focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500";

function FieldMessage({ id, message, tone = "error" }: { id: string; message?: string; tone?: "error" | "warning" }) {
  if (!message) return null;
  return (
    <p id={id} role={tone === "error" ? "alert" : undefined} className={cn("mt-1 text-xs", tone === "error" ? "text-red-600 dark:text-red-400" : "text-amber-700 dark:text-amber-300")}>
      {message}
    </p>
  );
}

/** One condition: attribute (from the catalog), operator (fitting its type), values, not, ignore case. */
export function ClauseEditor(props: {
  clause: Clause;
  /** Field key prefix, e.g. `rules.0.clauses.1`. */
  path: string;
  index: number;
  catalog: CatalogAttribute[];
  segments: (Segment & { name?: string })[];
  issues: IssueIndex;
  onChange: (clause: Clause) => void;
  onRemove: () => void;
}) {
  const { clause, path, catalog, issues } = props;
  const picker = clausePickerValue(clause);
  const segmentClause = isSegmentOperator(clause.op);
  const entry = catalog.find((a) => a.key === clause.attribute);
  const type = attributeType(catalog, clause.attribute);
  const listed = catalog.filter((a) => a.sensitivity !== "forbidden").sort((a, b) => a.key.localeCompare(b.key));
  const builtIns = BUILT_IN_ATTRIBUTES.filter((b) => !catalog.some((a) => a.key === b.key));
  const offeredKeys = new Set([...listed, ...builtIns].map((a) => a.key));
  const operators: Operator[] = segmentClause ? ["inSegment", "notInSegment"] : operatorsFor(type);
  const kind = valueKind(type, clause.op, entry?.allowedValues);
  const attrError = issues.messageAt(`${path}.attribute`);
  const opError = issues.messageAt(`${path}.op`);
  const valuesKey = `${path}.values`;
  const valuesError = issues.messageAt(valuesKey);
  const valueErrors = issues.valueErrors(valuesKey);
  const caseWarning = issues.messageAt(`${path}.caseInsensitive`, "warning");
  const label = `Condition ${props.index + 1}`;

  const values = (() => {
    switch (kind) {
      case "none":
        return <span className="self-center text-sm text-slate-500">(no value needed)</span>;
      case "segments":
        return (
          <CheckboxList
            id={fieldDomId(valuesKey)}
            label={`${label} segments`}
            options={props.segments.map((s) => ({ value: s.key, label: s.name && s.name !== s.key ? `${s.name} (${s.key})` : s.key }))}
            values={clause.values}
            onChange={(v) => props.onChange({ ...clause, values: v })}
            valueErrors={valueErrors}
            error={valuesError}
          />
        );
      case "allowed":
      case "boolean":
        return (
          <CheckboxList
            id={fieldDomId(valuesKey)}
            label={`${label} values`}
            options={(kind === "boolean" ? [true, false] : entry?.allowedValues ?? []).map((v) => ({ value: v, label: String(v) }))}
            values={clause.values}
            onChange={(v) => props.onChange({ ...clause, values: v })}
            valueErrors={valueErrors}
            error={valuesError}
          />
        );
      default:
        return (
          <ChipsInput
            id={fieldDomId(valuesKey)}
            label={`${label} values`}
            values={clause.values}
            kind={kind}
            caseInsensitive={clause.caseInsensitive}
            onChange={(v) => props.onChange({ ...clause, values: v })}
            valueErrors={valueErrors}
            error={valuesError}
          />
        );
    }
  })();

  return (
    <div role="group" aria-label={label} className="rounded-md border border-slate-200 p-2 dark:border-slate-800">
      <div className="flex flex-wrap items-start gap-2">
        <div>
          <label htmlFor={fieldDomId(`${path}.attribute`)} className="sr-only">
            {label} attribute
          </label>
          <select
            id={fieldDomId(`${path}.attribute`)}
            value={picker}
            onChange={(e) => props.onChange(withAttribute(clause, e.target.value, catalog))}
            aria-invalid={attrError ? true : undefined}
            aria-describedby={attrError ? `${fieldDomId(`${path}.attribute`)}-error` : undefined}
            className={cn(SELECT, attrError ? "border-red-500" : "border-slate-300 dark:border-slate-700")}
          >
            {!segmentClause && !offeredKeys.has(clause.attribute) ? (
              <option value={clause.attribute}>{clause.attribute} (not usable)</option>
            ) : null}
            <optgroup label="Attribute catalog">
              {listed.map((a) => (
                <option key={a.key} value={a.key} title={a.description}>
                  {a.key}
                  {a.sensitivity === "private" ? " (private)" : ""} · {a.type}
                </option>
              ))}
            </optgroup>
            <optgroup label="Built in">
              {builtIns.map((a) => (
                <option key={a.key} value={a.key}>
                  {a.key} · {a.type}
                </option>
              ))}
            </optgroup>
            <option value={SEGMENT_ATTRIBUTE}>Segment membership…</option>
          </select>
          {entry?.sensitivity === "private" && !segmentClause ? (
            <Badge tone="amber" className="ml-1" >
              private: never stored or shown
            </Badge>
          ) : null}
          <FieldMessage id={`${fieldDomId(`${path}.attribute`)}-error`} message={attrError} />
        </div>
        <div>
          <label htmlFor={fieldDomId(`${path}.op`)} className="sr-only">
            {label} operator
          </label>
          <select
            id={fieldDomId(`${path}.op`)}
            value={clause.op}
            onChange={(e) => props.onChange(withOperator(clause, e.target.value as Operator, catalog))}
            aria-invalid={opError ? true : undefined}
            className={cn(SELECT, opError ? "border-red-500" : "border-slate-300 dark:border-slate-700")}
          >
            {!operators.includes(clause.op) ? <option value={clause.op}>{OPERATOR_LABELS[clause.op] ?? clause.op} (does not fit)</option> : null}
            {operators.map((op) => (
              <option key={op} value={op}>
                {OPERATOR_LABELS[op]}
              </option>
            ))}
          </select>
          <FieldMessage id={`${fieldDomId(`${path}.op`)}-error`} message={opError} />
        </div>
        {values}
        <div className="flex items-center gap-3 self-center text-sm">
          {!segmentClause ? (
            <label className="inline-flex items-center gap-1">
              <input type="checkbox" checked={clause.negate === true} onChange={(e) => props.onChange(tidyClause({ ...clause, negate: e.target.checked }))} />
              Not
            </label>
          ) : null}
          {CASE_INSENSITIVE_OPERATORS.has(clause.op) && (type === "string" || type === "list") ? (
            <label className="inline-flex items-center gap-1">
              <input type="checkbox" checked={clause.caseInsensitive === true} onChange={(e) => props.onChange(tidyClause({ ...clause, caseInsensitive: e.target.checked }))} />
              Ignore case
            </label>
          ) : null}
          <Button type="button" variant="ghost" className="px-2 py-1" aria-label={`Remove condition ${props.index + 1}`} onClick={props.onRemove}>
            Remove
          </Button>
        </div>
      </div>
      <FieldMessage id={`${fieldDomId(path)}-case`} message={caseWarning} tone="warning" />
    </div>
  );
}
