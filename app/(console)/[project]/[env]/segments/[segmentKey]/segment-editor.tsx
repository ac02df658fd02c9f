"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMemo, useState, type FormEvent } from "react";
import { IssueIndex } from "@/components/rule-builder/issue-paths";
import { PageHeader } from "@/components/shell/page-header";
import { KeyListEditor } from "@/components/segments/key-list-editor";
import { SegmentRulesEditor } from "@/components/segments/segment-rules-editor";
import { FormError } from "@/components/ui/form-error";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import { useAction } from "@/components/ui/use-action";
import { validateSegment } from "@/lib/evaluation";
import type { SegmentRule } from "@/lib/evaluation/types";
import type { SegmentImpact } from "@/lib/segments/preview-segment-impact";
import type { SegmentPageData, SegmentUsageEntry } from "@/lib/segments/segment-console-data";
import { deleteSegmentAction, saveSegmentConfigAction, updateSegmentAction } from "../actions";
import { fetchSegmentImpact, useInvalidateSegments, useSegmentPage } from "../segment-queries";

interface Draft {
  /** The saved version this draft started from. */
  version: number;
  included: string[];
  excluded: string[];
  rules: SegmentRule[];
  /** Bumped on every edit, so a preview knows which draft it describes. */
  revision: number;
}

