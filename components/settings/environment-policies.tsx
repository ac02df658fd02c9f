"use client";

import { useState } from "react";
import { updateEnvironmentPolicyAction } from "@/app/(console)/[project]/[env]/settings/actions";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { CheckboxField, TextField } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { useAction } from "@/components/ui/use-action";
import type { EnvironmentPolicyView } from "@/lib/projects/update-environment-policy";

const percent = (value: number) => `${value.toLocaleString("en-US", { maximumFractionDigits: 3 })} %`;

function PolicySummary({ env }: { env: EnvironmentPolicyView }) {
  return (
    <>
      <td className="py-2 pr-4">
        {env.requireReview ? (
          <Badge tone="amber">
            Review required · {env.requiredApprovals} approval{env.requiredApprovals === 1 ? "" : "s"}
          </Badge>
        ) : (
          <Badge tone="green">Apply directly</Badge>
        )}
      </td>
      <td className="py-2 pr-4">{percent(env.maxRolloutPercentWithoutReview)}</td>
      <td className="py-2 pr-4">
        {[env.requireOwner && "an owner", env.requireExpiry && "an expiry date"].filter(Boolean).join(" and ") || "—"}
        {env.maxFlagLifetimeDays ? ` (max ${env.maxFlagLifetimeDays} days)` : ""}
      </td>
      <td className="py-2 pr-4">{env.allowlistOnlyFirstStage?.length ? env.allowlistOnlyFirstStage.join(", ") : "—"}</td>
    </>
  );
}

/** The edit form of one environment: every field of its policy, saved together. */
function PolicyForm({ projectKey, env, onDone }: { projectKey: string; env: EnvironmentPolicyView; onDone: () => void }) {
  const [draft, setDraft] = useState({
    ...env,
    maxFlagLifetimeDays: env.maxFlagLifetimeDays?.toString() ?? "",
    maxRolloutPercentWithoutReview: env.maxRolloutPercentWithoutReview.toString(),
    requiredApprovals: Math.max(1, env.requiredApprovals).toString(),
    allowlist: env.allowlistOnlyFirstStage?.join(", ") ?? "",
  });
  const save = useAction(updateEnvironmentPolicyAction);
  const fieldError = (field: string) => save.error?.fieldErrors?.[field];
  const number = (text: string) => (text.trim() === "" ? Number.NaN : Number(text));
  const allowlist = draft.allowlist
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);

  return (
    <form
      aria-label={`Policy of ${env.name}`}
      className="grid gap-3 rounded-md border border-slate-200 p-4 md:grid-cols-2 dark:border-slate-800"
      onSubmit={(event) => {
        event.preventDefault();
        save.run(
          {
            projectKey,
            environmentKey: env.key,
            name: draft.name,
            color: draft.color,
            requireReview: draft.requireReview,
            requiredApprovals: number(draft.requiredApprovals),
            maxRolloutPercentWithoutReview: number(draft.maxRolloutPercentWithoutReview),
            requireExpiry: draft.requireExpiry,
            maxFlagLifetimeDays: draft.maxFlagLifetimeDays.trim() === "" ? null : number(draft.maxFlagLifetimeDays),
            requireOwner: draft.requireOwner,
            allowlistOnlyFirstStage: allowlist.length ? allowlist : null,
          },
          onDone,
        );
      }}
    >
      <TextField label="Name" value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} error={fieldError("name")} />
      <TextField label="Colour" value={draft.color} onChange={(e) => setDraft({ ...draft, color: e.target.value })} error={fieldError("color")} hint="Hex, e.g. #dc2626" />
      <CheckboxField label="Changes need an approved change request" checked={draft.requireReview} onChange={(e) => setDraft({ ...draft, requireReview: e.target.checked })} />
      <TextField
        label="Required approvals"
        type="number"
        min={1}
        max={10}
        disabled={!draft.requireReview}
        value={draft.requiredApprovals}
        onChange={(e) => setDraft({ ...draft, requiredApprovals: e.target.value })}
        error={fieldError("requiredApprovals")}
        hint="From approvers or admins other than the author."
      />
      <TextField
        label="Max rollout without review (%)"
        type="number"
        min={0}
        max={100}
        step={0.001}
        value={draft.maxRolloutPercentWithoutReview}
        onChange={(e) => setDraft({ ...draft, maxRolloutPercentWithoutReview: e.target.value })}
        error={fieldError("maxRolloutPercentWithoutReview")}
        hint="A rollout above this share needs review even when changes apply directly."
      />
      <TextField
        label="Max flag lifetime (days)"
        type="number"
        min={1}
        value={draft.maxFlagLifetimeDays}
        onChange={(e) => setDraft({ ...draft, maxFlagLifetimeDays: e.target.value })}
        error={fieldError("maxFlagLifetimeDays")}
        hint="Empty: no maximum."
      />
      <CheckboxField label="Release and experiment flags need an expiry date" checked={draft.requireExpiry} onChange={(e) => setDraft({ ...draft, requireExpiry: e.target.checked })} />
      <CheckboxField label="Flags need an owner" checked={draft.requireOwner} onChange={(e) => setDraft({ ...draft, requireOwner: e.target.checked })} />
      <TextField
        label="First rollout stage only for segments"
        className="md:col-span-2"
        value={draft.allowlist}
        onChange={(e) => setDraft({ ...draft, allowlist: e.target.value })}
        error={fieldError("allowlistOnlyFirstStage")}
        hint="Segment keys, comma-separated; empty: no restriction."
      />
      <div className="flex items-center gap-2 md:col-span-2">
        <Button type="submit" disabled={save.pending}>
          {save.pending ? "Saving…" : `Save ${env.name} policy`}
        </Button>
        <Button type="button" variant="secondary" onClick={onDone}>
          Cancel
        </Button>
      </div>
      <FormError error={save.error} className="md:col-span-2" />
    </form>
  );
}

