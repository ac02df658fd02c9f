"use client";

import { useMutation } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { pullKillSwitchAction } from "@/app/(console)/[project]/[env]/incidents/actions";
import { Button } from "@/components/ui/button";
import { DialogForm } from "@/components/ui/dialog-form";
import { SelectField, TextAreaField, TextField } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import type { ActionError } from "@/lib/actions/define-action";
import type { PullKillSwitchResult } from "@/lib/overrides/pull-kill-switch";
import { KILL_REASON_MAX, type OverrideActionKind } from "@/lib/schemas/emergency-override";

export interface KillSwitchTarget {
  projectKey: string;
  flagKey: string;
  environment: { key: string; name: string; requireReview: boolean };
  /** The flag's variation keys and the one served while off (the flags list knows neither: it offers turning off only). */
  variations: string[];
  offVariation?: string;
}

/**
 * The kill switch's confirmation: what it will do, a reason (required), and — where the
 * environment requires review — the environment key typed out, so production is never changed
 * by a misclick. It applies at once and bypasses review; the dialog says so.
 */
export function KillSwitchDialog({
  target,
  action: initialAction,
  variationKey: initialVariation,
  open,
  onClose,
  onPulled,
}: {
  target: KillSwitchTarget;
  action: OverrideActionKind;
  variationKey?: string;
  open: boolean;
  onClose: () => void;
  onPulled: (result: PullKillSwitchResult) => void;
}) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const [action, setAction] = useState(initialAction);
  const [variationKey, setVariationKey] = useState(initialVariation ?? target.variations.find((v) => v !== target.offVariation) ?? target.variations[0] ?? "");
  const [reason, setReason] = useState("");
  const [typed, setTyped] = useState("");
  const { environment } = target;

  useEffect(() => {
    const dialog = dialogRef.current;
    if (open && dialog && !dialog.open) dialog.showModal();
    if (!open && dialog?.open) dialog.close();
  }, [open]);

  const pull = useMutation({
    mutationFn: async () => {
      const result = await pullKillSwitchAction({
        projectKey: target.projectKey,
        environmentKey: environment.key,
        flagKey: target.flagKey,
        action,
        variationKey: action === "serve_variation" ? variationKey : undefined,
        reason,
        confirmEnvironment: environment.requireReview ? typed : undefined,
      });
      if (!result.ok) throw result.error;
      return result.data;
    },
    onSuccess: (result) => {
      setReason("");
      setTyped("");
      onPulled(result);
      onClose();
    },
  });
  const error = pull.error as ActionError | null;
  const confirmed = !environment.requireReview || typed.trim() === environment.key;
  const ready = reason.trim().length > 0 && confirmed && (action === "turn_off" || variationKey !== "") && !pull.isPending;
  const verb = action === "turn_off" ? `Turn off in ${environment.name}` : `Serve ${variationKey} to everyone in ${environment.name}`;

  return (
    <DialogForm
      ref={dialogRef}
      title={<>Kill switch: {target.flagKey} in {environment.name}</>}
      danger
      width="lg"
      formClassName="space-y-4 p-5"
      onClose={() => {
        pull.reset();
        onClose();
      }}
      onSubmit={() => {
        if (ready) pull.mutate();
      }}
    >
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Applies immediately{environment.requireReview ? `, without the review ${environment.name} normally requires` : ""}. It is recorded as an incident in the audit log, announced to
        webhooks, and stays open for a follow-up review by an approver other than you. The current configuration stays in the history for a revert.
      </p>
      <fieldset className="space-y-2">
        <legend className="mb-1 text-sm font-medium">What to do</legend>
        <label className="flex items-center gap-2 text-sm">
          <input type="radio" name="kill-action" checked={action === "turn_off"} onChange={() => setAction("turn_off")} />
          Turn the flag off (everyone gets {target.offVariation ? <code>{target.offVariation}</code> : "its off variation"})
        </label>
        {target.variations.length > 0 ? (
          <label className="flex items-center gap-2 text-sm">
            <input type="radio" name="kill-action" checked={action === "serve_variation"} onChange={() => setAction("serve_variation")} />
            Serve one variation to everyone (targets, rules and prerequisites removed)
          </label>
        ) : null}
        {action === "serve_variation" ? (
          <SelectField label="Variation to serve" value={variationKey} onChange={(e) => setVariationKey(e.target.value)} error={error?.fieldErrors?.variationKey} className="ml-6 max-w-xs">
            {target.variations.map((key) => (
              <option key={key} value={key}>
                {key}
              </option>
            ))}
          </SelectField>
        ) : null}
      </fieldset>
      <TextAreaField
        label="Reason (required)"
        hint="What is happening? The follow-up review and the audit log read this."
        rows={3}
        maxLength={KILL_REASON_MAX}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        error={error?.fieldErrors?.reason}
        required
      />
      {environment.requireReview ? (
        <TextField
          label={`Type “${environment.key}” to confirm`}
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          autoComplete="off"
          spellCheck={false}
          error={error?.fieldErrors?.confirmEnvironment}
        />
      ) : null}
      <FormError error={error} />
      <div className="flex justify-end gap-2">
        <Button type="button" variant="secondary" onClick={() => dialogRef.current?.close()}>
          Cancel
        </Button>
        <Button type="submit" variant="danger" disabled={!ready}>
          {pull.isPending ? "Applying…" : verb}
        </Button>
      </div>
    </DialogForm>
  );
}