const draftOf = (config: SegmentPageData["config"]): Draft => ({ ...config, revision: 0 });

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export function SegmentEditor(props: {
  projectKey: string;
  environmentKey: string;
  segmentKey: string;
  editable: boolean;
  owners: { email: string; name: string }[];
  initial: SegmentPageData;
}) {
  const { projectKey, environmentKey, segmentKey, editable } = props;
  const { data } = useSegmentPage(projectKey, environmentKey, segmentKey, props.initial);
  const invalidate = useInvalidateSegments(projectKey, environmentKey);
  const router = useRouter();
  const [draft, setDraft] = useState<Draft>(() => draftOf(data.config));
  const [seenVersion, setSeenVersion] = useState(data.config.version);
  const [impact, setImpact] = useState<{ revision: number; result: SegmentImpact } | null>(null);
  const [impactError, setImpactError] = useState<string | null>(null);
  const [previewing, setPreviewing] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const [reason, setReason] = useState("");
  const save = useAction(saveSegmentConfigAction);
  const remove = useAction(deleteSegmentAction);

  // A newer saved version (ours once saved, or someone else's) replaces a draft nobody has edited.
  if (data.config.version !== seenVersion) {
    setSeenVersion(data.config.version);
    if (draft.revision === 0) setDraft(draftOf(data.config));
  }
  // Just saved (the page has not read the new version back yet): nothing is pending.
  const savedAhead = draft.version > data.config.version;
  const dirty = !savedAhead && (!sameList(draft.included, data.config.included) || !sameList(draft.excluded, data.config.excluded) || JSON.stringify(draft.rules) !== JSON.stringify(data.config.rules));
  const stale = draft.version < data.config.version;

  const edit = (change: Partial<Omit<Draft, "revision" | "version">>) => {
    setSaved(null);
    save.clearError();
    setDraft((d) => ({ ...d, ...change, revision: d.revision + 1 }));
  };

  // The environment's other segments as the engine sees them (their key lists do not matter here).
  const otherSegments = useMemo(() => data.otherSegments.map((s) => ({ key: s.key, name: s.name, included: [], excluded: [], rules: s.rules })), [data.otherSegments]);
  // The engine's own validation, as the save will run it, on every edit.
  const validation = useMemo(
    () => validateSegment({ key: segmentKey, included: draft.included, excluded: draft.excluded, rules: draft.rules }, data.catalog, otherSegments),
    [segmentKey, draft.included, draft.excluded, draft.rules, data.catalog, otherSegments],
  );
  const warnings = validation.filter((issue) => issue.severity === "warning");
  // Problems by field for the rules editor (key-list warnings can number 100,000: left out).
  const issues = useMemo(() => new IssueIndex(validation.filter((issue) => issue.severity !== "warning")), [validation]);
  const errors = issues.all.filter((issue) => issue.severity === "error");
  const serverIssues = (save.error?.details as { issues?: { message: string }[] } | undefined)?.issues ?? [];
  const blocked = errors.length > 0;
  const previewCurrent = impact !== null && impact.revision === draft.revision;
  const reviewRequired = data.environment.requireReview;

  async function preview() {
    setPreviewing(true);
    setImpactError(null);
    const revision = draft.revision;
    try {
      const result = await fetchSegmentImpact(projectKey, environmentKey, segmentKey, { included: draft.included, excluded: draft.excluded, rules: draft.rules });
      setImpact({ revision, result });
    } catch (error) {
      setImpactError(error instanceof Error ? error.message : String(error));
    } finally {
      setPreviewing(false);
    }
  }

  function onSave() {
    save.run(
      {
        projectKey,
        environmentKey,
        segmentKey,
        version: draft.version,
        // As JSON text: React's action decoder refuses very large arrays (see saveSegmentConfigActionSchema).
        included: JSON.stringify(draft.included),
        excluded: JSON.stringify(draft.excluded),
        rules: draft.rules,
        ...(reason.trim() ? { reason } : {}),
      },
      (result) => {
        const removed = result.removedDuplicates.included + result.removedDuplicates.excluded;
        setSaved(`Saved version ${result.version} in ${data.environment.name}.${removed ? ` ${removed.toLocaleString("en")} duplicate keys were removed.` : ""}`);
        setImpact(null);
        setReason("");
        // Saved: the draft is now that version, unedited, until the page reads it back.
        setDraft((d) => ({ ...d, version: result.version, revision: 0 }));
        void invalidate(segmentKey);
      },
    );
  }

  const segment = data.segment;
  return (
    <section className="space-y-8">
      <PageHeader
        title={segment.name}
        description={
          <>
            Segment <code>{segment.key}</code>
            {segment.description ? ` · ${segment.description}` : ""}
          </>
        }
        actions={
          <Link href={`/${projectKey}/${environmentKey}/segments`} className="text-sm text-indigo-700 hover:underline dark:text-indigo-300">
            All segments
          </Link>
        }
      />
      <SegmentDetails projectKey={projectKey} environmentKey={environmentKey} data={data} editable={editable} owners={props.owners} />

      <div className="space-y-2">
        <h2 className="text-lg font-semibold">Membership in {data.environment.name}</h2>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          A context is in the segment when its key is included or it matches a rule — unless its key is excluded. Each environment has its own membership; this page edits{" "}
          {data.environment.name} (version {data.config.version}).
        </p>
        {!editable ? <Notice>You can read this segment; changing it needs the editor role.</Notice> : null}
        {editable && reviewRequired ? (
          <Notice tone="warning" title={`Changes in ${data.environment.name} need a reviewed change request`}>
            Saving here directly is refused until change requests are available. You can still preview the impact of an edit.
          </Notice>
        ) : null}
        {stale ? <Notice tone="warning">Someone saved version {data.config.version} since you started editing. Saving yours will be refused; reload to start from theirs.</Notice> : null}
      </div>

      <div className="grid gap-8 lg:grid-cols-2">
        <KeyListEditor title="Included keys" noun="included" keys={draft.included} editable={editable} onChange={(included) => edit({ included })} />
        <KeyListEditor title="Excluded keys" noun="excluded" keys={draft.excluded} editable={editable} onChange={(excluded) => edit({ excluded })} />
      </div>
      {warnings.length > 0 ? (
        <Notice tone="warning">
          {warnings.length === 1 ? warnings[0].message : `${warnings.length.toLocaleString("en")} keys are both included and excluded; they are excluded (exclusion wins).`}
        </Notice>
      ) : null}

      <div className="space-y-3">
        <h2 className="text-lg font-semibold">Rules</h2>
        <p className="text-sm text-slate-600 dark:text-slate-400">A context matching any rule is in the segment.</p>
        <SegmentRulesEditor
          rules={draft.rules}
          catalog={data.catalog}
          segments={otherSegments}
          issues={issues}
          editable={editable}
          onChange={(rules) => edit({ rules })}
        />
      </div>

      <UsedBy projectKey={projectKey} usage={data.usage} environments={data.environments} />

      {editable ? (
        <div className="space-y-3 rounded-md border border-slate-200 p-4 dark:border-slate-800">
          <h2 className="text-lg font-semibold">Impact and save</h2>
          {saved ? <Notice tone="success">{saved}</Notice> : null}
          {!dirty && !saved ? <p className="text-sm text-slate-500">No unsaved changes.</p> : null}
          {blocked ? (
            <Notice tone="error" title="Fix the problems marked above before saving">
              <ul className="list-disc pl-5">
                {errors.slice(0, 5).map((issue, i) => (
                  <li key={i}>{issue.message}</li>
                ))}
              </ul>
            </Notice>
          ) : null}
          {dirty ? (
            <>
              <div className="flex flex-wrap items-center gap-3">
                <Button type="button" variant="secondary" disabled={previewing || blocked} onClick={preview}>
                  {previewing ? "Previewing…" : previewCurrent ? "Preview impact again" : "Preview impact"}
                </Button>
                {!previewCurrent ? <span className="text-sm text-slate-500">Preview the impact of this edit to save it.</span> : null}
              </div>
              {impactError ? <Notice tone="error">{impactError}</Notice> : null}
              {impact && previewCurrent ? <ImpactReport projectKey={projectKey} impact={impact.result} /> : null}
              {impact && !previewCurrent ? <p className="text-sm text-amber-700 dark:text-amber-300">The draft changed since this preview; preview again.</p> : null}
              {previewCurrent ? (
                <div className="flex flex-wrap items-end gap-3">
                  <TextField className="min-w-72 flex-1" label="Reason for the change (optional)" value={reason} onChange={(e) => setReason(e.target.value)} />
                  <Button type="button" disabled={save.pending || blocked || reviewRequired || stale} onClick={onSave}>
                    {save.pending ? "Saving…" : "Save changes"}
                  </Button>
                </div>
              ) : null}
              {save.error ? (
                <Notice tone="error" title={save.error.message}>
                  {serverIssues.length > 1 ? (
                    <ul className="list-disc pl-5">
                      {serverIssues.slice(1, 6).map((issue, i) => (
                        <li key={i}>{issue.message}</li>
                      ))}
                    </ul>
                  ) : null}
                </Notice>
              ) : null}
              <Button type="button" variant="ghost" onClick={() => { setDraft(draftOf(data.config)); setImpact(null); save.clearError(); }}>
                Discard changes
              </Button>
            </>
          ) : null}
        </div>
      ) : null}

      {editable ? (
        <div className="space-y-2 rounded-md border border-red-200 p-4 dark:border-red-900">
          <h2 className="text-lg font-semibold">Delete this segment</h2>
          <p className="text-sm text-slate-600 dark:text-slate-400">Removes it from every environment. Refused while any flag or segment refers to it.</p>
          {remove.error ? <DeleteRefusal projectKey={projectKey} message={remove.error.message} details={remove.error.details} /> : null}
          <Button
            type="button"
            variant="danger"
            disabled={remove.pending}
            onClick={() => {
              if (confirm(`Delete segment “${segment.key}” in every environment?`)) {
                remove.run({ projectKey, segmentKey }, () => {
                  void invalidate();
                  router.push(`/${projectKey}/${environmentKey}/segments`);
                });
              }
            }}
          >
            Delete segment
          </Button>
        </div>
      ) : null}
    </section>
  );
}

