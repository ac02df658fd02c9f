"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useDeferredValue, useState } from "react";
import { promoteFlagAction } from "@/app/(console)/[project]/[env]/flags/[flagKey]/compare/actions";
import { Button } from "@/components/ui/button";
import { CodeText } from "@/components/ui/code-text";
import { CheckboxField, SelectField, TextAreaField, TextField } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { Notice } from "@/components/ui/notice";
import type { ActionError } from "@/lib/actions/define-action";
import type { PromotionPreview } from "@/lib/change-requests/promote-flag";
import { describeRule, describeServe, ruleLabel } from "@/lib/change-requests/config-diff";
import type { PromotionScope } from "@/lib/change-requests/promote-config";
import type { FlagConfig } from "@/lib/evaluation/types";
import type { FlagEnvironmentState, FlagPageData } from "@/lib/flags/flag-page-data";

interface Props {
  projectKey: string;
  data: FlagPageData;
  initialFrom: string;
  initialTo: string;
  editable: boolean;
}

type Parts = Omit<Extract<PromotionScope, { kind: "parts" }>, "kind" | "ruleIds">;
const NO_PARTS: Parts = { targets: false, fallthrough: false, prerequisites: false, state: false };
const PART_LABELS: Record<keyof Parts, string> = {
  state: "On/off and the off variation",
  targets: "Individual targets",
  fallthrough: "Default rule (fallthrough)",
  prerequisites: "Prerequisites",
};

async function fetchPreview(projectKey: string, flagKey: string, body: { from: string; to: string; scope: PromotionScope }): Promise<PromotionPreview> {
  const response = await fetch(`/api/console/projects/${encodeURIComponent(projectKey)}/flags/${encodeURIComponent(flagKey)}/promotion`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify(body),
  });
  const json = await response.json().catch(() => null);
  if (!response.ok) throw new Error(json?.error?.message ?? `The preview failed (${response.status}).`);
  return json as PromotionPreview;
}

/** One environment's configuration in plain words; the source's rules can be ticked for copying. */
function ConfigColumn({ env, config, choose }: { env: FlagEnvironmentState; config: FlagConfig | null; choose?: { chosen: Set<string>; toggle: (id: string) => void } }) {
  return (
    <section aria-label={`${env.name} configuration`} className="rounded-md border border-slate-200 p-3 text-sm dark:border-slate-800">
      <h2 className="mb-2 flex items-center gap-2 font-semibold">
        <span aria-hidden className="h-2.5 w-2.5 rounded-full" style={{ backgroundColor: env.color }} />
        {env.name} <span className="text-xs font-normal text-slate-500">version {env.version ?? "—"}</span>
      </h2>
      {!config ? (
        <p className="text-slate-500">Not configured.</p>
      ) : (
        <dl className="space-y-2">
          <div>
            <dt className="text-slate-500">State</dt>
            <dd>{config.on ? "On" : `Off (serves ${config.offVariation})`}</dd>
          </div>
          <div>
            <dt className="text-slate-500">Individual targets</dt>
            <dd>{config.targets.length ? config.targets.map((t) => `${t.values.length} → ${t.variation}`).join(", ") : "none"}</dd>
          </div>
          <div>
            <dt className="text-slate-500">Rules</dt>
            <dd>
              {config.rules.length === 0 ? (
                "none"
              ) : (
                <ol className="space-y-1">
                  {config.rules.map((rule, index) => (
                    <li key={rule.id}>
                      {choose ? (
                        <CheckboxField label={`Copy ${ruleLabel(rule, index, false)}`} checked={choose.chosen.has(rule.id)} onChange={() => choose.toggle(rule.id)} />
                      ) : (
                        <span className="font-medium">{ruleLabel(rule, index)}</span>
                      )}
                      <CodeText className="block pl-6 text-slate-600 dark:text-slate-400" text={describeRule(rule)} />
                    </li>
                  ))}
                </ol>
              )}
            </dd>
          </div>
          <div>
            <dt className="text-slate-500">Default rule</dt>
            <dd>
              <CodeText text={describeServe(config.fallthrough)} />
            </dd>
          </div>
          <div>
            <dt className="text-slate-500">Prerequisites</dt>
            <dd>{config.prerequisites.length ? config.prerequisites.map((p) => `${p.flagKey} is ${p.variation}`).join(", ") : "none"}</dd>
          </div>
        </dl>
      )}
    </section>
  );
}

