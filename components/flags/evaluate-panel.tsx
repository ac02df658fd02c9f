"use client";

import { useId, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { CodeText } from "@/components/ui/code-text";
import { cn } from "@/components/ui/cn";
import type { CatalogAttribute, EvaluationContext, EvaluationResult } from "@/lib/evaluation/types";
import type { TestCaseData } from "@/lib/flags/flag-page-data";
import type { PickableContext } from "@/lib/impact/recent-contexts-for-picker";

export interface EvaluationView {
  result: EvaluationResult;
  explanation: string;
}

/** The text of the Evaluate as… editor as a context, or what is wrong with it. */
export function parseContextText(text: string): { context: EvaluationContext } | { error: string } {
  if (text.trim() === "") return { context: {} };
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== "object" || value === null || Array.isArray(value)) return { error: "The context must be a JSON object, e.g. {\"targetingKey\": \"user-1\", \"plan\": \"pro\"}." };
    const key = (value as { targetingKey?: unknown }).targetingKey;
    if (key !== undefined && typeof key !== "string") return { error: "targetingKey must be a string." };
    return { context: value as EvaluationContext };
  } catch (e) {
    return { error: `The context is not valid JSON (${(e as Error).message}).` };
  }
}

function typed(attribute: CatalogAttribute | undefined, text: string): unknown {
  if (attribute?.type === "number" && text.trim() !== "" && Number.isFinite(Number(text))) return Number(text);
  if (attribute?.type === "boolean" && (text === "true" || text === "false")) return text === "true";
  if (attribute?.type === "list") return text.split(",").map((s) => s.trim()).filter(Boolean);
  return text;
}