function SegmentDetails({ projectKey, environmentKey, data, editable, owners }: { projectKey: string; environmentKey: string; data: SegmentPageData; editable: boolean; owners: { email: string; name: string }[] }) {
  const [open, setOpen] = useState(false);
  const update = useAction(updateSegmentAction);
  const invalidate = useInvalidateSegments(projectKey, environmentKey);
  const segment = data.segment;
  const errors = update.error?.fieldErrors ?? {};

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const owner = String(form.get("ownerEmail") ?? "");
    update.run(
      {
        projectKey,
        segmentKey: segment.key,
        name: form.get("name"),
        description: form.get("description"),
        tags: String(form.get("tags") ?? "")
          .split(",")
          .map((t) => t.trim())
          .filter(Boolean),
        ownerEmail: owner || null,
      },
      () => {
        setOpen(false);
        void invalidate(segment.key);
      },
    );
  }

  return (
    <div className="space-y-2">
      <dl className="flex flex-wrap gap-x-8 gap-y-1 text-sm">
        <div>
          <dt className="inline text-slate-500">Owner: </dt>
          <dd className="inline">{segment.owner ? segment.owner.name : "nobody"}</dd>
        </div>
        <div>
          <dt className="inline text-slate-500">Tags: </dt>
          <dd className="inline">
            {segment.tags.length ? (
              <span className="inline-flex flex-wrap gap-1">
                {segment.tags.map((tag) => (
                  <Badge key={tag}>{tag}</Badge>
                ))}
              </span>
            ) : (
              "none"
            )}
          </dd>
        </div>
        <div>
          <dt className="inline text-slate-500">Sizes: </dt>
          <dd className="inline">
            {segment.environments.map((e) => `${e.key} ${e.includedCount.toLocaleString("en")} in / ${e.excludedCount.toLocaleString("en")} out / ${e.ruleCount} rules`).join(" · ")}
          </dd>
        </div>
      </dl>
      {editable && !open ? (
        <Button type="button" variant="secondary" onClick={() => setOpen(true)}>
          Edit details
        </Button>
      ) : null}
      {open ? (
        <form onSubmit={onSubmit} aria-label="Segment details" className="grid gap-4 rounded-md border border-slate-200 p-4 sm:grid-cols-2 dark:border-slate-800">
          <TextField label="Name" name="name" defaultValue={segment.name} required error={errors.name} />
          <TextField label="Description" name="description" defaultValue={segment.description} error={errors.description} />
          <TextField label="Tags" name="tags" defaultValue={segment.tags.join(", ")} hint="Separated by commas." error={errors.tags} />
          <SelectField label="Owner" name="ownerEmail" defaultValue={segment.owner?.email ?? ""} error={errors.ownerEmail}>
            <option value="">No owner</option>
            {owners.map((o) => (
              <option key={o.email} value={o.email}>
                {o.name} ({o.email})
              </option>
            ))}
          </SelectField>
          <FormError error={update.error} className="sm:col-span-2" />
          <div className="flex gap-2 sm:col-span-2">
            <Button type="submit" disabled={update.pending}>
              Save details
            </Button>
            <Button type="button" variant="secondary" onClick={() => setOpen(false)}>
              Cancel
            </Button>
          </div>
        </form>
      ) : null}
    </div>
  );
}

