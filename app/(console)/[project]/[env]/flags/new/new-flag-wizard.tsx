"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useId, useState, type ReactNode } from "react";
import { isFlagKeyTaken } from "@/components/flags/flag-queries";
import { RESERVED_CONSOLE_KEYS, slugFromName } from "@/components/flags/slug";
import { ChipsInput } from "@/components/rule-builder/value-inputs";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { SelectField, TextField } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import type { ActionError } from "@/lib/actions/define-action";
import type { FlagKind, FlagValueType, JsonValue } from "@/lib/evaluation/types";
import { createFlagBodySchema } from "@/lib/schemas/flag";
import { flagKeySchema } from "@/lib/schemas/flag-config";
import { createFlagAction } from "./actions";

interface EnvironmentPolicy {
  key: string;
  name: string;
  requireExpiry: boolean;
  maxFlagLifetimeDays: number | null;
  requireOwner: boolean;
}

const KINDS: { kind: FlagKind; label: string; description: string }[] = [
  { kind: "release", label: "Release", description: "Ship code dark and roll it out; removed once fully released." },
  { kind: "experiment", label: "Experiment", description: "Compare variations on a metric; opted-out contexts get the control." },
  { kind: "operational", label: "Operational", description: "A long-lived switch or setting: kill switches, limits, fallbacks." },
  { kind: "permission", label: "Permission", description: "Who may use a feature: plans, roles, internal tools." },
];

const STEPS = ["Basics", "Variations", "Ownership", "Review"] as const;

interface VariationRow {
  key: string;
  name: string;
  /** The value as typed (parsed by type on submit). */
  value: string;
}

const BOOLEAN_ROWS: VariationRow[] = [
  { key: "on", name: "On", value: "true" },
  { key: "off", name: "Off", value: "false" },
];

const DEFAULT_ROWS: Record<FlagValueType, VariationRow[]> = {
  boolean: BOOLEAN_ROWS,
  string: [
    { key: "control", name: "Control", value: "control" },
    { key: "treatment", name: "Treatment", value: "treatment" },
  ],
  number: [
    { key: "low", name: "", value: "0" },
    { key: "high", name: "", value: "1" },
  ],
  json: [
    { key: "off", name: "", value: '{"enabled": false}' },
    { key: "on", name: "", value: '{"enabled": true}' },
  ],
};

function parseVariationValue(type: FlagValueType, text: string): { ok: true; value: JsonValue } | { ok: false; error: string } {
  switch (type) {
    case "boolean":
      return text === "true" || text === "false" ? { ok: true, value: text === "true" } : { ok: false, error: "Choose true or false." };
    case "number": {
      const n = Number(text);
      return text.trim() !== "" && Number.isFinite(n) ? { ok: true, value: n } : { ok: false, error: `“${text}” is not a number.` };
    }
    case "json":
      try {
        return { ok: true, value: JSON.parse(text) as JsonValue };
      } catch (e) {
        return { ok: false, error: `Not valid JSON (${(e as Error).message}).` };
      }
    default:
      return { ok: true, value: text };
  }
}

const DAY = 86_400_000;

/**
 * The create-flag wizard: basics (name, a key suggested from it and checked as you type, kind),
 * typed variations (on/off by default for booleans), ownership (owner, tags, expiry where policy
 * requires one, client visibility), then a review. Keys are immutable once created.
 */
