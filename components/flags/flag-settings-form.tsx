"use client";

import { useMutation } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { ChipsInput } from "@/components/rule-builder/value-inputs";
import { FormError } from "@/components/ui/form-error";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import type { ActionError, ActionResult } from "@/lib/actions/define-action";
import type { FlagPageData } from "@/lib/flags/flag-page-data";

const STAGES = [
  ["draft", "Draft"],
  ["active", "Active"],
  ["rolling_out", "Rolling out"],
  ["released", "Released"],
  ["deprecated", "Deprecated"],
] as const;

/**
 * The flag's settings (shared by every environment): name, description, owner, tags, expiry,
 * client visibility and lifecycle stage. Only what changed is sent; the key, kind and type never change.
 */
export function FlagSettingsForm(props: {
  projectKey: string;
  flag: FlagPageData["flag"];
  members: { email: string; name: string }[];
  action: (input: unknown) => Promise<ActionResult<unknown>>;
  onSaved: () => Promise<unknown>;
}) {
  const { flag } = props;
  const ids = useId();
  const [name, setName] = useState(flag.name);
  const [description, setDescription] = useState(flag.description);
  const [ownerEmail, setOwnerEmail] = useState(flag.owner?.email ?? "");
  const [tags, setTags] = useState<string[]>(flag.tags);
  const [expiresAt, setExpiresAt] = useState(flag.expiresAt?.slice(0, 10) ?? "");
  const [clientVisible, setClientVisible] = useState(flag.clientVisible);
  const [lifecycle, setLifecycle] = useState(flag.lifecycle);
  const [reason, setReason] = useState("");
  const [saved, setSaved] = useState<string | null>(null);

  const changes: Record<string, unknown> = {};
  if (name !== flag.name) changes.name = name;
  if (description !== flag.description) changes.description = description;
  if (ownerEmail !== (flag.owner?.email ?? "")) changes.ownerEmail = ownerEmail || null;
  if (JSON.stringify(tags) !== JSON.stringify(flag.tags)) changes.tags = tags;
  if (expiresAt !== (flag.expiresAt?.slice(0, 10) ?? "")) changes.expiresAt = expiresAt || null;
  if (clientVisible !== flag.clientVisible) changes.clientVisible = clientVisible;
  if (lifecycle !== flag.lifecycle) changes.lifecycle = lifecycle;
  const dirty = Object.keys(changes).length > 0;

  const save = useMutation({
    mutationFn: async () => {
      const result = await props.action({ projectKey: props.projectKey, flagKey: flag.key, changes: { ...changes, ...(reason.trim() ? { reason } : {}) } });
      if (!result.ok) throw result.error;
    },
    onSuccess: async () => {
      setSaved("Settings saved.");
      setReason("");
      await props.onSaved();
    },
  });
  const error = save.error as unknown as ActionError | null;
  const fieldError = (field: string) => error?.fieldErrors?.[`changes.${field}`] ?? error?.fieldErrors?.[field];

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    setSaved(null);
    save.mutate();
  }

  return (
    <form onSubmit={onSubmit} aria-label="Flag settings" className="space-y-3">
      <div className="grid gap-3 md:grid-cols-2">
        <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} error={fieldError("name")} />
        <SelectField label="Owner" value={ownerEmail} onChange={(e) => setOwnerEmail(e.target.value)} error={fieldError("ownerEmail")}>
          <option value="">No owner</option>
          {props.members.map((m) => (
            <option key={m.email} value={m.email}>
              {m.name} ({m.email})
            </option>
          ))}
        </SelectField>
      </div>
      <div>
        <label htmlFor={`${ids}-description`} className="mb-1 block text-sm font-medium">
          Description
        </label>
        <textarea id={`${ids}-description`} rows={2} value={description} onChange={(e) => setDescription(e.target.value)} className="block w-full rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900" />
      </div>
      <ChipsInput id={`${ids}-tags`} label="Tags" visibleLabel kind="text" values={tags} onChange={(v) => setTags(v.map(String))} error={fieldError("tags")} />
      <div className="grid gap-3 md:grid-cols-2">
        <TextField label="Expiry date" type="date" value={expiresAt} onChange={(e) => setExpiresAt(e.target.value)} error={fieldError("expiresAt")} />
        <SelectField label="Lifecycle stage" value={lifecycle} onChange={(e) => setLifecycle(e.target.value)} error={fieldError("lifecycle")}>
          {STAGES.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
          {!STAGES.some(([value]) => value === flag.lifecycle) ? <option value={flag.lifecycle}>{flag.lifecycle}</option> : null}
        </SelectField>
      </div>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" checked={clientVisible} onChange={(e) => setClientVisible(e.target.checked)} />
        Visible to client-side SDKs
      </label>
      <TextField label="Reason for the change (optional)" value={reason} onChange={(e) => setReason(e.target.value)} />
      <FormError error={error} />
      {saved && !dirty ? <Notice tone="success">{saved}</Notice> : null}
      <Button type="submit" disabled={!dirty || save.isPending}>
        {save.isPending ? "Saving…" : "Save settings"}
      </Button>
    </form>
  );
}
