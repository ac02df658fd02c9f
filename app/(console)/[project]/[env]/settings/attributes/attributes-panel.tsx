"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { CheckboxField, SelectField, TextAreaField, TextField } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import { useAction } from "@/components/ui/use-action";
import type { ActionError } from "@/lib/actions/define-action";
import type { BrokenRule } from "@/lib/attributes/check-catalog-change";
import type { AttributeRecord } from "@/lib/data/attributes";
import { ATTRIBUTE_SENSITIVITIES, ATTRIBUTE_TYPES, TYPES_WITH_ALLOWED_VALUES } from "@/lib/schemas/attribute";
import { createAttributeAction, deleteAttributeAction, updateAttributeAction } from "./actions";

export const attributeQueryKey = (project: string) => ["projects", project, "attributes"] as const;

const SENSITIVITY = {
  public: { tone: "green", text: "Public — may be targeted, stored with events and shown" },
  private: { tone: "amber", text: "Private — may be targeted; never stored with events or shown" },
  forbidden: { tone: "red", text: "Forbidden — may not be used for targeting" },
} as const;

const TYPE_LABELS: Record<(typeof ATTRIBUTE_TYPES)[number], string> = {
  string: "Text",
  number: "Number",
  boolean: "Boolean",
  semver: "Version (semver)",
  date: "Date",
  list: "List of text",
};

const EMPTY: AttributeRecord = { key: "", type: "string", description: "", allowedValues: [], sensitivity: "public", dashboardDimension: false, verifiedSource: "" };

async function fetchAttributes(project: string): Promise<AttributeRecord[]> {
  const response = await fetch(`/api/console/projects/${encodeURIComponent(project)}/attributes`, { headers: { accept: "application/json" } });
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new Error(body?.error?.message ?? `Loading attributes failed (${response.status}).`);
  return body as AttributeRecord[];
}

export function AttributesPanel({ projectKey, environmentKey, editable, initial }: { projectKey: string; environmentKey: string; editable: boolean; initial: AttributeRecord[] }) {
  const queryClient = useQueryClient();
  const attributes = useQuery({ queryKey: attributeQueryKey(projectKey), queryFn: () => fetchAttributes(projectKey), initialData: initial });
  const remove = useAction(deleteAttributeAction);
  const [editing, setEditing] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: attributeQueryKey(projectKey) });

  return (
    <div className="space-y-6">
      {saved ? <Notice tone="success">{saved}</Notice> : null}
      {attributes.error ? <Notice tone="error">{attributes.error.message}</Notice> : null}
      {remove.error ? <ActionErrorNotice error={remove.error} projectKey={projectKey} /> : null}
      {editable && !adding ? (
        <Button type="button" onClick={() => { setAdding(true); setEditing(null); setSaved(null); }}>
          Add attribute
        </Button>
      ) : null}
      {adding ? (
        <AttributeForm
          mode="create"
          projectKey={projectKey}
          initial={EMPTY}
          onDone={(key) => {
            setAdding(false);
            setSaved(key ? `Added “${key}” to the catalog.` : null);
            void refresh();
          }}
        />
      ) : null}
      <div className="overflow-x-auto">
        <table className="w-full text-left text-sm">
          <thead className="border-b border-slate-200 text-slate-500 dark:border-slate-800">
            <tr>
              <th className="py-2 pr-4 font-medium">Attribute</th>
              <th className="py-2 pr-4 font-medium">Type</th>
              <th className="py-2 pr-4 font-medium">Sensitivity</th>
              <th className="py-2 pr-4 font-medium">Allowed values</th>
              <th className="py-2 pr-4 font-medium">Dashboard dimension</th>
              <th className="py-2 pr-4 font-medium">Verified source</th>
              {editable ? <th className="py-2 font-medium"><span className="sr-only">Actions</span></th> : null}
            </tr>
          </thead>
          <tbody>
            {attributes.data.map((attribute) => (
              <AttributeRow
                key={attribute.key}
                attribute={attribute}
                editable={editable}
                editing={editing === attribute.key}
                projectKey={projectKey}
                onEdit={() => { setEditing(attribute.key); setAdding(false); setSaved(null); remove.clearError(); }}
                onDelete={() => {
                  setSaved(null);
                  if (confirm(`Remove “${attribute.key}” from the catalog? Rules can then no longer use it.`)) {
                    remove.run({ projectKey, key: attribute.key }, () => { setSaved(`Removed “${attribute.key}”.`); void refresh(); });
                  }
                }}
                onDone={(key) => {
                  setEditing(null);
                  setSaved(key ? `Saved “${key}”.` : null);
                  void refresh();
                }}
              />
            ))}
          </tbody>
        </table>
        {attributes.data.length === 0 ? <p className="mt-3 text-sm text-slate-500">The catalog is empty: rules can use only the context key and the current time.</p> : null}
      </div>
      <p className="text-xs text-slate-500">
        Rules in <code>{environmentKey}</code> and every other environment use this one catalog. <code>targetingKey</code> (the context key) and <code>currentTime</code> are always available.
      </p>
    </div>
  );
}

