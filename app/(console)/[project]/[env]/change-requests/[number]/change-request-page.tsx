"use client";

import Link from "next/link";
import { useState } from "react";
import { ChangeRequestItemDiff } from "@/components/change-requests/change-request-diff";
import { ChangeRequestStatusBadge, STATUS_LABELS } from "@/components/change-requests/status-badge";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/form-error";
import { Notice } from "@/components/ui/notice";
import { useAction } from "@/components/ui/use-action";
import type { ActionResult } from "@/lib/actions/define-action";
import { aroundMoment, auditLogHref } from "@/lib/audit/audit-log-href";
import type { ChangeRequestView } from "@/lib/change-requests/change-request-view";
import {
  applyChangeRequestAction,
  cancelChangeRequestAction,
  commentChangeRequestAction,
  rebaseChangeRequestAction,
  reviewChangeRequestAction,
  scheduleChangeRequestAction,
  submitChangeRequestAction,
  unscheduleChangeRequestAction,
} from "../actions";

type Versions = { itemId: string; entityKey: string; baseVersion: number; base: unknown; currentVersion: number | null; current: unknown; proposed: unknown }[] | null;

const when = (iso: string) => new Date(iso).toLocaleString("en-GB", { timeZone: "UTC", dateStyle: "medium", timeStyle: "short" }) + " UTC";