/**
 * Settings → General: every environment's policy; admins edit one at a time. Saving is audited,
 * and requests under review in that environment are tallied again under the new rules.
 */
export function EnvironmentPolicies({ projectKey, environments, canEdit }: { projectKey: string; environments: EnvironmentPolicyView[]; canEdit: boolean }) {
  const [editing, setEditing] = useState<string | null>(null);
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <thead className="border-b border-slate-200 text-slate-500 dark:border-slate-800">
          <tr>
            <th className="py-2 pr-4 font-medium">Environment</th>
            <th className="py-2 pr-4 font-medium">Changes</th>
            <th className="py-2 pr-4 font-medium">Max rollout without review</th>
            <th className="py-2 pr-4 font-medium">Flags need</th>
            <th className="py-2 pr-4 font-medium">First stage only for</th>
            {canEdit ? <th className="py-2 pr-4 font-medium">
              <span className="sr-only">Actions</span>
            </th> : null}
          </tr>
        </thead>
        <tbody>
          {environments.map((env) => (
            <PolicyRow key={env.key} env={env} canEdit={canEdit} editing={editing === env.key} onEdit={() => setEditing(env.key)} onDone={() => setEditing(null)} projectKey={projectKey} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function PolicyRow({ env, canEdit, editing, onEdit, onDone, projectKey }: { env: EnvironmentPolicyView; canEdit: boolean; editing: boolean; onEdit: () => void; onDone: () => void; projectKey: string }) {
  return (
    <>
      <tr className="border-b border-slate-100 dark:border-slate-900">
        <td className="py-2 pr-4">
          <span className="inline-block h-2.5 w-2.5 rounded-full" style={{ backgroundColor: env.color || "#64748b" }} /> {env.name} <code className="text-xs text-slate-500">{env.key}</code>
        </td>
        <PolicySummary env={env} />
        {canEdit ? (
          <td className="py-2 pr-4">
            {editing ? null : (
              <Button type="button" variant="secondary" onClick={onEdit} aria-label={`Edit ${env.name} policy`}>
                Edit
              </Button>
            )}
          </td>
        ) : null}
      </tr>
      {editing ? (
        <tr>
          <td colSpan={6} className="py-3">
            <PolicyForm projectKey={projectKey} env={env} onDone={onDone} />
          </td>
        </tr>
      ) : null}
    </>
  );
}