function AttributeRow(props: {
  attribute: AttributeRecord;
  editable: boolean;
  editing: boolean;
  projectKey: string;
  onEdit: () => void;
  onDelete: () => void;
  onDone: (savedKey: string | null) => void;
}) {
  const { attribute } = props;
  const sensitivity = SENSITIVITY[attribute.sensitivity];
  return (
    <>
      <tr className="border-b border-slate-100 align-top dark:border-slate-900">
        <td className="py-2 pr-4">
          <code className="font-medium">{attribute.key}</code>
          {attribute.description ? <p className="mt-0.5 max-w-sm text-xs text-slate-500">{attribute.description}</p> : null}
        </td>
        <td className="py-2 pr-4">{TYPE_LABELS[attribute.type]}</td>
        <td className="py-2 pr-4">
          <Badge tone={sensitivity.tone}>{attribute.sensitivity}</Badge>
        </td>
        <td className="py-2 pr-4">
          {attribute.allowedValues.length ? (
            <div className="flex max-w-xs flex-wrap gap-1">
              {attribute.allowedValues.map((value) => (
                <Badge key={String(value)}>{String(value)}</Badge>
              ))}
            </div>
          ) : (
            <span className="text-slate-400">any</span>
          )}
        </td>
        <td className="py-2 pr-4">{attribute.dashboardDimension ? "Yes" : "No"}</td>
        <td className="py-2 pr-4 text-xs">{attribute.verifiedSource || <span className="text-slate-400">—</span>}</td>
        {props.editable ? (
          <td className="whitespace-nowrap py-2 text-right">
            <Button type="button" variant="ghost" aria-label={`Edit ${attribute.key}`} onClick={props.onEdit} disabled={props.editing}>
              Edit
            </Button>
            <Button type="button" variant="ghost" aria-label={`Remove ${attribute.key}`} onClick={props.onDelete}>
              Remove
            </Button>
          </td>
        ) : null}
      </tr>
      {props.editing ? (
        <tr>
          <td colSpan={7} className="py-3">
            <AttributeForm mode="edit" projectKey={props.projectKey} initial={attribute} onDone={props.onDone} />
          </td>
        </tr>
      ) : null}
    </>
  );
}

/** Text in the allowed-values box → values of the attribute's type (the schema explains what does not fit). */
function parseAllowedValues(text: string, type: AttributeRecord["type"]): (string | number)[] {
  const lines = text.split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
  if (type !== "number") return lines;
  return lines.map((line) => (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(line) ? Number(line) : line));
}

