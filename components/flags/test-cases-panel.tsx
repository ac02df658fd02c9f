"use client";

import { useMutation } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { CodeText } from "@/components/ui/code-text";
import { Notice } from "@/components/ui/notice";
import type { ActionError, ActionResult } from "@/lib/actions/define-action";
import type { Variation } from "@/lib/evaluation/types";
import type { TestCaseData } from "@/lib/flags/flag-page-data";
import type { Coverage, TestCaseOutcome } from "@/lib/flags/run-test-cases";
import { parseContextText } from "./evaluate-panel";

type Action = (input: unknown) => Promise<ActionResult<unknown>>;

export interface TestCaseActions {
  create: Action;
  update: Action;
  remove: Action;
}

function Outcome({ outcome }: { outcome?: TestCaseOutcome }) {
  if (!outcome) return <span className="text-slate-400">—</span>;
  const got = outcome.result.variationKey ?? "error";
  if (outcome.passed === null) return <span className="font-mono text-xs">{got}</span>;
  return outcome.passed ? <Badge tone="green">passes ({got})</Badge> : <Badge tone="red">fails: gets {got}</Badge>;
}

/**
 * Test cases of the flag with their results against the saved and the edited configuration of
 * this environment, the rules no test case reaches (coverage), and the form to add or change one.
 */
