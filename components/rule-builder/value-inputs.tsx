"use client";

import { useId, useState, type ClipboardEvent, type KeyboardEvent } from "react";
import { cn } from "@/components/ui/cn";
import type { ClauseValue } from "@/lib/evaluation/types";
import { formatValue, mergeValues, parseMany, parseValue, type ValueKind } from "./values";

const PLACEHOLDER: Partial<Record<ValueKind, string>> = {
  number: "e.g. 42",
  semver: "e.g. 5.1.0",
  date: "e.g. 2026-03-01",
  regex: "e.g. ^user-\\d+$",
  cidr: "e.g. 10.0.0.0/8",
  text: "Type and press Enter; paste many",
};

function ErrorText({ id, children }: { id: string; children?: string }) {
  return children ? (
    <p id={id} role="alert" className="mt-1 text-xs text-red-600 dark:text-red-400">
      {children}
    </p>
  ) : null;
}

/**
 * Free values as chips: type one and press Enter (or a comma), or paste many at once (lines,
 * commas, tabs). Numbers, versions, dates, patterns and networks are checked as you type; a
 * value that does not parse is not added, and the reason is announced next to the input.
 */
export function ChipsInput(props: {
  id: string;
  label: string;
  values: ClauseValue[];
  onChange: (values: ClauseValue[]) => void;
  kind: ValueKind;
  caseInsensitive?: boolean;
  /** Problems with values already added (from validation), by index. */
  valueErrors?: Map<number, string>;
  error?: string;
  className?: string;
  /** Show the label above the input (default: only for screen readers). */
  visibleLabel?: boolean;
}) {
  const { id, label, values, onChange, kind } = props;
  const [text, setText] = useState("");
  const [pasteErrors, setPasteErrors] = useState<string[]>([]);
  const errorId = useId();
  const live = text.trim() === "" ? null : parseValue(text, kind, { caseInsensitive: props.caseInsensitive });
  const typingError = live && !live.ok ? live.error : undefined;
  const valueErrors = props.valueErrors ?? new Map<number, string>();
  const separators = kind === "regex" ? [] : [","];

  function commit(): boolean {
    if (!live) return false;
    if (!live.ok) return false;
    onChange(mergeValues(values, [live.value]));
    setText("");
    setPasteErrors([]);
    return true;
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "Enter" || separators.includes(event.key)) {
      if (text.trim() !== "") event.preventDefault();
      commit();
    } else if (event.key === "Backspace" && text === "" && values.length > 0) {
      onChange(values.slice(0, -1));
    }
  }

  function onPaste(event: ClipboardEvent<HTMLInputElement>) {
    const pasted = event.clipboardData.getData("text");
    const many = kind === "regex" ? /\n/.test(pasted) : /[\n,;\t]/.test(pasted);
    if (!many) return;
    event.preventDefault();
    const { values: added, errors } = parseMany(pasted, kind, { caseInsensitive: props.caseInsensitive });
    onChange(mergeValues(values, added));
    setPasteErrors(errors);
  }

  const describedBy = [typingError || pasteErrors.length ? `${errorId}-typing` : null, props.error ? errorId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={cn("min-w-48 flex-1", props.className)}>
      <label htmlFor={id} className={props.visibleLabel ? "mb-1 block text-sm font-medium" : "sr-only"}>
        {label}
      </label>
      <div
        className={cn(
          "flex flex-wrap items-center gap-1 rounded-md border bg-white px-2 py-1 dark:bg-slate-900",
          props.error || typingError ? "border-red-500" : "border-slate-300 dark:border-slate-700",
        )}
      >
        {values.length > 0 ? (
          <ul aria-label={`${label}: ${values.length} value${values.length === 1 ? "" : "s"}`} className="contents">
            {values.map((v, i) => (
              <li
                key={`${String(v)}-${i}`}
                title={valueErrors.get(i)}
                className={cn(
                  "inline-flex items-center gap-1 rounded px-1.5 py-0.5 font-mono text-xs",
                  valueErrors.has(i) ? "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-200" : "bg-slate-100 dark:bg-slate-800",
                )}
              >
                {formatValue(v)}
                <button type="button" aria-label={`Remove ${formatValue(v)}`} onClick={() => onChange(values.filter((_, k) => k !== i))} className="rounded px-0.5 hover:bg-slate-300 dark:hover:bg-slate-700">
                  ×
                </button>
              </li>
            ))}
          </ul>
        ) : null}
        <input
          id={id}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setPasteErrors([]);
          }}
          onKeyDown={onKeyDown}
          onPaste={onPaste}
          onBlur={() => {
            if (live?.ok) commit();
          }}
          aria-invalid={props.error || typingError ? true : undefined}
          aria-describedby={describedBy}
          placeholder={values.length ? "" : PLACEHOLDER[kind] ?? PLACEHOLDER.text}
          className="min-w-24 flex-1 bg-transparent py-0.5 text-sm outline-none"
        />
      </div>
      {typingError || pasteErrors.length ? (
        <div id={`${errorId}-typing`} role="alert" className="mt-1 text-xs text-red-600 dark:text-red-400">
          {typingError ? <p>{typingError}</p> : null}
          {pasteErrors.length ? <p>Not added: {pasteErrors.join(" ")}</p> : null}
        </div>
      ) : null}
      <ErrorText id={errorId}>{props.error}</ErrorText>
      {[...valueErrors.values()].length && !props.error ? <ErrorText id={`${errorId}-values`}>{[...new Set(valueErrors.values())].join(" ")}</ErrorText> : null}
    </div>
  );
}