function AttributeForm({ mode, projectKey, initial, onDone }: { mode: "create" | "edit"; projectKey: string; initial: AttributeRecord; onDone: (savedKey: string | null) => void }) {
  const save = useAction(mode === "create" ? createAttributeAction : updateAttributeAction);
  const [type, setType] = useState(initial.type);
  const [sensitivity, setSensitivity] = useState(initial.sensitivity);
  const fieldErrors = save.error?.fieldErrors ?? {};
  const allowedError = Object.entries(fieldErrors).find(([path]) => path === "allowedValues" || path.startsWith("allowedValues."))?.[1];
  const takesValues = TYPES_WITH_ALLOWED_VALUES.includes(type);
  const name = mode === "create" ? "Add an attribute" : `Edit attribute ${initial.key}`;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const key = mode === "create" ? String(form.get("key") ?? "") : initial.key;
    save.run(
      {
        projectKey,
        key,
        type,
        sensitivity,
        description: form.get("description"),
        allowedValues: takesValues ? parseAllowedValues(String(form.get("allowedValues") ?? ""), type) : [],
        dashboardDimension: form.get("dashboardDimension") === "on",
        verifiedSource: form.get("verifiedSource"),
      },
      () => onDone(key.trim()),
    );
  }

  return (
    <form onSubmit={onSubmit} aria-label={name} className="space-y-4 rounded-md border border-slate-200 p-4 dark:border-slate-800">
      <h2 className="font-semibold">{name}</h2>
      <div className="grid gap-4 sm:grid-cols-2">
        {mode === "create" ? (
          <TextField label="Key" name="key" required autoComplete="off" placeholder="e.g. plan" hint="As applications send it in the context. It cannot be changed later." error={fieldErrors.key} />
        ) : null}
        <SelectField label="Type" name="type" value={type} onChange={(e) => setType(e.target.value as AttributeRecord["type"])} error={fieldErrors.type}>
          {ATTRIBUTE_TYPES.map((t) => (
            <option key={t} value={t}>
              {TYPE_LABELS[t]}
            </option>
          ))}
        </SelectField>
        <SelectField label="Sensitivity" name="sensitivity" value={sensitivity} onChange={(e) => setSensitivity(e.target.value as AttributeRecord["sensitivity"])} error={fieldErrors.sensitivity}>
          {ATTRIBUTE_SENSITIVITIES.map((s) => (
            <option key={s} value={s}>
              {SENSITIVITY[s].text}
            </option>
          ))}
        </SelectField>
        <TextField label="Description" name="description" defaultValue={initial.description} error={fieldErrors.description} />
        <TextField
          label="Verified source"
          name="verifiedSource"
          defaultValue={initial.verifiedSource}
          placeholder="e.g. billing service (server-side)"
          hint="Where the value comes from and why it can be trusted."
          error={fieldErrors.verifiedSource}
        />
        <TextAreaField
          label="Allowed values"
          name="allowedValues"
          rows={4}
          disabled={!takesValues}
          defaultValue={initial.allowedValues.map(String).join("\n")}
          hint={takesValues ? "One per line. Leave empty to allow any value." : `A ${TYPE_LABELS[type].toLowerCase()} attribute takes any value.`}
          error={allowedError}
        />
        <CheckboxField
          label="Dashboard dimension (a cohort axis in rollout charts)"
          name="dashboardDimension"
          defaultChecked={initial.dashboardDimension}
          hint="Only public attributes can be dimensions."
          error={fieldErrors.dashboardDimension}
        />
      </div>
      {sensitivity === "forbidden" && initial.sensitivity !== "forbidden" && mode === "edit" ? (
        <Notice tone="warning">Rules may not use a forbidden attribute. If any do, saving is refused and lists them, so they can be changed first.</Notice>
      ) : null}
      {save.error && !save.error.fieldErrors ? <ActionErrorNotice error={save.error} projectKey={projectKey} /> : null}
      <div className="flex gap-2">
        <Button type="submit" disabled={save.pending}>
          {mode === "create" ? "Add attribute" : "Save attribute"}
        </Button>
        <Button type="button" variant="secondary" onClick={() => onDone(null)}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

/** A refusal, with the rules that block it when the catalog change would break some. */
function ActionErrorNotice({ error, projectKey }: { error: ActionError; projectKey: string }) {
  const broken = (error.details as { brokenRules?: BrokenRule[] } | undefined)?.brokenRules ?? [];
  return (
    <Notice tone="error" title={error.message}>
      {broken.length > 0 ? (
        <ul aria-label="Rules that use this attribute" className="mt-1 list-disc space-y-1 pl-5">
          {broken.map((rule, i) => (
            <li key={i}>
              <Link
                className="font-medium underline"
                href={`/${projectKey}/${rule.environmentKey}/${rule.kind === "flag" ? "flags" : "segments"}/${encodeURIComponent(rule.key)}`}
              >
                {rule.kind === "flag" ? "Flag" : "Segment"} {rule.key}
              </Link>{" "}
              in {rule.environmentName}
              {rule.ruleIndex !== null ? `, rule ${rule.ruleIndex + 1}${rule.ruleDescription ? ` (${rule.ruleDescription})` : ""}` : ""}: {rule.message}
            </li>
          ))}
        </ul>
      ) : null}
    </Notice>
  );
}