export function TestCasesPanel(props: {
  projectKey: string;
  flagKey: string;
  environmentKey: string;
  environments: { key: string; name: string }[];
  variations: Variation[];
  testCases: TestCaseData[];
  editedOutcomes: Map<string, TestCaseOutcome>;
  savedOutcomes: Map<string, TestCaseOutcome>;
  coverage: Coverage;
  ruleCount: number;
  editable: boolean;
  actions: TestCaseActions;
  onEvaluate: (testCase: TestCaseData) => void;
  onChanged: () => Promise<unknown>;
  /** Context the form starts from when adding (the current Evaluate as… context). */
  currentContextText: string;
}) {
  const ids = useId();
  const [editing, setEditing] = useState<TestCaseData | "new" | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const remove = useMutation({
    mutationFn: async (tc: TestCaseData) => {
      const result = await props.actions.remove({ projectKey: props.projectKey, flagKey: props.flagKey, testCaseId: tc.id });
      if (!result.ok) throw result.error;
      return tc;
    },
    onSuccess: async (tc) => {
      setNotice(`Deleted “${tc.name}”.`);
      await props.onChanged();
    },
  });
  const failing = props.testCases.filter((t) => props.editedOutcomes.get(t.id)?.passed === false);
  const { coverage } = props;
  const reachedRules = props.ruleCount - coverage.unreachedRules.length;

  return (
    <section aria-labelledby={`${ids}-title`} className="space-y-3">
      <div className="flex flex-wrap items-center gap-2">
        <h2 id={`${ids}-title`} className="text-lg font-semibold">
          Test cases
        </h2>
        {failing.length ? <Badge tone="red">{failing.length} would break with your edit</Badge> : null}
        {props.editable && editing === null ? (
          <Button type="button" variant="secondary" className="ml-auto px-2 py-1" onClick={() => { setEditing("new"); setNotice(null); }}>
            Add test case
          </Button>
        ) : null}
      </div>
      {notice ? <Notice tone="success">{notice}</Notice> : null}
      {remove.error ? <Notice tone="error">{(remove.error as unknown as ActionError).message}</Notice> : null}
      {editing !== null ? (
        <TestCaseForm
          key={editing === "new" ? "new" : editing.id}
          {...props}
          initial={editing === "new" ? null : editing}
          onDone={async (message) => {
            setEditing(null);
            setNotice(message);
            await props.onChanged();
          }}
          onCancel={() => setEditing(null)}
        />
      ) : null}
      {props.testCases.length === 0 ? (
        <p className="text-sm text-slate-500">No test cases yet. A test case is a named example context and the variation it should get, e.g. “a pro user in Canada gets on”.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className="border-b border-slate-200 text-slate-500 dark:border-slate-800">
              <tr>
                <th className="py-2 pr-3 font-medium">Test case</th>
                <th className="py-2 pr-3 font-medium">Context</th>
                <th className="py-2 pr-3 font-medium">Expected here</th>
                <th className="py-2 pr-3 font-medium">Saved</th>
                <th className="py-2 pr-3 font-medium">Your edit</th>
                <th className="py-2 font-medium">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {props.testCases.map((tc) => {
                const edited = props.editedOutcomes.get(tc.id);
                return (
                  <tr key={tc.id} className={edited?.passed === false ? "bg-red-50 align-top dark:bg-red-950/40" : "border-b border-slate-100 align-top dark:border-slate-900"}>
                    <td className="py-2 pr-3">
                      <div className="font-medium">{tc.name}</div>
                      {tc.description ? <div className="text-xs text-slate-500">{tc.description}</div> : null}
                    </td>
                    <td className="max-w-72 py-2 pr-3">
                      <code className="block truncate text-xs" title={JSON.stringify(tc.context)}>
                        {JSON.stringify(tc.context)}
                      </code>
                    </td>
                    <td className="py-2 pr-3 font-mono text-xs">{tc.expected[props.environmentKey] ?? <span className="text-slate-400">not checked</span>}</td>
                    <td className="py-2 pr-3">
                      <Outcome outcome={props.savedOutcomes.get(tc.id)} />
                    </td>
                    <td className="py-2 pr-3">
                      <Outcome outcome={edited} />
                    </td>
                    <td className="py-2 text-right whitespace-nowrap">
                      <Button type="button" variant="ghost" className="px-2 py-1" aria-label={`Evaluate as ${tc.name}`} onClick={() => props.onEvaluate(tc)}>
                        Evaluate
                      </Button>
                      {props.editable ? (
                        <>
                          <Button type="button" variant="ghost" className="px-2 py-1" aria-label={`Edit test case ${tc.name}`} onClick={() => { setEditing(tc); setNotice(null); }}>
                            Edit
                          </Button>
                          <Button
                            type="button"
                            variant="ghost"
                            className="px-2 py-1 text-red-700 dark:text-red-400"
                            aria-label={`Delete test case ${tc.name}`}
                            disabled={remove.isPending}
                            onClick={() => {
                              if (confirm(`Delete the test case “${tc.name}”?`)) remove.mutate(tc);
                            }}
                          >
                            Delete
                          </Button>
                        </>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <div aria-labelledby={`${ids}-coverage`} role="region" className="rounded-md border border-slate-200 p-3 text-sm dark:border-slate-800">
        <h3 id={`${ids}-coverage`} className="mb-1 font-medium">
          Coverage
        </h3>
        {props.testCases.length === 0 ? (
          <p className="text-slate-500">Add test cases to see which rules they reach.</p>
        ) : (
          <>
            <p>
              {props.ruleCount === 0 ? "There are no rules." : `${reachedRules} of ${props.ruleCount} rule${props.ruleCount === 1 ? "" : "s"} reached by a test case.`} Default rule:{" "}
              {coverage.fallthroughReachedBy.length ? `reached by ${coverage.fallthroughReachedBy.length}` : "not reached"}.
              {coverage.targetsReachedBy.length ? ` Individual targets: reached by ${coverage.targetsReachedBy.length}.` : ""}
            </p>
            {coverage.unreachedRules.length ? (
              <ul className="mt-1 list-disc pl-5 text-amber-800 dark:text-amber-300">
                {coverage.unreachedRules.map((r) => (
                  <li key={r.id}>
                    No test case reaches rule {r.index + 1}
                    {r.description ? ` (${r.description})` : ""}.
                  </li>
                ))}
              </ul>
            ) : null}
          </>
        )}
      </div>
    </section>
  );
}

function TestCaseForm(props: {
  projectKey: string;
  flagKey: string;
  environmentKey: string;
  environments: { key: string; name: string }[];
  variations: Variation[];
  actions: TestCaseActions;
  initial: TestCaseData | null;
  currentContextText: string;
  onDone: (message: string) => Promise<void>;
  onCancel: () => void;
}) {
  const ids = useId();
  const [name, setName] = useState(props.initial?.name ?? "");
  const [description, setDescription] = useState(props.initial?.description ?? "");
  const [contextText, setContextText] = useState(props.initial ? JSON.stringify(props.initial.context, null, 2) : props.currentContextText);
  const [expected, setExpected] = useState<Record<string, string>>(props.initial?.expected ?? {});
  const parsed = parseContextText(contextText);
  const save = useMutation({
    mutationFn: async () => {
      if ("error" in parsed) throw { code: "VALIDATION_FAILED", message: parsed.error, fieldErrors: { context: parsed.error } } satisfies ActionError;
      const input = { projectKey: props.projectKey, flagKey: props.flagKey, name, description, context: parsed.context, expected };
      const result = props.initial ? await props.actions.update({ ...input, testCaseId: props.initial.id }) : await props.actions.create(input);
      if (!result.ok) throw result.error;
    },
    onSuccess: () => props.onDone(props.initial ? `Saved “${name.trim()}”.` : `Added “${name.trim()}”.`),
  });
  const error = save.error as unknown as ActionError | null;
  const fieldError = (key: string) => error?.fieldErrors?.[key];

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    save.mutate();
  }

  return (
    <form onSubmit={onSubmit} aria-label={props.initial ? `Edit test case ${props.initial.name}` : "New test case"} className="space-y-3 rounded-md border border-slate-200 p-3 dark:border-slate-800">
      <div className="grid gap-3 md:grid-cols-2">
        <div>
          <label htmlFor={`${ids}-name`} className="mb-1 block text-sm font-medium">
            Test case name
          </label>
          <input id={`${ids}-name`} value={name} onChange={(e) => setName(e.target.value)} required aria-invalid={fieldError("name") ? true : undefined} aria-describedby={fieldError("name") ? `${ids}-name-error` : undefined} className="w-full rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900" />
          {fieldError("name") ? (
            <p id={`${ids}-name-error`} role="alert" className="mt-1 text-xs text-red-600">
              {fieldError("name")}
            </p>
          ) : null}
        </div>
        <div>
          <label htmlFor={`${ids}-description`} className="mb-1 block text-sm font-medium">
            Description (optional)
          </label>
          <input id={`${ids}-description`} value={description} onChange={(e) => setDescription(e.target.value)} className="w-full rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900" />
        </div>
      </div>
      <div>
        <label htmlFor={`${ids}-context`} className="mb-1 block text-sm font-medium">
          Test context (JSON)
        </label>
        <textarea
          id={`${ids}-context`}
          rows={4}
          spellCheck={false}
          value={contextText}
          onChange={(e) => setContextText(e.target.value)}
          aria-invalid={"error" in parsed || fieldError("context") ? true : undefined}
          aria-describedby={`${ids}-context-error`}
          className="w-full rounded-md border border-slate-300 bg-white px-2 py-1 font-mono text-xs dark:border-slate-700 dark:bg-slate-900"
        />
        {"error" in parsed || fieldError("context") ? (
          <p id={`${ids}-context-error`} role="alert" className="mt-1 text-xs text-red-600">
            {"error" in parsed ? parsed.error : fieldError("context")}
          </p>
        ) : null}
      </div>
      <fieldset>
        <legend className="mb-1 text-sm font-medium">Expected variation</legend>
        <div className="flex flex-wrap gap-3">
          {props.environments.map((env) => (
            <div key={env.key}>
              <label htmlFor={`${ids}-exp-${env.key}`} className="mb-1 block text-xs">
                Expected in {env.name}
              </label>
              <select
                id={`${ids}-exp-${env.key}`}
                value={expected[env.key] ?? ""}
                onChange={(e) => {
                  const { [env.key]: _old, ...rest } = expected;
                  setExpected(e.target.value ? { ...rest, [env.key]: e.target.value } : rest);
                }}
                className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900"
              >
                <option value="">not checked</option>
                {props.variations.map((v) => (
                  <option key={v.key} value={v.key}>
                    {v.key}
                  </option>
                ))}
              </select>
              {fieldError(`expected.${env.key}`) ? (
                <p role="alert" className="mt-1 text-xs text-red-600">
                  {fieldError(`expected.${env.key}`)}
                </p>
              ) : null}
            </div>
          ))}
        </div>
        {fieldError("expected") ? (
          <p role="alert" className="mt-1 text-xs text-red-600">
            {fieldError("expected")}
          </p>
        ) : null}
      </fieldset>
      {error && !error.fieldErrors ? (
        <Notice tone="error">
          <CodeText text={error.message} />
        </Notice>
      ) : null}
      <div className="flex gap-2">
        <Button type="submit" disabled={save.isPending}>
          {props.initial ? "Save test case" : "Add test case"}
        </Button>
        <Button type="button" variant="secondary" onClick={props.onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
