"use client";

import { useMutation } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState } from "react";
import { EvaluatePanel, parseContextText, type EvaluationView } from "@/components/flags/evaluate-panel";
import { ArchiveFlagDialog } from "@/components/flags/archive-flag-dialog";
import { FlagDependencies } from "@/components/flags/flag-dependencies";
import { FlagHeader } from "@/components/flags/flag-header";
import { FlagImpactPanel } from "@/components/flags/flag-impact-panel";
import { FlagHistory } from "@/components/flags/flag-history";
import { FlagSettingsForm } from "@/components/flags/flag-settings-form";
import { KillSwitchBanner } from "@/components/flags/kill-switch-banner";
import { KillSwitchControl } from "@/components/flags/kill-switch-control";
import { useFlagData, useFlagDependencies, useFlagHistory, useFlagTestCases, useInvalidateFlag, useRecentContexts, useTargetingData } from "@/components/flags/flag-queries";
import { PrerequisitesEditor } from "@/components/flags/prerequisites-editor";
import { TargetsEditor } from "@/components/flags/targets-editor";
import { TestCasesPanel } from "@/components/flags/test-cases-panel";
import { VariationsEditor } from "@/components/flags/variations-editor";
import { normalizeConfig } from "@/components/rule-builder/config-model";
import { canonical, diffConfigs } from "@/components/rule-builder/diff";
import { fieldDomId, IssueIndex, zodIssues } from "@/components/rule-builder/issue-paths";
import { RuleBuilder } from "@/components/rule-builder/rule-builder";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { DialogForm } from "@/components/ui/dialog-form";
import { CodeText } from "@/components/ui/code-text";
import { cn } from "@/components/ui/cn";
import { Notice } from "@/components/ui/notice";
import type { ActionError } from "@/lib/actions/define-action";
import { explainResult, validateFlagConfig } from "@/lib/evaluation";
import type { Flag, FlagConfig, FlagDefinition, ValidationIssue } from "@/lib/evaluation/types";
import { dependentsBrokenBy } from "@/lib/flags/dependency-graph";
import type { EnvironmentDependencies } from "@/lib/flags/flag-dependencies-view";
import type { FlagPageData, HistoryEntry, TargetingData, TestCaseData } from "@/lib/flags/flag-page-data";
import { coverageOf, evaluateMany, runTestCases } from "@/lib/flags/run-test-cases";
import { flagConfigSchema } from "@/lib/schemas/flag-config";
import {
  archiveFlagAction,
  createFlagTestCaseAction,
  deleteFlagTestCaseAction,
  saveFlagConfigAction,
  updateFlagSettingsAction,
  updateFlagTestCaseAction,
  updateFlagVariationsAction,
} from "./actions";

interface Props {
  projectKey: string;
  environmentKey: string;
  editable: boolean;
  now: number;
  initial: { flag: FlagPageData; targeting: TargetingData; testCases: TestCaseData[]; history: HistoryEntry[]; dependencies: EnvironmentDependencies[] };
  justCreated?: boolean;
  /** Project members, for the owner picker of the settings. */
  members: { email: string; name: string }[];
  /** What the person may do with the kill switch (killswitch:use, flags:write to acknowledge). */
  killSwitch: { canUse: boolean; canAcknowledge: boolean };
}

const EMPTY_CONFIG: FlagConfig = { on: false, offVariation: "", targets: [], rules: [], fallthrough: { variation: "" }, prerequisites: [] };

type FailingTestCase = { id: string; name: string; expected: string; actual: string | null };

function focusField(key: string) {
  const id = fieldDomId(key);
  const element = document.getElementById(id) ?? document.querySelector<HTMLElement>(`[id^="${id}"]`);
  if (!element) return;
  const target = element.matches("input,select,textarea,button") ? element : element.querySelector<HTMLElement>("input,select,textarea,button") ?? element;
  target.scrollIntoView({ block: "center" });
  target.focus();
}