export function PromoteFlag({ projectKey, data, initialFrom, initialTo, editable }: Props) {
  const router = useRouter();
  const flagKey = data.flag.key;
  const [from, setFrom] = useState(initialFrom);
  const [to, setTo] = useState(initialTo);
  const [everything, setEverything] = useState(true);
  const [ruleIds, setRuleIds] = useState<Set<string>>(new Set());
  const [parts, setParts] = useState<Parts>(NO_PARTS);
  const [title, setTitle] = useState("");
  const [description, setDescription] = useState("");

  const source = data.environments.find((e) => e.key === from)!;
  const target = data.environments.find((e) => e.key === to)!;
  const scope: PromotionScope = everything ? { kind: "everything" } : { kind: "parts", ruleIds: [...ruleIds], ...parts };
  const request = useDeferredValue({ from, to, scope });
  const sameEnvironment = from === to;
  const preview = useQuery({
    queryKey: ["projects", projectKey, "flags", flagKey, "promotion", request],
    queryFn: () => fetchPreview(projectKey, flagKey, request),
    enabled: !sameEnvironment,
  });
  const promote = useMutation({
    mutationFn: async () => {
      const result = await promoteFlagAction({ projectKey, flagKey, from, to, scope, ...(title.trim() ? { title } : {}), ...(description.trim() ? { description } : {}) });
      if (!result.ok) throw result.error;
      return result.data;
    },
    onSuccess: (opened) => router.push(opened.path),
  });

  const toggleRule = (id: string) =>
    setRuleIds((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const changeFrom = (key: string) => {
    setFrom(key);
    setRuleIds(new Set());
  };
  const result = preview.data;
  const canPropose = editable && !sameEnvironment && !!result && result.summary.length > 0 && result.errors.length === 0 && !promote.isPending;

  return (
    <section>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-slate-500">
        <Link href={`/${projectKey}/${to}/flags`} className="hover:underline">
          Flags
        </Link>{" "}
        /{" "}
        <Link href={`/${projectKey}/${to}/flags/${encodeURIComponent(flagKey)}`} className="hover:underline">
          {flagKey}
        </Link>{" "}
        / compare
      </nav>
      <h1 className="mb-1 text-xl font-semibold">Compare and promote {data.flag.name}</h1>
      <p className="mb-4 max-w-3xl text-sm text-slate-600 dark:text-slate-400">
        Copy one environment&apos;s configuration, or chosen rules, to another. It is proposed as a change request in the target, with the usual diff and approvals.
      </p>

      <div className="mb-4 flex flex-wrap items-end gap-4">
        <SelectField label="Copy from" value={from} onChange={(e) => changeFrom(e.target.value)} className="w-48">
          {data.environments.map((e) => (
            <option key={e.key} value={e.key}>
              {e.name}
            </option>
          ))}
        </SelectField>
        <SelectField label="Copy to" value={to} onChange={(e) => setTo(e.target.value)} className="w-48" error={sameEnvironment ? "Choose a target other than the source." : undefined}>
          {data.environments.map((e) => (
            <option key={e.key} value={e.key}>
              {e.name}
              {e.requireReview ? " (review required)" : ""}
            </option>
          ))}
        </SelectField>
      </div>

      <fieldset className="mb-4 space-y-2">
        <legend className="mb-1 text-sm font-medium">What to copy</legend>
        <label className="flex items-center gap-2 text-sm">
          <input type="radio" name="promotion-scope" checked={everything} onChange={() => setEverything(true)} /> Everything ({target.name} becomes a copy of {source.name})
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input type="radio" name="promotion-scope" checked={!everything} onChange={() => setEverything(false)} /> Chosen rules and parts
        </label>
        {!everything ? (
          <div className="flex flex-wrap gap-4 pl-6">
            {(Object.keys(PART_LABELS) as (keyof Parts)[]).map((part) => (
              <CheckboxField key={part} label={PART_LABELS[part]} checked={parts[part]} onChange={(e) => setParts({ ...parts, [part]: e.target.checked })} />
            ))}
          </div>
        ) : null}
      </fieldset>

      <div className="mb-4 grid gap-4 md:grid-cols-2">
        <ConfigColumn env={source} config={source.config} choose={everything ? undefined : { chosen: ruleIds, toggle: toggleRule }} />
        <ConfigColumn env={target} config={target.config} />
      </div>

      <section aria-label={`What changes in ${target.name}`} className="mb-4 rounded-md border border-slate-200 p-3 dark:border-slate-800">
        <h2 className="mb-2 font-semibold">What changes in {target.name}</h2>
        {sameEnvironment ? null : preview.isError ? (
          <Notice tone="error">{(preview.error as Error).message}</Notice>
        ) : !result ? (
          <p className="text-sm text-slate-500">Comparing…</p>
        ) : (
          <div className="space-y-2">
            {result.summary.length === 0 ? (
              <p className="text-sm">Nothing: {target.name} already has what would be copied.</p>
            ) : (
              <ul aria-label="Summary of changes" className="list-disc space-y-0.5 pl-5 text-sm">
                {result.summary.map((line, i) => (
                  <li key={i}>
                    <CodeText text={line} />
                  </li>
                ))}
              </ul>
            )}
            {result.errors.length > 0 ? (
              <Notice tone="error" title={`${target.name} refuses this copy`}>
                <ul className="list-disc pl-5">
                  {result.errors.map((e, i) => (
                    <li key={i}>{e}</li>
                  ))}
                </ul>
              </Notice>
            ) : null}
            {result.warnings.length > 0 ? (
              <Notice tone="warning" title="Check before proposing">
                <ul className="list-disc pl-5">
                  {result.warnings.map((w, i) => (
                    <li key={i}>{w}</li>
                  ))}
                </ul>
              </Notice>
            ) : null}
          </div>
        )}
      </section>

      {editable ? (
        <form
          className="max-w-2xl space-y-3"
          aria-label="Propose the promotion"
          onSubmit={(event) => {
            event.preventDefault();
            promote.mutate();
          }}
        >
          <TextField label="Title" value={title} onChange={(e) => setTitle(e.target.value)} placeholder={`Promote ${flagKey} from ${source.name} to ${target.name}`} maxLength={200} />
          <TextAreaField label="Description" value={description} onChange={(e) => setDescription(e.target.value)} rows={3} hint="Optional; warnings above are added to it." />
          <FormError error={promote.error as ActionError | null} />
          <Button type="submit" disabled={!canPropose}>
            {promote.isPending ? "Proposing…" : `Propose change request in ${target.name}`}
          </Button>
        </form>
      ) : (
        <p className="text-sm text-slate-500">Viewers can compare; proposing a promotion needs the editor role.</p>
      )}
    </section>
  );
}
