"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { auditLogHref } from "@/lib/audit/audit-log-href";
import { useState } from "react";
import { formatUtc } from "@/lib/overrides/format-utc";
import { useInvalidateOverrides, useOverrideList } from "@/components/flags/kill-switch-queries";
import { KillSwitchRevert } from "@/components/flags/kill-switch-revert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { TextAreaField } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import type { ActionError } from "@/lib/actions/define-action";
import type { OverrideView } from "@/lib/overrides/override-json";
import { REVIEW_NOTE_MAX } from "@/lib/schemas/emergency-override";
import { acknowledgeOverrideAction, reviewOverrideAction } from "./actions";

interface Props {
  projectKey: string;
  initial: { open: OverrideView[]; past: OverrideView[] };
  currentUserEmail: string;
  canAcknowledge: boolean;
  canReview: boolean;
}

export function IncidentsList({ projectKey, initial, ...permissions }: Props) {
  const { data } = useOverrideList(projectKey, initial);
  return (
    <div className="space-y-8">
      <section aria-labelledby="open-heading">
        <h2 id="open-heading" className="mb-3 text-lg font-semibold">
          Awaiting review ({data.open.length})
        </h2>
        {data.open.length === 0 ? <p className="text-sm text-slate-500">No kill switch is awaiting its follow-up review.</p> : null}
        <ul className="space-y-3">
          {data.open.map((o) => (
            <li key={o.id}>
              <OverrideCard override={o} projectKey={projectKey} {...permissions} />
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="past-heading">
        <h2 id="past-heading" className="mb-3 text-lg font-semibold">
          Reviewed ({data.past.length})
        </h2>
        {data.past.length === 0 ? <p className="text-sm text-slate-500">None yet.</p> : null}
        <ul className="space-y-3">
          {data.past.map((o) => (
            <li key={o.id}>
              <OverrideCard override={o} projectKey={projectKey} {...permissions} />
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

function OverrideCard({ override: o, projectKey, currentUserEmail, canAcknowledge, canReview }: { override: OverrideView; projectKey: string } & Omit<Props, "projectKey" | "initial">) {
  const invalidate = useInvalidateOverrides(projectKey);
  const [note, setNote] = useState("");
  const acknowledge = useMutation({
    mutationFn: async () => {
      const result = await acknowledgeOverrideAction({ projectKey, overrideId: o.id });
      if (!result.ok) throw result.error;
    },
    onSuccess: () => invalidate(),
  });
  const review = useMutation({
    mutationFn: async () => {
      const result = await reviewOverrideAction({ projectKey, overrideId: o.id, note });
      if (!result.ok) throw result.error;
    },
    onSuccess: () => invalidate(),
  });
  const ownPull = o.pulledByEmail === currentUserEmail;
  const reviewError = review.error as ActionError | null;
  // The flag in the environment the switch was pulled in.
  const flagHref = `/${projectKey}/${o.environment.key}/flags/${encodeURIComponent(o.flag.key)}`;
  // The flag's audit history in that environment, the pull's own entry open beside it.
  const auditHref = auditLogHref(projectKey, o.environment.key, { entityType: "flag", entityKey: o.flag.key, environment: o.environment.key, entry: o.auditEventId ?? undefined });

  return (
    <article aria-label={`Kill switch on ${o.flag.key} in ${o.environment.name}`} className="rounded-md border border-slate-200 p-4 text-sm dark:border-slate-800">
      <div className="flex flex-wrap items-center gap-2">
        <Link href={flagHref} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
          {o.flag.name}
        </Link>
        <code className="text-xs text-slate-500">{o.flag.key}</code>
        <Badge>
          <span aria-hidden className="mr-1 inline-block h-2 w-2 rounded-full" style={{ backgroundColor: o.environment.color }} />
          {o.environment.name}
        </Badge>
        <Badge tone="red">{o.action === "turn_off" ? "Turned off" : `Served ${o.variationKey} to everyone`}</Badge>
        {o.reviewedAt ? <Badge tone="green">Reviewed</Badge> : <Badge tone="amber">Awaiting review</Badge>}
        {o.acknowledgedAt ? null : <Badge tone="neutral">Not acknowledged</Badge>}
      </div>
      <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
        <dt className="text-slate-500">Pulled</dt>
        <dd>
          by {o.pulledBy} at <time dateTime={o.pulledAt}>{formatUtc(o.pulledAt)}</time> (version {o.fromVersion} → {o.toVersion})
        </dd>
        <dt className="text-slate-500">Reason</dt>
        <dd className="whitespace-pre-wrap">{o.reason}</dd>
        {o.acknowledgedAt ? (
          <>
            <dt className="text-slate-500">Acknowledged</dt>
            <dd>
              by {o.acknowledgedBy ?? "a service token"} at <time dateTime={o.acknowledgedAt}>{formatUtc(o.acknowledgedAt)}</time>
            </dd>
          </>
        ) : null}
        {o.reviewedAt ? (
          <>
            <dt className="text-slate-500">Reviewed</dt>
            <dd>
              by {o.reviewedBy} at <time dateTime={o.reviewedAt}>{formatUtc(o.reviewedAt)}</time>
            </dd>
            <dt className="text-slate-500">Review note</dt>
            <dd className="whitespace-pre-wrap">{o.reviewNote}</dd>
          </>
        ) : null}
      </dl>
      <div className="mt-3 flex flex-wrap items-start gap-2">
        {canAcknowledge && !o.acknowledgedAt ? (
          <Button type="button" variant="secondary" disabled={acknowledge.isPending} onClick={() => acknowledge.mutate()}>
            Acknowledge
          </Button>
        ) : null}
        <KillSwitchRevert override={o} projectKey={projectKey} canPropose={canAcknowledge} />
        <Link href={auditHref} className="self-center text-indigo-700 hover:underline dark:text-indigo-300">
          {o.auditEventId ? `Audit entry #${o.auditEventId}` : "Audit log"}
        </Link>
      </div>
      <FormError error={acknowledge.error as ActionError | null} className="mt-2" />
      {!o.reviewedAt && canReview ? (
        ownPull ? (
          <p className="mt-3 text-slate-500">You pulled this kill switch, so another approver reviews it.</p>
        ) : (
          <form
            className="mt-3 space-y-2"
            aria-label={`Review the kill switch on ${o.flag.key}`}
            onSubmit={(event) => {
              event.preventDefault();
              review.mutate();
            }}
          >
            <TextAreaField
              label="Review note"
              hint="What happened, whether the override was right, and what follows (a revert, a fix)."
              rows={3}
              maxLength={REVIEW_NOTE_MAX}
              value={note}
              onChange={(e) => setNote(e.target.value)}
              error={reviewError?.fieldErrors?.note}
            />
            <FormError error={reviewError} />
            <Button type="submit" disabled={review.isPending || note.trim() === ""}>
              Record review
            </Button>
          </form>
        )
      ) : null}
      {!o.reviewedAt && !canReview ? <p className="mt-3 text-slate-500">An approver records the follow-up review.</p> : null}
    </article>
  );
}