export function NewFlagWizard(props: { now: number; projectKey: string; environmentKey: string; currentUserEmail: string; members: { email: string; name: string }[]; environments: EnvironmentPolicy[] }) {
  const router = useRouter();
  const ids = useId();
  const [step, setStep] = useState(0);
  const [name, setName] = useState("");
  const [key, setKey] = useState("");
  const [keyEdited, setKeyEdited] = useState(false);
  const [description, setDescription] = useState("");
  const [kind, setKind] = useState<FlagKind>("release");
  const [valueType, setValueType] = useState<FlagValueType>("boolean");
  const [rows, setRows] = useState<VariationRow[]>(BOOLEAN_ROWS);
  const [ownerEmail, setOwnerEmail] = useState(props.members.some((m) => m.email === props.currentUserEmail) ? props.currentUserEmail : "");
  const [tags, setTags] = useState<string[]>([]);
  const [expiresAt, setExpiresAt] = useState("");
  const [clientVisible, setClientVisible] = useState(false);
  const [lifecycle, setLifecycle] = useState<"draft" | "active">("active");
  const [taken, setTaken] = useState<{ key: string; taken: boolean } | null>(null);
  const [showErrors, setShowErrors] = useState<Set<number>>(new Set());

  const effectiveKey = keyEdited ? key : slugFromName(name);

  // Live check that the key is free (debounced).
  useEffect(() => {
    if (!effectiveKey || !flagKeySchema.safeParse(effectiveKey).success) return;
    const timer = setTimeout(() => {
      isFlagKeyTaken(props.projectKey, effectiveKey).then(
        (isTaken) => setTaken({ key: effectiveKey, taken: isTaken }),
        () => setTaken(null),
      );
    }, 250);
    return () => clearTimeout(timer);
  }, [effectiveKey, props.projectKey]);

  // Policies (the strictest environment wins; the server checks again).
  const needExpiry = kind === "release" || kind === "experiment" ? props.environments.filter((e) => e.requireExpiry) : [];
  const lifetimes = needExpiry.map((e) => e.maxFlagLifetimeDays).filter((d): d is number => d != null);
  const maxDays = lifetimes.length ? Math.min(...lifetimes) : null;
  const needOwner = props.environments.filter((e) => e.requireOwner);
  const today = new Date(props.now).toISOString().slice(0, 10);
  const latest = maxDays ? new Date(props.now + maxDays * DAY).toISOString().slice(0, 10) : undefined;

  // Build the body and validate it with the action's schema.
  const variationErrors = new Map<string, string>();
  const variations = rows.map((row, i) => {
    const parsed = parseVariationValue(valueType, row.value);
    if (!parsed.ok) variationErrors.set(`variations.${i}.value`, parsed.error);
    return { key: row.key.trim(), value: parsed.ok ? parsed.value : null, ...(row.name.trim() ? { name: row.name.trim() } : {}) };
  });
  const body = {
    key: effectiveKey,
    name,
    description,
    kind,
    valueType,
    variations,
    ...(ownerEmail ? { ownerEmail } : {}),
    tags,
    ...(expiresAt ? { expiresAt } : {}),
    clientVisible,
    lifecycle,
  };
  const parsed = createFlagBodySchema.safeParse(body);
  const errors: Record<string, string> = {};
  if (!parsed.success) for (const issue of parsed.error.issues) errors[issue.path.join(".")] ??= issue.message;
  for (const [path, message] of variationErrors) errors[path] = message;
  if (RESERVED_CONSOLE_KEYS.has(effectiveKey)) errors.key = `“${effectiveKey}” is reserved by the console's own pages; choose another key.`;
  else if (taken?.key === effectiveKey && taken.taken) errors.key = `A flag with the key “${effectiveKey}” already exists (keys are never reused).`;
  if (needOwner.length && !ownerEmail) errors.ownerEmail = `${needOwner.map((e) => e.name).join(", ")} require${needOwner.length === 1 ? "s" : ""} every flag to have an owner.`;
  if (needExpiry.length && !expiresAt) errors.expiresAt = `${needExpiry.map((e) => e.name).join(", ")} require${needExpiry.length === 1 ? "s" : ""} ${kind} flags to have an expiry date.`;
  if (expiresAt && expiresAt <= today) errors.expiresAt = "The expiry date must be in the future.";
  if (expiresAt && latest && expiresAt > latest) errors.expiresAt = `${needExpiry.find((e) => e.maxFlagLifetimeDays === maxDays)?.name} allows ${kind} flags to live at most ${maxDays} days: choose ${latest} or earlier.`;

  const create = useMutation({
    mutationFn: async () => {
      const result = await createFlagAction({ projectKey: props.projectKey, flag: body });
      if (!result.ok) throw result.error;
      return result.data as { key: string };
    },
    onSuccess: ({ key: created }) => router.push(`/${props.projectKey}/${props.environmentKey}/flags/${encodeURIComponent(created)}?created=1`),
  });
  const serverError = create.error as unknown as ActionError | null;
  const serverField = (path: string) => serverError?.fieldErrors?.[`flag.${path}`];

  const STEP_FIELDS = [["key", "name", "description", "kind"], ["valueType", "variations", "controlVariation"], ["ownerEmail", "tags", "expiresAt", "clientVisible", "lifecycle"], []];
  const stepErrors = (s: number) => Object.keys(errors).filter((path) => STEP_FIELDS[s].some((f) => path === f || path.startsWith(`${f}.`)));
  const shown = (path: string) => (showErrors.has(STEP_FIELDS.findIndex((fields) => fields.some((f) => path === f || path.startsWith(`${f}.`)))) || path === "key" ? errors[path] : undefined) ?? serverField(path);
  const keyError = (effectiveKey || showErrors.has(0) ? errors.key : undefined) ?? serverField("key");

  function next() {
    if (stepErrors(step).length) {
      setShowErrors(new Set([...showErrors, step]));
      return;
    }
    setStep(step + 1);
  }

  function changeType(type: FlagValueType) {
    setValueType(type);
    setRows(DEFAULT_ROWS[type]);
  }

  return (
    <div className="max-w-3xl space-y-6">
      <ol className="flex flex-wrap gap-2 text-sm" aria-label="Steps">
        {STEPS.map((label, i) => (
          <li key={label} aria-current={i === step ? "step" : undefined} className={cn("rounded-full border px-3 py-1", i === step ? "border-indigo-500 bg-indigo-50 font-medium dark:bg-indigo-950" : "border-slate-200 text-slate-500 dark:border-slate-800")}>
            {i + 1}. {label}
          </li>
        ))}
      </ol>
      <form
        aria-label={`New flag: ${STEPS[step]}`}
        onSubmit={(e) => {
          e.preventDefault();
          if (step < STEPS.length - 1) next();
          else create.mutate();
        }}
        className="space-y-4"
      >
        {step === 0 ? (
          <>
            <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} required error={shown("name")} autoFocus />
            <TextField
              label="Key"
              value={effectiveKey}
              onChange={(e) => {
                setKeyEdited(true);
                setKey(e.target.value);
              }}
              error={keyError}
              hint={
                <>
                  {keyEdited ? "Used by SDKs and the API." : "Suggested from the name."} It cannot be changed after the flag is created.
                  {taken?.key === effectiveKey && !taken.taken && !errors.key ? <span className="ml-1 text-emerald-700 dark:text-emerald-400">Available.</span> : null}
                </>
              }
              spellCheck={false}
              className="font-mono"
            />
            <div>
              <label htmlFor={`${ids}-description`} className="mb-1 block text-sm font-medium">
                Description
              </label>
              <textarea id={`${ids}-description`} value={description} onChange={(e) => setDescription(e.target.value)} rows={3} className="block w-full rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900" />
            </div>
            <fieldset>
              <legend className="mb-1 text-sm font-medium">Kind</legend>
              <div className="grid gap-2 sm:grid-cols-2">
                {KINDS.map((k) => (
                  <label key={k.kind} className={cn("flex cursor-pointer gap-2 rounded-md border p-2 text-sm", kind === k.kind ? "border-indigo-500" : "border-slate-200 dark:border-slate-800")}>
                    <input type="radio" name="kind" value={k.kind} checked={kind === k.kind} onChange={() => setKind(k.kind)} className="mt-1" />
                    <span>
                      <span className="font-medium">{k.label}</span>
                      <span className="block text-xs text-slate-500">{k.description}</span>
                    </span>
                  </label>
                ))}
              </div>
            </fieldset>
          </>
        ) : null}

        {step === 1 ? (
          <>
            <SelectField label="Value type" value={valueType} onChange={(e) => changeType(e.target.value as FlagValueType)}>
              <option value="boolean">Boolean (on / off)</option>
              <option value="string">String</option>
              <option value="number">Number</option>
              <option value="json">JSON</option>
            </SelectField>
            <fieldset className="space-y-2">
              <legend className="text-sm font-medium">Variations</legend>
              {rows.map((row, i) => (
                <div key={i} role="group" aria-label={`Variation ${i + 1}`} className="flex flex-wrap items-start gap-2">
                  <TextField label={`Variation ${i + 1} key`} value={row.key} onChange={(e) => setRows(rows.map((r, k) => (k === i ? { ...r, key: e.target.value } : r)))} error={shown(`variations.${i}.key`)} className="w-40" />
                  <TextField label={`Variation ${i + 1} name`} value={row.name} onChange={(e) => setRows(rows.map((r, k) => (k === i ? { ...r, name: e.target.value } : r)))} className="w-40" />
                  {valueType === "boolean" ? (
                    <SelectField label={`Variation ${i + 1} value`} value={row.value} onChange={(e) => setRows(rows.map((r, k) => (k === i ? { ...r, value: e.target.value } : r)))} error={shown(`variations.${i}.value`)}>
                      <option value="true">true</option>
                      <option value="false">false</option>
                    </SelectField>
                  ) : (
                    <TextField
                      label={`Variation ${i + 1} value`}
                      value={row.value}
                      inputMode={valueType === "number" ? "decimal" : undefined}
                      onChange={(e) => setRows(rows.map((r, k) => (k === i ? { ...r, value: e.target.value } : r)))}
                      // Values are checked as you type.
                      error={errors[`variations.${i}.value`] ?? serverField(`variations.${i}.value`)}
                      className={cn("flex-1", valueType === "json" && "font-mono")}
                    />
                  )}
                  {rows.length > 2 ? (
                    <Button type="button" variant="ghost" className="mt-6" aria-label={`Remove variation ${i + 1}`} onClick={() => setRows(rows.filter((_, k) => k !== i))}>
                      Remove
                    </Button>
                  ) : null}
                </div>
              ))}
              {shown("variations") ? (
                <p role="alert" className="text-xs text-red-600">
                  {shown("variations")}
                </p>
              ) : null}
              <Button type="button" variant="secondary" onClick={() => setRows([...rows, { key: `variation-${rows.length + 1}`, name: "", value: valueType === "boolean" ? "true" : valueType === "number" ? "0" : valueType === "json" ? "{}" : "" }])}>
                Add variation
              </Button>
            </fieldset>
          </>
        ) : null}

        {step === 2 ? (
          <>
            <SelectField label="Owner" value={ownerEmail} onChange={(e) => setOwnerEmail(e.target.value)} error={shown("ownerEmail")}>
              <option value="">No owner</option>
              {props.members.map((m) => (
                <option key={m.email} value={m.email}>
                  {m.name} ({m.email})
                </option>
              ))}
            </SelectField>
            <ChipsInput id={`${ids}-tags`} label="Tags" visibleLabel kind="text" values={tags} onChange={(v) => setTags(v.map(String))} error={shown("tags")} />
            <TextField
              label={needExpiry.length ? "Expiry date (required)" : "Expiry date"}
              type="date"
              min={today}
              max={latest}
              value={expiresAt}
              onChange={(e) => setExpiresAt(e.target.value)}
              error={shown("expiresAt")}
              hint={needExpiry.length ? `${needExpiry.map((e) => e.name).join(", ")} require an expiry for ${kind} flags${maxDays ? `, at most ${maxDays} days ahead` : ""}.` : "Optional: stale-flag reports use it."}
            />
            <SelectField label="Lifecycle stage" value={lifecycle} onChange={(e) => setLifecycle(e.target.value as "draft" | "active")}>
              <option value="active">Active</option>
              <option value="draft">Draft</option>
            </SelectField>
            <label className="flex items-start gap-2 text-sm">
              <input type="checkbox" checked={clientVisible} onChange={(e) => setClientVisible(e.target.checked)} className="mt-0.5" />
              <span>
                Visible to client-side SDKs
                <span className="block text-xs text-slate-500">Browsers and mobile apps with a client key may evaluate it. Leave off for server-only flags.</span>
              </span>
            </label>
          </>
        ) : null}

        {step === 3 ? (
          <dl className="grid grid-cols-[10rem_1fr] gap-x-4 gap-y-2 rounded-md border border-slate-200 p-4 text-sm dark:border-slate-800" aria-label="Review">
            <Row label="Name">{name}</Row>
            <Row label="Key">
              <code>{effectiveKey}</code> <span className="text-xs text-slate-500">(cannot be changed later)</span>
            </Row>
            <Row label="Kind">{kind}</Row>
            <Row label="Description">{description || "—"}</Row>
            <Row label="Variations">
              {variations.map((v) => (
                <span key={v.key} className="mr-2">
                  <code>{v.key}</code> = <code>{JSON.stringify(v.value)}</code>
                </span>
              ))}
            </Row>
            <Row label="Owner">{ownerEmail || "—"}</Row>
            <Row label="Tags">{tags.length ? tags.map((t) => <Badge key={t} className="mr-1">{t}</Badge>) : "—"}</Row>
            <Row label="Expiry">{expiresAt || "—"}</Row>
            <Row label="Stage">{lifecycle}</Row>
            <Row label="Client-visible">{clientVisible ? "yes" : "no"}</Row>
          </dl>
        ) : null}

        {step === 3 && (Object.keys(errors).length || serverError?.fieldErrors) ? (
          <Notice tone="error" title="Some answers need another look">
            <ul className="list-disc pl-5">
              {[...new Set([...Object.values(errors), ...Object.values(serverError?.fieldErrors ?? {})])].map((m, i) => (
                <li key={i}>{m}</li>
              ))}
            </ul>
          </Notice>
        ) : null}
        {serverError && !serverError.fieldErrors ? <Notice tone="error">{serverError.message}</Notice> : null}

        <div className="flex gap-2">
          {step > 0 ? (
            <Button type="button" variant="secondary" onClick={() => setStep(step - 1)}>
              Back
            </Button>
          ) : null}
          {step < STEPS.length - 1 ? (
            <Button type="submit">Next</Button>
          ) : (
            <Button type="submit" disabled={create.isPending || Object.keys(errors).length > 0}>
              {create.isPending ? "Creating…" : "Create flag"}
            </Button>
          )}
        </div>
      </form>
    </div>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt className="text-slate-500">{label}</dt>
      <dd>{children}</dd>
    </>
  );
}