export function ChangeRequestPage({ projectKey, request, versions }: { projectKey: string; request: ChangeRequestView; versions: Versions }) {
  const target = { projectKey, number: request.number };
  const review = useAction(reviewChangeRequestAction);
  const act = useAction(async (kind: "apply" | "cancel" | "rebase" | "submit" | "unschedule"): Promise<ActionResult<unknown>> => {
    const run = { apply: applyChangeRequestAction, cancel: cancelChangeRequestAction, rebase: rebaseChangeRequestAction, submit: submitChangeRequestAction, unschedule: unscheduleChangeRequestAction }[kind];
    return run(target);
  });
  const schedule = useAction(scheduleChangeRequestAction);
  const comment = useAction(commentChangeRequestAction);
  const [reviewBody, setReviewBody] = useState("");
  const [commentBody, setCommentBody] = useState("");
  const [anchor, setAnchor] = useState("");
  const [at, setAt] = useState("");
  const [outcome, setOutcome] = useState<string | null>(null);
  const v = request.viewer;
  const error = review.error ?? act.error ?? schedule.error;
  // Every audit entry of this request (opened, reviewed, applied…) is filed under its number.
  const auditOf = (extra: { from?: string; to?: string } = {}) =>
    auditLogHref(projectKey, request.environment.key, { entityType: "change_request", entityKey: `#${request.number}`, ...extra });

  return (
    <section className="space-y-5">
      <header>
        <p className="text-sm text-slate-500">
          Change request #{request.number} · {request.environment.name}
        </p>
        <h1 className="flex flex-wrap items-center gap-2 text-xl font-semibold">
          {request.title} <ChangeRequestStatusBadge status={request.status} />
        </h1>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          By {request.author.label} · {when(request.createdAt)} · revision {request.revision} · approvals{" "}
          <strong>
            {request.approvals.count} of {request.approvals.required}
          </strong>
          {request.scheduledFor ? ` · scheduled for ${when(request.scheduledFor)}` : ""}
          {request.appliedAt ? ` · applied ${when(request.appliedAt)}` : ""}
        </p>
        {request.description ? <p className="mt-2 whitespace-pre-wrap text-sm">{request.description}</p> : null}
      </header>

      {outcome ? <Notice tone="success">{outcome}</Notice> : null}
      {error ? (
        <Notice tone="error" title="Not done">
          {error.message}
        </Notice>
      ) : null}
      {request.status === "conflicted" ? (
        <Notice tone="error" title="Conflicted: the live configuration moved since this was proposed">
          {((request.conflict as { message: string }[] | null) ?? []).map((c, i) => (
            <p key={i}>{c.message}</p>
          ))}
          {v.canRebase ? <p className="mt-1">Rebase proposes the same configuration against the current version; it then needs its approvals again.</p> : null}
        </Notice>
      ) : null}

      <div className="space-y-3" aria-label="Proposed changes">
        <h2 className="font-semibold">Changes</h2>
        {request.items.map((item) => (
          <ChangeRequestItemDiff key={item.id} item={item} />
        ))}
      </div>

      {versions ? (
        <div>
          <h2 className="mb-2 font-semibold">Base, current and proposed</h2>
          {versions.map((ver) => (
            <div key={ver.itemId} className="mb-3 grid gap-2 md:grid-cols-3" aria-label={`Versions of ${ver.entityKey}`}>
              {[
                [`Base (version ${ver.baseVersion})`, ver.base],
                [`Current (version ${ver.currentVersion ?? "—"})`, ver.current],
                ["Proposed", ver.proposed],
              ].map(([label, value]) => (
                <div key={label as string}>
                  <p className="text-xs font-medium">{label as string}</p>
                  <pre className="max-h-80 overflow-auto rounded bg-slate-100 p-2 text-xs dark:bg-slate-900">{JSON.stringify(value, null, 2)}</pre>
                </div>
              ))}
            </div>
          ))}
        </div>
      ) : null}

      <div className="flex flex-wrap gap-2" aria-label="Actions">
        {request.status === "draft" && v.isAuthor ? <Button onClick={() => act.run("submit", () => setOutcome("Submitted for review."))}>Submit for review</Button> : null}
        {v.canApply ? (
          <Button
            disabled={act.pending}
            onClick={() => act.run("apply", (data) => setOutcome((data as { status: string }).status === "applied" ? `Applied to ${request.environment.name}. SDKs and OFREP serve it now.` : "Not applied: it conflicts with changes made since."))}
          >
            Apply now
          </Button>
        ) : null}
        {request.status === "scheduled" && v.canApply ? (
          <Button variant="secondary" onClick={() => act.run("unschedule", () => setOutcome("Schedule cancelled."))}>
            Cancel schedule
          </Button>
        ) : null}
        {v.canRebase ? (
          <Button variant="secondary" onClick={() => act.run("rebase", () => setOutcome("Rebased on the current version: it needs its approvals again."))}>
            Rebase
          </Button>
        ) : null}
        {v.canCancel ? (
          <Button variant="danger" onClick={() => act.run("cancel", () => setOutcome("Cancelled."))}>
            Cancel request
          </Button>
        ) : null}
      </div>

      {v.canSchedule ? (
        <form
          className="flex flex-wrap items-end gap-2 text-sm"
          onSubmit={(e) => {
            e.preventDefault();
            schedule.run({ ...target, at: at ? new Date(at).toISOString() : "" }, () => setOutcome("Scheduled."));
          }}
        >
          <label className="flex flex-col">
            <span className="font-medium">Apply at (your local time)</span>
            <input type="datetime-local" required value={at} onChange={(e) => setAt(e.target.value)} className="rounded-md border border-slate-300 bg-white px-2 py-1 dark:border-slate-700 dark:bg-slate-900" />
          </label>
          <Button type="submit" variant="secondary" disabled={schedule.pending}>
            Schedule
          </Button>
        </form>
      ) : null}

      {v.canReview ? (
        <form className="space-y-2" onSubmit={(e) => e.preventDefault()} aria-label="Review">
          <h2 className="font-semibold">Your review</h2>
          <textarea aria-label="Review comment" rows={2} value={reviewBody} onChange={(e) => setReviewBody(e.target.value)} className="w-full rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900" />
          <div className="flex gap-2">
            <Button type="button" disabled={review.pending} onClick={() => review.run({ ...target, decision: "approve", body: reviewBody }, () => { setReviewBody(""); setOutcome("Approved."); })}>
              Approve
            </Button>
            <Button type="button" variant="secondary" disabled={review.pending} onClick={() => review.run({ ...target, decision: "request_changes", body: reviewBody }, () => { setReviewBody(""); setOutcome("Changes requested."); })}>
              Request changes
            </Button>
          </div>
        </form>
      ) : v.isAuthor && ["open", "changes_requested"].includes(request.status) ? (
        <Notice>You wrote this request: an approver other than you has to approve it.</Notice>
      ) : null}

      <div>
        <h2 className="mb-2 font-semibold">Reviews and comments</h2>
        <ul className="space-y-2 text-sm">
          {request.reviews.map((r) => (
            <li key={r.id} className="rounded-md border border-slate-200 p-2 dark:border-slate-800">
              <strong>{r.reviewer.email}</strong> {r.decision === "approve" ? "approved" : r.decision === "request_changes" ? "requested changes" : "commented"} revision {r.revision}
              {r.revision !== request.revision ? " (an earlier revision: does not count)" : ""} · {when(r.createdAt)}
              {r.body ? <p className="mt-1 whitespace-pre-wrap">{r.body}</p> : null}
            </li>
          ))}
          {request.comments.map((c) => (
            <li key={c.id} className={`rounded-md border border-slate-200 p-2 dark:border-slate-800 ${c.parentId ? "ml-6" : ""}`}>
              <strong>{c.author.email}</strong> · {when(c.createdAt)}
              {c.anchorItemId ? <span className="ml-1 text-xs text-slate-500">on {request.items.find((i) => i.id === c.anchorItemId)?.entityKey}{c.anchorRuleId ? `, rule ${c.anchorRuleId}` : ""}</span> : null}
              <p className="mt-1 whitespace-pre-wrap">{c.body}</p>
            </li>
          ))}
        </ul>
        {v.canComment ? (
          <form
            className="mt-2 space-y-2"
            onSubmit={(e) => {
              e.preventDefault();
              const [anchorItemId, anchorRuleId] = anchor ? anchor.split("|") : [];
              comment.run({ ...target, body: commentBody, ...(anchorItemId ? { anchorItemId } : {}), ...(anchorRuleId ? { anchorRuleId } : {}) }, () => setCommentBody(""));
            }}
          >
            <textarea aria-label="Comment" rows={2} value={commentBody} onChange={(e) => setCommentBody(e.target.value)} className="w-full rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900" />
            <div className="flex items-center gap-2 text-sm">
              <label htmlFor="comment-anchor">About</label>
              <select id="comment-anchor" value={anchor} onChange={(e) => setAnchor(e.target.value)} className="rounded-md border border-slate-300 bg-white px-2 py-1 dark:border-slate-700 dark:bg-slate-900">
                <option value="">The whole request</option>
                {request.items.flatMap((item) => [
                  <option key={item.id} value={item.id}>
                    {item.entityKey}
                  </option>,
                  ...((item.proposed as { rules?: { id: string; description?: string }[] }).rules ?? []).map((rule, i) => (
                    <option key={`${item.id}|${rule.id}`} value={`${item.id}|${rule.id}`}>
                      {item.entityKey} — rule {i + 1}
                      {rule.description ? ` (${rule.description})` : ""}
                    </option>
                  )),
                ])}
              </select>
              <Button type="submit" variant="secondary" disabled={comment.pending || !commentBody.trim()}>
                Comment
              </Button>
            </div>
            <FormError error={comment.error} />
          </form>
        ) : null}
      </div>

      <div>
        <h2 className="mb-2 flex flex-wrap items-baseline gap-3 font-semibold">
          History
          <Link href={auditOf()} className="text-sm font-normal text-indigo-700 hover:underline dark:text-indigo-300">
            Audit log of #{request.number}
          </Link>
        </h2>
        <ol className="space-y-1 text-sm" aria-label="State history">
          {request.transitions.map((t, i) => (
            <li key={i}>
              {when(t.at)} — {t.actor}: {t.from ? `${STATUS_LABELS[t.from]} → ` : ""}
              {STATUS_LABELS[t.to]}
              {t.note ? ` (${t.note})` : ""}{" "}
              <Link
                href={auditOf(aroundMoment(t.at))}
                className="text-indigo-700 hover:underline dark:text-indigo-300"
                aria-label={`Audit entries of ${STATUS_LABELS[t.to]} at ${when(t.at)}`}
              >
                audit
              </Link>
            </li>
          ))}
        </ol>
      </div>
    </section>
  );
}