/** The flag page: header, the configuration in this environment with the rule builder, Evaluate as…, test cases, variations and history. */
export function FlagPageClient({ projectKey, environmentKey, editable, now, initial, justCreated, members, killSwitch }: Props) {
  const flagKey = initial.flag.flag.key;
  const { data } = useFlagData(projectKey, flagKey, initial.flag);
  const { data: targeting } = useTargetingData(projectKey, environmentKey, initial.targeting);
  const { data: testCases } = useFlagTestCases(projectKey, flagKey, initial.testCases);
  const { data: history } = useFlagHistory(projectKey, flagKey, initial.history);
  const { data: dependencies } = useFlagDependencies(projectKey, flagKey, initial.dependencies);
  const invalidate = useInvalidateFlag(projectKey, flagKey);
  const { data: recentContexts } = useRecentContexts(projectKey, environmentKey, true);
  const envState = data.environments.find((e) => e.key === environmentKey)!;
  const server = { version: envState.version ?? 0, config: envState.config ?? EMPTY_CONFIG };

  // What the draft started from, and the draft itself.
  const [base, setBase] = useState(server);
  const [draft, setDraft] = useState<FlagConfig>(server.config);
  const [serverIssues, setServerIssues] = useState<ValidationIssue[]>([]);
  const normalized = useMemo(() => normalizeConfig(draft), [draft]);
  const draftCanonical = useMemo(() => canonical(normalized), [normalized]);
  const baseCanonical = useMemo(() => canonical(normalizeConfig(base.config)), [base.config]);
  const dirty = draftCanonical !== baseCanonical;
  // A newer version arrived (a refetch) and nothing is being edited: follow it. (After our own
  // save or a reload from a conflict, `base` is ahead of the cached query until it refetches.)
  if (server.version > base.version && !dirty) {
    setBase(server);
    setDraft(server.config);
  }
  const staleBase = dirty && server.version > base.version;

  const edit = (next: FlagConfig) => {
    setDraft(next);
    setServerIssues([]);
  };

  const definition: FlagDefinition = useMemo(
    () => ({ key: data.flag.key, kind: data.flag.kind, valueType: data.flag.valueType, variations: data.flag.variations, ...(data.flag.controlVariation ? { controlVariation: data.flag.controlVariation } : {}) }),
    [data.flag],
  );
  const issues = useMemo(() => {
    const list: ValidationIssue[] = [];
    const parsed = flagConfigSchema.safeParse(normalized);
    if (!parsed.success) list.push(...zodIssues(parsed.error));
    list.push(...validateFlagConfig(normalized, targeting.catalog, targeting.segments, targeting.flags, definition));
    list.push(...serverIssues);
    return new IssueIndex(list);
  }, [normalized, targeting, definition, serverIssues]);

  // Evaluate as… and test cases, with the engine in the browser.
  const [contextText, setContextText] = useState('{\n  "targetingKey": "user-1"\n}');
  const parsedContext = useMemo(() => parseContextText(contextText), [contextText]);
  const evalEnv = useMemo(() => ({ segments: targeting.segments, flags: targeting.flags, optOutAttribute: targeting.optOutAttribute ?? undefined, now }), [targeting, now]);
  const savedConfig = envState.config;
  const savedFlag: Flag | null = useMemo(() => (savedConfig ? { ...definition, config: savedConfig } : null), [definition, savedConfig]);
  const draftFlag: Flag = useMemo(() => ({ ...definition, config: normalized }), [definition, normalized]);
  const views = useMemo(() => {
    if (!("context" in parsedContext)) return { saved: null, edited: null };
    const view = (flag: Flag | null): EvaluationView | null => {
      if (!flag) return null;
      const [result] = evaluateMany(flag, [parsedContext.context], evalEnv);
      return { result, explanation: explainResult(result, flag, parsedContext.context, targeting.segments) };
    };
    return { saved: view(savedFlag), edited: view(draftFlag) };
  }, [parsedContext, savedFlag, draftFlag, evalEnv, targeting.segments]);
  const caseInputs = useMemo(() => testCases.map((t) => ({ id: t.id, name: t.name, context: t.context, expected: t.expected })), [testCases]);
  const editedOutcomes = useMemo(() => runTestCases(draftFlag, caseInputs, { environmentKey, ...evalEnv }), [draftFlag, caseInputs, environmentKey, evalEnv]);
  const savedOutcomes = useMemo(() => (savedFlag ? runTestCases(savedFlag, caseInputs, { environmentKey, ...evalEnv }) : []), [savedFlag, caseInputs, environmentKey, evalEnv]);
  const coverage = useMemo(() => coverageOf(normalized, editedOutcomes), [normalized, editedOutcomes]);
  const failing = editedOutcomes.filter((o) => o.passed === false);
  const highlighted = views.edited?.result.reason === "RULE_MATCH" ? views.edited.result.ruleId : null;

  // Saving.
  const dialogRef = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState("");
  const [acceptFailing, setAcceptFailing] = useState(false);
  const [saveError, setSaveError] = useState<ActionError | null>(null);
  const [savedNotice, setSavedNotice] = useState<string | null>(null);
  const [proposalTitle, setProposalTitle] = useState("");
  const [proposed, setProposed] = useState<{ number: number; path: string } | null>(null);
  const changes = useMemo(() => diffConfigs(normalizeConfig(base.config), normalized), [base.config, normalized]);
  const serverFailing = (saveError?.details as { failingTestCases?: FailingTestCase[] } | undefined)?.failingTestCases;
  const conflict = saveError?.code === "CONFLICT" ? (saveError.details as { currentVersion?: number; current?: FlagConfig } | undefined) : undefined;

  const save = useMutation({
    mutationFn: async () => {
      const result = await saveFlagConfigAction({
        projectKey,
        environmentKey,
        flagKey,
        config: normalized,
        expectedVersion: base.version,
        reason: reason.trim() || undefined,
        acceptFailingTestCases: acceptFailing,
        ...(envState.requireReview ? { proposal: { ...(proposalTitle.trim() ? { title: proposalTitle.trim() } : {}) } } : {}),
      });
      if (!result.ok) throw result.error;
      return result.data;
    },
    onSuccess: async (saved) => {
      if (saved.changeRequest) {
        // Nothing is live yet: the page goes back to the live configuration; the edit is in the request.
        setDraft(base.config);
        setSaveError(null);
        setReason("");
        setProposalTitle("");
        dialogRef.current?.close();
        setProposed(saved.changeRequest);
        return;
      }
      setBase({ version: saved.version, config: normalized });
      setDraft(normalized);
      setSaveError(null);
      setReason("");
      setAcceptFailing(false);
      dialogRef.current?.close();
      setSavedNotice(`Saved version ${saved.version} in ${envState.name}. SDKs and OFREP serve it now.`);
      await invalidate(environmentKey);
    },
    onError: (error) => {
      const e = error as unknown as ActionError;
      setSaveError(e);
      const details = e.details as { issues?: ValidationIssue[] } | undefined;
      const fromFields: ValidationIssue[] = Object.entries(e.fieldErrors ?? {})
        .filter(([path]) => path.startsWith("config."))
        .map(([path, message]) => ({ path: path.slice("config.".length).split(".").map((p) => (/^\d+$/.test(p) ? Number(p) : p)), message, code: "schema" }));
      if (details?.issues?.length || fromFields.length) setServerIssues([...(details?.issues ?? []), ...fromFields]);
    },
  });

  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);

  function openSave() {
    setSaveError(null);
    setSavedNotice(null);
    setAcceptFailing(false);
    dialogRef.current?.showModal();
  }

  function loadTheirs(current: FlagConfig, version: number) {
    setBase({ version, config: current });
    setDraft(current);
    setSaveError(null);
    dialogRef.current?.close();
    void invalidate(environmentKey);
  }

  const variations = data.flag.variations;
  const environments = data.environments.map((e) => ({ key: e.key, name: e.name }));
  const errors = issues.all.filter((i) => i.severity === "error");
  const warnings = issues.all.filter((i) => i.severity === "warning");
  const offError = issues.messageAt("offVariation");
  const canSave = dirty && errors.length === 0 && !save.isPending;
  // Turning the flag off here: the flags that require another variation than the off one change too.
  const dependenciesHere = dependencies.find((d) => d.environmentKey === environmentKey);
  const brokenByOff = base.config.on && !draft.on && dependenciesHere ? dependentsBrokenBy(dependenciesHere, flagKey, draft.offVariation) : [];
  const offWarning = brokenByOff.length ? (
    <Notice tone="warning" title={`Turning ${flagKey} off changes the flags that require it`}>
      <ul className="list-disc pl-5" aria-label="Dependents whose results would change">
        {brokenByOff.map((edge) => (
          <li key={edge.flagKey}>
            {edge.flagName} (<code>{edge.flagKey}</code>) wants {edge.via} to serve {edge.variations.map((v) => `“${v}”`).join(" or ")}
          </li>
        ))}
      </ul>
    </Notice>
  ) : null;

  return (
    <div>
      <FlagHeader data={data} projectKey={projectKey} environmentKey={environmentKey} now={now} />
      <KillSwitchBanner projectKey={projectKey} environmentKey={environmentKey} flagKey={flagKey} canAcknowledge={killSwitch.canAcknowledge} />
      {killSwitch.canUse && envState.config ? (
        <KillSwitchControl
          on={envState.config.on}
          target={{ projectKey, flagKey, environment: envState, variations: data.flag.variations.map((v) => v.key), offVariation: envState.config.offVariation }}
        />
      ) : null}
      {justCreated ? (
        <Notice tone="success" className="mb-4" title="Flag created">
          It is off in every environment and serves its off variation. Turn it on and target it below.
        </Notice>
      ) : null}
      {!editable ? <Notice className="mb-4">You can read this flag and try contexts in Evaluate as…; only editors can change it.</Notice> : null}
      {editable && envState.requireReview ? (
        <Notice tone="warning" className="mb-4" title={`${envState.name} requires review`}>
          Edit and preview here; saving files a change request with the diff, and {envState.name} changes once it is approved and applied.
        </Notice>
      ) : null}
      {proposed ? (
        <Notice tone="success" className="mb-4" title={`Change request #${proposed.number} filed`}>
          Your change waits for review; the live configuration is unchanged until it is applied.{" "}
          <a href={proposed.path} className="font-medium underline">
            Open change request #{proposed.number}
          </a>
        </Notice>
      ) : null}
      {savedNotice ? (
        <Notice tone="success" className="mb-4">
          {savedNotice}
        </Notice>
      ) : null}
      {staleBase ? (
        <Notice tone="warning" className="mb-4" title="A newer version was saved">
          Someone saved version {server.version} while you were editing version {base.version}. Saving will report a conflict; you can then load their version or apply your edits on top of it.
        </Notice>
      ) : null}

      <div className="flex flex-col gap-6 xl:flex-row xl:items-start">
        <div className="min-w-0 flex-1 space-y-6">
          {editable ? (
            <section aria-label="Changes" className={cn("sticky top-0 z-10 rounded-lg border bg-white p-3 shadow-sm dark:bg-slate-950", dirty ? "border-indigo-300 dark:border-indigo-800" : "border-slate-200 dark:border-slate-800")}>
              <div className="flex flex-wrap items-center gap-2">
                <span className="text-sm font-medium">{dirty ? `Unsaved changes in ${envState.name}` : `No unsaved changes · version ${base.version}`}</span>
                {errors.length ? <Badge tone="red">{errors.length} problem{errors.length === 1 ? "" : "s"} to fix</Badge> : null}
                {failing.length ? <Badge tone="amber">{failing.length} test case{failing.length === 1 ? "" : "s"} would break</Badge> : null}
                <div className="ml-auto flex gap-2">
                  <Button type="button" variant="secondary" disabled={!dirty} onClick={() => edit(base.config)}>
                    Discard changes
                  </Button>
                  <Button type="button" disabled={!canSave} onClick={openSave}>
                    Review and save…
                  </Button>
                </div>
              </div>
              {errors.length ? (
                <div className="mt-2">
                  <p className="text-sm text-red-700 dark:text-red-400">Fix these before saving:</p>
                  <ul className="mt-1 max-h-40 list-disc space-y-0.5 overflow-y-auto pl-5 text-sm">
                    {errors.map((issue, i) => (
                      <li key={i}>
                        <button type="button" className="text-left underline decoration-dotted hover:text-indigo-600" onClick={() => focusField(issue.key)}>
                          {issue.message}
                        </button>
                      </li>
                    ))}
                  </ul>
                </div>
              ) : null}
              {warnings.length ? (
                <ul className="mt-2 list-disc pl-5 text-xs text-amber-700 dark:text-amber-300">
                  {warnings.map((w, i) => (
                    <li key={i}>{w.message}</li>
                  ))}
                </ul>
              ) : null}
            </section>
          ) : null}

          <section aria-labelledby="targeting-heading" className="space-y-4">
            <h2 id="targeting-heading" className="text-lg font-semibold">
              Targeting in {envState.name}
            </h2>
            <div className="flex flex-wrap items-end gap-6">
              {editable ? (
                <label className="inline-flex items-center gap-2 text-sm font-medium">
                  <input type="checkbox" role="switch" checked={draft.on} onChange={(e) => edit({ ...draft, on: e.target.checked })} className="h-4 w-4" />
                  Flag is on in {envState.name}
                </label>
              ) : (
                <p className="text-sm">
                  The flag is <Badge tone={draft.on ? "green" : "neutral"}>{draft.on ? "on" : "off"}</Badge> in {envState.name}.
                </p>
              )}
              <div>
                {editable ? (
                  <>
                    <label htmlFor={fieldDomId("offVariation")} className="mb-1 block text-sm font-medium">
                      Served when off
                    </label>
                    <select
                      id={fieldDomId("offVariation")}
                      value={draft.offVariation}
                      onChange={(e) => edit({ ...draft, offVariation: e.target.value })}
                      aria-invalid={offError ? true : undefined}
                      className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900"
                    >
                      {!variations.some((v) => v.key === draft.offVariation) ? <option value={draft.offVariation}>{draft.offVariation || "—"}</option> : null}
                      {variations.map((v) => (
                        <option key={v.key} value={v.key}>
                          {v.key}
                        </option>
                      ))}
                    </select>
                    {offError ? (
                      <p role="alert" className="mt-1 text-xs text-red-600">
                        {offError}
                      </p>
                    ) : null}
                  </>
                ) : (
                  <p className="text-sm">
                    Served when off: <CodeText text={`\`${draft.offVariation}\``} />
                  </p>
                )}
              </div>
            </div>
            {offWarning}
            <div>
              <h3 className="mb-2 font-medium">Prerequisites</h3>
              <PrerequisitesEditor prerequisites={draft.prerequisites} flags={targeting.flags} selfKey={flagKey} issues={issues} editable={editable} onChange={(prerequisites) => edit({ ...draft, prerequisites })} />
            </div>
            <div>
              <h3 className="mb-2 font-medium">Individual targets</h3>
              <TargetsEditor targets={draft.targets} variations={variations} issues={issues} editable={editable} onChange={(targets) => edit({ ...draft, targets })} />
            </div>
            <div>
              <h3 className="mb-2 font-medium">Rules</h3>
              <RuleBuilder
                rules={draft.rules}
                fallthrough={draft.fallthrough}
                onRulesChange={(rules) => edit({ ...draft, rules })}
                onFallthroughChange={(fallthrough) => edit({ ...draft, fallthrough })}
                catalog={targeting.catalog}
                segments={targeting.segments}
                variations={variations}
                issues={issues}
                highlightedRuleId={highlighted}
                highlightFallthrough={views.edited?.result.reason === "FALLTHROUGH"}
                reachedBy={testCases.length ? coverage.reachedBy : undefined}
                editable={editable}
              />
            </div>
          </section>

          <FlagDependencies projectKey={projectKey} environmentKey={environmentKey} flagKey={flagKey} dependencies={dependencies} />

          <TestCasesPanel
            projectKey={projectKey}
            flagKey={flagKey}
            environmentKey={environmentKey}
            environments={environments}
            variations={variations}
            testCases={testCases}
            editedOutcomes={new Map(editedOutcomes.map((o) => [o.id, o]))}
            savedOutcomes={new Map(savedOutcomes.map((o) => [o.id, o]))}
            coverage={coverage}
            ruleCount={normalized.rules.length}
            editable={editable}
            actions={{ create: createFlagTestCaseAction, update: updateFlagTestCaseAction, remove: deleteFlagTestCaseAction }}
            onEvaluate={(tc) => setContextText(JSON.stringify(tc.context, null, 2))}
            onChanged={() => invalidate()}
            currentContextText={"context" in parsedContext ? contextText : "{}"}
          />

          <section aria-labelledby="variations-heading">
            <h2 id="variations-heading" className="mb-2 text-lg font-semibold">
              Variations
            </h2>
            {editable ? (
              <VariationsEditor
                // A saved change (here or elsewhere) restarts the editor from the stored variations.
                key={JSON.stringify(variations)}
                projectKey={projectKey}
                flagKey={flagKey}
                valueType={data.flag.valueType}
                variations={variations}
                environments={data.environments}
                dependencies={dependencies}
                action={updateFlagVariationsAction}
                onSaved={() => invalidate(environmentKey)}
              />
            ) : (
              <table className="w-full text-left text-sm">
                <thead className="border-b border-slate-200 text-slate-500 dark:border-slate-800">
                  <tr>
                    <th className="py-1 pr-3 font-medium">Key</th>
                    <th className="py-1 pr-3 font-medium">Name</th>
                    <th className="py-1 pr-3 font-medium">Value</th>
                    <th className="py-1 font-medium">Description</th>
                  </tr>
                </thead>
                <tbody>
                  {variations.map((v) => (
                    <tr key={v.key} className="border-b border-slate-100 align-top dark:border-slate-900">
                      <td className="py-1 pr-3 font-mono">{v.key}</td>
                      <td className="py-1 pr-3">{v.name ?? "—"}</td>
                      <td className="max-w-80 py-1 pr-3">
                        <code className="block truncate text-xs" title={JSON.stringify(v.value)}>
                          {JSON.stringify(v.value)}
                        </code>
                      </td>
                      <td className="py-1 text-slate-600 dark:text-slate-400">{v.description ?? ""}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>

          {editable ? (
            <section aria-labelledby="settings-heading">
              <details>
                <summary className="cursor-pointer">
                  <h2 id="settings-heading" className="inline text-lg font-semibold">
                    Settings
                  </h2>{" "}
                  <span className="text-sm text-slate-500">name, owner, tags, expiry, stage, visibility (all environments)</span>
                </summary>
                <div className="mt-3">
                  <FlagSettingsForm
                    // A saved change (here or elsewhere) restarts the form from the stored settings.
                    key={JSON.stringify([data.flag.name, data.flag.description, data.flag.owner, data.flag.tags, data.flag.expiresAt, data.flag.clientVisible, data.flag.lifecycle])}
                    projectKey={projectKey}
                    flag={data.flag}
                    members={members}
                    action={updateFlagSettingsAction}
                    onSaved={() => invalidate()}
                  />
                </div>
              </details>
            </section>
          ) : null}

          {editable && data.flag.lifecycle !== "archived" ? (
            <section aria-labelledby="archive-heading">
              <h2 id="archive-heading" className="mb-2 text-lg font-semibold">
                Archive
              </h2>
              <p className="mb-2 text-sm text-slate-600 dark:text-slate-400">Retire the flag once its code is gone: it leaves every snapshot; its history stays.</p>
              <ArchiveFlagDialog projectKey={projectKey} environmentKey={environmentKey} flagKey={flagKey} dependencies={dependencies} action={archiveFlagAction} />
            </section>
          ) : null}

          <section aria-labelledby="history-heading">
            <h2 id="history-heading" className="mb-2 text-lg font-semibold">
              History
            </h2>
            <FlagHistory entries={history} environments={environments} />
          </section>
        </div>

        <aside className="w-full shrink-0 xl:sticky xl:top-4 xl:w-96">
          <EvaluatePanel
            contextText={contextText}
            onContextText={setContextText}
            parseError={"error" in parsedContext ? parsedContext.error : undefined}
            personas={testCases}
            recentContexts={recentContexts}
            catalog={targeting.catalog}
            saved={views.saved}
            edited={views.edited}
            dirty={dirty}
            showEdited={editable}
          />
          {editable ? (
            <div className="mt-4">
              <FlagImpactPanel
                projectKey={projectKey}
                environmentKey={environmentKey}
                environmentName={envState.name}
                flagKey={flagKey}
                draftText={dirty && errors.length === 0 ? draftCanonical : null}
                idleMessage={dirty ? "Fix the problems in the edit to preview its impact." : "Edit the configuration to see how many recently seen contexts it would move to another variation."}
              />
            </div>
          ) : null}
        </aside>
      </div>

      {editable ? (
        <DialogForm
          ref={dialogRef}
          title={envState.requireReview ? `Propose a change to ${flagKey} in ${envState.name}` : `Save ${flagKey} in ${envState.name}`}
          width="2xl"
          formClassName="space-y-4 p-5"
          onClose={() => setSaveError((e) => (e?.code === "CONFLICT" ? e : null))}
          onSubmit={() => save.mutate()}
        >
          {envState.requireReview ? (
            <div>
              <label htmlFor="proposal-title" className="mb-1 block text-sm font-medium">
                Change request title
              </label>
              <input id="proposal-title" value={proposalTitle} onChange={(e) => setProposalTitle(e.target.value)} maxLength={200} placeholder={`Change flag ${flagKey} in ${envState.name}`} className="w-full rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900" />
            </div>
          ) : null}
          <div>
            <h3 className="mb-1 text-sm font-medium">{envState.requireReview ? `This proposes, against version ${base.version}:` : `This saves version ${base.version + 1}:`}</h3>
            {changes.length ? (
              <ul className="list-disc space-y-0.5 pl-5 text-sm" aria-label="Summary of changes">
                {changes.map((line, i) => (
                  <li key={i}>
                    <CodeText text={line} />
                  </li>
                ))}
              </ul>
            ) : (
              <p className="text-sm text-slate-500">No changes.</p>
            )}
          </div>
          <div>
            <label htmlFor="save-reason" className="mb-1 block text-sm font-medium">
              {envState.requireReview ? "Description for reviewers" : "Reason for the change (recorded in the history)"}
            </label>
            <textarea id="save-reason" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={2000} className="w-full rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900" />
          </div>
          {offWarning}
          {failing.length || serverFailing?.length ? (
            <div className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm dark:border-amber-800 dark:bg-amber-950">
              <p className="font-medium">These test cases will fail:</p>
              <ul className="mt-1 list-disc pl-5">
                {(serverFailing ?? failing.map((o) => ({ id: o.id, name: o.name, expected: o.expected ?? "", actual: o.result.variationKey ?? null }))).map((f) => (
                  <li key={f.id}>
                    “{f.name}” expects <code>{f.expected}</code>, gets <code>{f.actual ?? "an error"}</code>
                  </li>
                ))}
              </ul>
              <label className="mt-2 flex items-start gap-2">
                <input type="checkbox" checked={acceptFailing} onChange={(e) => setAcceptFailing(e.target.checked)} className="mt-0.5" />
                <span>Save anyway: I intend these test cases to fail. (This is recorded with the change.)</span>
              </label>
            </div>
          ) : null}
          {saveError && saveError.code !== "CONFLICT" && !serverFailing ? (
            <Notice tone="error" title={saveError.code === "REVIEW_REQUIRED" ? "Not saved: review required" : "Not saved"}>
              <CodeText text={saveError.message} />
              {saveError.code === "VALIDATION_FAILED" ? <p className="mt-1">The problems are shown at their fields.</p> : null}
            </Notice>
          ) : null}
          {conflict ? (
            <Notice tone="error" title="Not saved: someone else saved first">
              <p>
                <CodeText text={saveError!.message} />
              </p>
              {conflict.current ? (
                <>
                  <p className="mt-2 font-medium">Their change:</p>
                  <ul className="list-disc pl-5">
                    {diffConfigs(normalizeConfig(base.config), normalizeConfig(conflict.current)).map((line, i) => (
                      <li key={i}>
                        <CodeText text={line} />
                      </li>
                    ))}
                  </ul>
                  <div className="mt-2 flex flex-wrap gap-2">
                    <Button type="button" variant="secondary" onClick={() => loadTheirs(conflict.current!, conflict.currentVersion!)}>
                      Reload their version (discard my edits)
                    </Button>
                    <Button
                      type="button"
                      variant="secondary"
                      onClick={() => {
                        setBase({ version: conflict.currentVersion!, config: conflict.current! });
                        setSaveError(null);
                      }}
                    >
                      Keep my edits on top of theirs
                    </Button>
                  </div>
                </>
              ) : null}
            </Notice>
          ) : null}
          <div className="flex justify-end gap-2">
            <Button type="button" variant="secondary" onClick={() => dialogRef.current?.close()}>
              Cancel
            </Button>
            <Button type="submit" disabled={save.isPending || errors.length > 0 || ((failing.length > 0 || !!serverFailing?.length) && !acceptFailing) || !!conflict}>
              {save.isPending ? "Saving…" : envState.requireReview ? "File change request" : `Save to ${envState.name}`}
            </Button>
          </div>
        </DialogForm>
      ) : null}
    </div>
  );
}