function usageHref(projectKey: string, entry: SegmentUsageEntry) {
  return `/${projectKey}/${entry.environmentKey}/${entry.kind === "flag" ? "flags" : "segments"}/${encodeURIComponent(entry.key)}`;
}

/** What refers to the segment, per environment. */
function UsedBy({ projectKey, usage, environments }: { projectKey: string; usage: SegmentUsageEntry[]; environments: { key: string; name: string }[] }) {
  return (
    <div className="space-y-2">
      <h2 className="text-lg font-semibold">Used by</h2>
      {usage.length === 0 ? (
        <p className="text-sm text-slate-500">No flag or segment refers to this segment in any environment.</p>
      ) : (
        <dl className="space-y-2 text-sm">
          {environments.map((env) => {
            const here = usage.filter((u) => u.environmentKey === env.key);
            return (
              <div key={env.key}>
                <dt className="font-medium">{env.name}</dt>
                <dd>
                  {here.length === 0 ? (
                    <span className="text-slate-500">nothing</span>
                  ) : (
                    <ul className="flex flex-wrap gap-x-4 gap-y-1">
                      {here.map((entry) => (
                        <li key={`${entry.kind}:${entry.key}`}>
                          {entry.kind === "flag" ? "Flag" : "Segment"}{" "}
                          <Link href={usageHref(projectKey, entry)} className="text-indigo-700 hover:underline dark:text-indigo-300">
                            {entry.name}
                          </Link>{" "}
                          <code className="text-xs text-slate-500">{entry.key}</code>
                          {entry.archived ? (
                            <Badge className="ml-1" tone="neutral">
                              archived
                            </Badge>
                          ) : null}
                        </li>
                      ))}
                    </ul>
                  )}
                </dd>
              </div>
            );
          })}
        </dl>
      )}
    </div>
  );
}