/** "user-7 · plan=pro, country=ca": the key and a few attributes, enough to tell contexts apart. */
function recentLabel(context: PickableContext): string {
  const shown = Object.entries(context.attributes)
    .slice(0, 3)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join("|") : String(value)}`);
  return shown.length ? `${context.contextKey} · ${shown.join(", ")}` : context.contextKey;
}

function ResultCard({ title, view, highlight }: { title: string; view: EvaluationView | null; highlight?: boolean }) {
  return (
    <section aria-label={title} className={cn("min-w-0 flex-1 rounded-md border p-2", highlight ? "border-amber-400" : "border-slate-200 dark:border-slate-800")}>
      <h4 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">{title}</h4>
      {view ? (
        <>
          <p className="mb-1 flex flex-wrap items-center gap-2">
            <Badge tone={view.result.reason === "ERROR" ? "red" : "indigo"}>{view.result.variationKey ?? "error"}</Badge>
            <code className="truncate text-xs text-slate-600 dark:text-slate-400">{JSON.stringify(view.result.value)}</code>
          </p>
          <p className="text-sm" data-testid={`${title === "Saved" ? "saved" : "edited"}-explanation`}>
            <CodeText text={view.explanation} />
          </p>
        </>
      ) : (
        <p className="text-sm text-slate-500">Not available.</p>
      )}
    </section>
  );
}

/**
 * Evaluate as…: a context typed as JSON (or built with the pickers, or taken from a test case),
 * evaluated with the engine in the browser against the saved configuration and the edited one.
 */
export function EvaluatePanel(props: {
  contextText: string;
  onContextText: (text: string) => void;
  parseError?: string;
  personas: TestCaseData[];
  /** Contexts seen recently in this environment (exposure events); undefined while loading. */
  recentContexts?: PickableContext[];
  catalog: CatalogAttribute[];
  saved: EvaluationView | null;
  edited: EvaluationView | null;
  dirty: boolean;
  /** Viewers cannot edit, so there is no edited configuration to compare with. */
  showEdited: boolean;
}) {
  const ids = useId();
  const [attribute, setAttribute] = useState("");
  const [value, setValue] = useState("");
  const [persona, setPersona] = useState("");
  const [recent, setRecent] = useState("");
  const attributes = props.catalog.filter((a) => a.sensitivity !== "forbidden").sort((a, b) => a.key.localeCompare(b.key));
  const chosen = attributes.find((a) => a.key === attribute);
  const differs = props.saved && props.edited && props.saved.result.variationKey !== props.edited.result.variationKey;

  function setAttributeValue() {
    if (!attribute) return;
    const parsed = parseContextText(props.contextText);
    const base = "context" in parsed ? parsed.context : {};
    props.onContextText(JSON.stringify({ ...base, [attribute]: typed(chosen, value) }, null, 2));
    setValue("");
  }

  return (
    <section aria-labelledby={`${ids}-title`} className="space-y-3 rounded-lg border border-slate-200 p-3 dark:border-slate-800">
      <h2 id={`${ids}-title`} className="font-semibold">
        Evaluate as…
      </h2>
      {props.personas.length ? (
        <div>
          <label htmlFor={`${ids}-persona`} className="mb-1 block text-sm font-medium">
            Test persona
          </label>
          <select
            id={`${ids}-persona`}
            value={persona}
            onChange={(e) => {
              setPersona(e.target.value);
              setRecent("");
              const tc = props.personas.find((p) => p.id === e.target.value);
              if (tc) props.onContextText(JSON.stringify(tc.context, null, 2));
            }}
            className="w-full rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900"
          >
            <option value="">Choose a saved test case…</option>
            {props.personas.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <div>
        <label htmlFor={`${ids}-recent`} className="mb-1 block text-sm font-medium">
          Recently seen context
        </label>
        {props.recentContexts && props.recentContexts.length === 0 ? (
          <p id={`${ids}-recent`} className="text-xs text-slate-500">
            None in the last 7 days: contexts appear here once SDKs report exposure events in this environment.
          </p>
        ) : (
          <select
            id={`${ids}-recent`}
            value={recent}
            disabled={!props.recentContexts}
            onChange={(e) => {
              setRecent(e.target.value);
              setPersona("");
              const seen = props.recentContexts?.find((c) => c.contextKey === e.target.value);
              if (seen) props.onContextText(JSON.stringify({ targetingKey: seen.contextKey, ...seen.attributes }, null, 2));
            }}
            className="w-full rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900"
          >
            <option value="">{props.recentContexts ? "Choose a context seen recently…" : "Loading recent contexts…"}</option>
            {props.recentContexts?.map((c) => (
              <option key={c.contextKey} value={c.contextKey}>
                {recentLabel(c)}
              </option>
            ))}
          </select>
        )}
      </div>
      <div>
        <label htmlFor={`${ids}-context`} className="mb-1 block text-sm font-medium">
          Context (JSON)
        </label>
        <textarea
          id={`${ids}-context`}
          value={props.contextText}
          onChange={(e) => {
            setPersona("");
            setRecent("");
            props.onContextText(e.target.value);
          }}
          rows={7}
          spellCheck={false}
          aria-invalid={props.parseError ? true : undefined}
          aria-describedby={props.parseError ? `${ids}-context-error` : undefined}
          className={cn("w-full rounded-md border bg-white px-2 py-1 font-mono text-xs dark:bg-slate-900", props.parseError ? "border-red-500" : "border-slate-300 dark:border-slate-700")}
        />
        {props.parseError ? (
          <p id={`${ids}-context-error`} role="alert" className="mt-1 text-xs text-red-600 dark:text-red-400">
            {props.parseError}
          </p>
        ) : null}
      </div>
      <div className="flex flex-wrap items-end gap-2">
        <div>
          <label htmlFor={`${ids}-attr`} className="mb-1 block text-xs font-medium">
            Attribute
          </label>
          <select id={`${ids}-attr`} value={attribute} onChange={(e) => setAttribute(e.target.value)} className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900">
            <option value="">choose…</option>
            <option value="targetingKey">targetingKey</option>
            {attributes.map((a) => (
              <option key={a.key} value={a.key}>
                {a.key}
              </option>
            ))}
          </select>
        </div>
        <div className="min-w-24 flex-1">
          <label htmlFor={`${ids}-value`} className="mb-1 block text-xs font-medium">
            Value
          </label>
          {chosen?.allowedValues?.length ? (
            <select id={`${ids}-value`} value={value} onChange={(e) => setValue(e.target.value)} className="w-full rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900">
              <option value="">choose…</option>
              {chosen.allowedValues.map((v) => (
                <option key={String(v)} value={String(v)}>
                  {String(v)}
                </option>
              ))}
            </select>
          ) : (
            <input
              id={`${ids}-value`}
              value={value}
              onChange={(e) => setValue(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === "Enter") {
                  e.preventDefault();
                  setAttributeValue();
                }
              }}
              placeholder={chosen?.type === "date" ? "2026-03-01" : chosen?.type === "semver" ? "5.2.0" : ""}
              className="w-full rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900"
            />
          )}
        </div>
        <Button type="button" variant="secondary" className="px-2 py-1" disabled={!attribute} onClick={setAttributeValue}>
          Set
        </Button>
      </div>
      <div className="flex flex-col gap-2 xl:flex-row" aria-live="polite">
        <ResultCard title="Saved" view={props.saved} />
        {props.showEdited ? <ResultCard title={props.dirty ? "Your edit" : "Your edit (no changes)"} view={props.edited} highlight={!!differs} /> : null}
      </div>
      {differs ? <p className="text-xs text-amber-700 dark:text-amber-300">Your edit changes what this context gets.</p> : null}
    </section>
  );
}