/** A closed list (catalog allowed values, booleans, segments) as labelled checkboxes. */
export function CheckboxList(props: {
  id: string;
  label: string;
  options: { value: ClauseValue; label: string }[];
  values: ClauseValue[];
  onChange: (values: ClauseValue[]) => void;
  valueErrors?: Map<number, string>;
  error?: string;
}) {
  const { options, values, onChange } = props;
  const errorId = useId();
  const chosen = new Set(values.map(String));
  // Values already in the configuration that are not offered (no longer allowed) stay visible.
  const extra = values.filter((v) => !options.some((o) => String(o.value) === String(v))).map((v) => ({ value: v, label: `${formatValue(v)} (not allowed)` }));
  const messages = [props.error, ...new Set((props.valueErrors ?? new Map()).values())].filter(Boolean) as string[];
  return (
    <fieldset id={props.id} aria-describedby={messages.length ? errorId : undefined} className="min-w-48 flex-1">
      <legend className="sr-only">{props.label}</legend>
      <div className={cn("flex flex-wrap gap-x-3 gap-y-1 rounded-md border px-2 py-1", messages.length ? "border-red-500" : "border-slate-300 dark:border-slate-700")}>
        {[...options, ...extra].map((o) => (
          <label key={String(o.value)} className="inline-flex items-center gap-1 text-sm">
            <input
              type="checkbox"
              checked={chosen.has(String(o.value))}
              onChange={(e) => onChange(e.target.checked ? [...values, o.value] : values.filter((v) => String(v) !== String(o.value)))}
            />
            {o.label}
          </label>
        ))}
        {options.length + extra.length === 0 ? <span className="text-sm text-slate-500">Nothing to choose from.</span> : null}
      </div>
      {messages.length ? <ErrorText id={errorId}>{messages.join(" ")}</ErrorText> : null}
    </fieldset>
  );
}

/**
 * A percentage typed as text (so "12." can be on its way to "12.5"), checked as you type; the
 * weight changes only when the text is a valid percentage.
 */
export function PercentInput(props: { id: string; label: string; units: number; onUnits: (units: number) => void; invalid?: boolean; describedBy?: string }) {
  const shown = String(Number((props.units / 1000).toFixed(3)));
  const [text, setText] = useState(shown);
  const [lastUnits, setLastUnits] = useState(props.units);
  const errorId = useId();
  // The weight changed from elsewhere (balancing, the slider): show it.
  if (props.units !== lastUnits) {
    setLastUnits(props.units);
    setText(shown);
  }
  const parsed = /^\d+(?:[.,]\d{0,3})?$|^[.,]\d{1,3}$/.test(text.trim()) ? Math.round(Number(text.trim().replace(",", ".")) * 1000) : null;
  const bad = parsed === null || parsed > 100_000;
  return (
    <span className="inline-flex flex-col">
      <span className="inline-flex items-center gap-1">
        <label htmlFor={props.id} className="sr-only">
          {props.label}
        </label>
        <input
          id={props.id}
          inputMode="decimal"
          value={text}
          onChange={(e) => {
            const next = e.target.value;
            setText(next);
            const t = next.trim().replace(",", ".");
            if (/^\d+(?:\.\d{0,3})?$|^\.\d{1,3}$/.test(t)) {
              const units = Math.round(Number(t) * 1000);
              if (units <= 100_000) {
                setLastUnits(units);
                props.onUnits(units);
              }
            }
          }}
          aria-invalid={bad || props.invalid ? true : undefined}
          aria-describedby={[bad ? errorId : null, props.describedBy].filter(Boolean).join(" ") || undefined}
          className={cn("w-20 rounded-md border bg-white px-2 py-1 text-right text-sm dark:bg-slate-900", bad || props.invalid ? "border-red-500" : "border-slate-300 dark:border-slate-700")}
        />
        <span className="text-sm text-slate-500">%</span>
      </span>
      {bad ? (
        <span id={errorId} role="alert" className="mt-1 text-xs text-red-600 dark:text-red-400">
          Enter a percentage from 0 to 100 (up to three decimals).
        </span>
      ) : null}
    </span>
  );
}
