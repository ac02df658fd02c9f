"use client";

import type { FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { CheckboxField, SelectField, TextField } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import type { ActionError } from "@/lib/actions/define-action";
import { PROJECT_EVENT_LABELS, PROJECT_EVENT_TYPES } from "@/lib/notifications/project-events";
import { DEFAULT_MAX_ATTEMPTS } from "@/lib/notifications/retry-policy";

export interface WebhookFields {
  name: string;
  url: string;
  events: string[];
  format: "json" | "slack";
  enabled: boolean;
  timeoutMs: number;
  maxAttempts: number;
}

const BLANK: WebhookFields = { name: "", url: "", events: [], format: "json", enabled: true, timeoutMs: 5000, maxAttempts: DEFAULT_MAX_ATTEMPTS };

/** Reads the form as the action's input; the server parses it with the shared schema. */
function fieldsOf(form: HTMLFormElement) {
  const data = new FormData(form);
  return {
    name: data.get("name"),
    url: data.get("url"),
    events: data.getAll("events"),
    format: data.get("format"),
    enabled: data.get("enabled") === "on",
    timeoutMs: data.get("timeoutMs"),
    maxAttempts: data.get("maxAttempts"),
  };
}

/** Create and edit share this form; every field is labelled (and so found by its label). */
export function WebhookForm({
  label,
  initial = BLANK,
  submitLabel,
  pending,
  error,
  onSubmit,
  onCancel,
}: {
  label: string;
  initial?: WebhookFields;
  submitLabel: string;
  pending: boolean;
  error: ActionError | null;
  onSubmit: (fields: ReturnType<typeof fieldsOf>) => void;
  onCancel?: () => void;
}) {
  const fieldErrors = error?.fieldErrors ?? {};
  const eventsError = Object.entries(fieldErrors).find(([path]) => path.startsWith("events"))?.[1];
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onSubmit(fieldsOf(event.currentTarget));
  }
  return (
    <form onSubmit={submit} aria-label={label} className="space-y-4 rounded-md border border-slate-200 p-4 dark:border-slate-800">
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField label="Name" name="name" required defaultValue={initial.name} error={fieldErrors.name} />
        <TextField label="URL" name="url" type="url" required placeholder="https://hooks.example.com/switchyard" defaultValue={initial.url} error={fieldErrors.url} />
        <SelectField label="Format" name="format" defaultValue={initial.format} error={fieldErrors.format}>
          <option value="json">JSON (for programs)</option>
          <option value="slack">Slack-compatible message</option>
        </SelectField>
        <div className="grid grid-cols-2 gap-3">
          <TextField label="Timeout (ms)" name="timeoutMs" type="number" min={500} max={30000} step={100} defaultValue={initial.timeoutMs} error={fieldErrors.timeoutMs} />
          <TextField label="Max attempts" name="maxAttempts" type="number" min={1} max={12} defaultValue={initial.maxAttempts} error={fieldErrors.maxAttempts} />
        </div>
      </div>
      <fieldset>
        <legend className="mb-1 text-sm font-medium">Events</legend>
        <div className="grid gap-1 sm:grid-cols-2">
          {PROJECT_EVENT_TYPES.map((type) => (
            <CheckboxField key={type} label={PROJECT_EVENT_LABELS[type]} name="events" value={type} defaultChecked={initial.events.includes(type)} />
          ))}
        </div>
        {eventsError ? (
          <p role="alert" className="mt-1 text-xs text-red-600 dark:text-red-400">
            {eventsError}
          </p>
        ) : null}
      </fieldset>
      <CheckboxField label="Enabled" name="enabled" defaultChecked={initial.enabled} />
      <div className="flex gap-2">
        <Button type="submit" disabled={pending}>
          {submitLabel}
        </Button>
        {onCancel ? (
          <Button type="button" variant="secondary" onClick={onCancel}>
            Cancel
          </Button>
        ) : null}
      </div>
      <FormError error={error} />
    </form>
  );
}