function ImpactReport({ projectKey, impact }: { projectKey: string; impact: SegmentImpact }) {
  const { sample, membership } = impact;
  const elsewhere = [...new Set(impact.usage.flags.filter((f) => f.environmentKey !== impact.environmentKey).map((f) => f.environmentKey))];
  return (
    <section aria-label="Impact of this edit" className="space-y-3 rounded-md bg-slate-50 p-3 text-sm dark:bg-slate-900">
      <h3 className="font-semibold">Impact in {impact.environmentName}</h3>
      {sample.contexts === 0 ? (
        <p>
          No contexts were seen in {impact.environmentName} in the last {sample.days} days (no exposure events), so the effect on people cannot be estimated
          {impact.flags.length ? "; the flags below are those the edit can change" : ""}.
        </p>
      ) : (
        <p>
          Replayed the {sample.contexts.toLocaleString("en")} context{sample.contexts === 1 ? "" : "s"} seen most recently in {impact.environmentName} (last {sample.days} days
          {sample.contexts >= sample.limit ? `, the latest ${sample.limit.toLocaleString("en")}` : ""}). In the segment: {membership.before.toLocaleString("en")} now,{" "}
          {membership.after.toLocaleString("en")} after the edit ({membership.joined.toLocaleString("en")} join, {membership.left.toLocaleString("en")} leave).
        </p>
      )}
      {impact.privateAttributes.length > 0 ? (
        <Notice tone="warning">
          The rules use private attributes ({impact.privateAttributes.join(", ")}). Events never store them, so the replayed contexts lack them and may be counted as not matching.
        </Notice>
      ) : null}
      {impact.flags.length === 0 ? (
        <p>No flag evaluates this segment in {impact.environmentName}: saving changes nobody&apos;s variation here.</p>
      ) : (
        <table className="w-full text-left">
          <thead className="text-slate-500">
            <tr>
              <th className="py-1 pr-4 font-medium">Flag in {impact.environmentName}</th>
              <th className="py-1 pr-4 font-medium">Uses the segment</th>
              <th className="py-1 pr-4 font-medium">Contexts that would change variation</th>
            </tr>
          </thead>
          <tbody>
            {impact.flags.map((flag) => (
              <tr key={flag.flagKey} className="border-t border-slate-200 align-top dark:border-slate-800">
                <td className="py-1 pr-4">
                  <Link href={`/${projectKey}/${impact.environmentKey}/flags/${encodeURIComponent(flag.flagKey)}`} className="text-indigo-700 hover:underline dark:text-indigo-300">
                    {flag.flagName}
                  </Link>{" "}
                  <code className="text-xs text-slate-500">{flag.flagKey}</code>
                </td>
                <td className="py-1 pr-4">{flag.direct ? "in its rules" : "through another segment or a prerequisite"}</td>
                <td className="py-1 pr-4">
                  <span className="font-medium">
                    {flag.changed.toLocaleString("en")}
                    {sample.contexts ? ` of ${sample.contexts.toLocaleString("en")}` : ""}
                  </span>
                  {flag.transitions.length ? (
                    <span className="text-slate-500"> ({flag.transitions.map((t) => `${t.from} → ${t.to}: ${t.count.toLocaleString("en")}`).join("; ")})</span>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {elsewhere.length ? <p className="text-slate-500">Also used in {elsewhere.join(", ")}: those environments keep their own membership and are not changed by this save.</p> : null}
    </section>
  );
}

/** A refused deletion, with the flags and segments that still refer to the segment. */
function DeleteRefusal({ projectKey, message, details }: { projectKey: string; message: string; details: unknown }) {
  const usage = details as { usedBy?: { flagKey: string; environmentKey: string; archived: boolean }[]; usedBySegments?: { segmentKey: string; environmentKey: string }[] } | undefined;
  const entries: SegmentUsageEntry[] = [
    ...(usage?.usedBy ?? []).map((f) => ({ kind: "flag" as const, key: f.flagKey, name: f.flagKey, environmentKey: f.environmentKey, archived: f.archived })),
    ...(usage?.usedBySegments ?? []).map((s) => ({ kind: "segment" as const, key: s.segmentKey, name: s.segmentKey, environmentKey: s.environmentKey, archived: false })),
  ];
  return (
    <Notice tone="error" title={message}>
      {entries.length ? (
        <ul className="list-disc pl-5">
          {entries.map((entry) => (
            <li key={`${entry.kind}:${entry.key}:${entry.environmentKey}`}>
              <Link className="underline" href={usageHref(projectKey, entry)}>
                {entry.kind} {entry.key}
              </Link>{" "}
              in {entry.environmentKey}
              {entry.archived ? " (archived)" : ""}
            </li>
          ))}
        </ul>
      ) : null}
    </Notice>
  );
}
