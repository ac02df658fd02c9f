"use client";

import Link from "next/link";
import { useState, type ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { CodeText } from "@/components/ui/code-text";
import type { AuditEventDetail, AuditListItem } from "@/lib/schemas/audit";
import { auditChangeLines } from "./change-lines";

const ACTOR_TYPES: Record<AuditListItem["actorType"], string> = { user: "Person", api_token: "API token", system: "System" };

/** "2026-11-24 09:30:12 UTC": the same text on the server and in every browser. */
export function utcTime(iso: string): string {
  return `${iso.slice(0, 19).replace("T", " ")} UTC`;
}

/** Where an entry's entity lives in the console, when it has a page. */
export function entityHref(entry: Pick<AuditListItem, "entityType" | "entityKey" | "environment">, projectKey: string, environmentKey: string): string | null {
  const env = encodeURIComponent(entry.environment ?? environmentKey);
  const key = encodeURIComponent(entry.entityKey);
  switch (entry.entityType) {
    case "flag":
      return `/${projectKey}/${env}/flags/${key}`;
    case "segment":
      return `/${projectKey}/${env}/segments/${key}`;
    case "change_request":
      return `/${projectKey}/${env}/change-requests/${key}`;
    default:
      return null;
  }
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-[9rem_1fr] gap-2 py-1">
      <dt className="text-slate-500">{label}</dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </div>
  );
}

function JsonBlock({ label, value }: { label: string; value: unknown }) {
  return (
    <figure className="min-w-0">
      <figcaption className="mb-1 text-xs font-medium text-slate-500">{label}</figcaption>
      <pre aria-label={label} className="max-h-96 overflow-auto rounded bg-slate-50 p-2 text-xs dark:bg-slate-900">
        {value === null || value === undefined ? "—" : JSON.stringify(value, null, 2)}
      </pre>
    </figure>
  );
}

/**
 * One audit entry, whatever its entity: who, when, what, the change in plain words where it
 * can be read so (flag configurations, segments, stored rule-level diffs, changed fields), the
 * raw before / after / diff JSON, the reason, the change request and the request it came from.
 */
export function AuditEntryDetail({ entry, projectKey, environmentKey, environmentName }: { entry: AuditEventDetail; projectKey: string; environmentKey: string; environmentName: (key: string) => string }) {
  const lines = auditChangeLines(entry);
  const [raw, setRaw] = useState(lines.length === 0);
  const href = entityHref(entry, projectKey, environmentKey);
  const meta = entry.requestMeta;
  return (
    <div className="space-y-4 text-sm">
      <dl>
        <Row label="When">
          <time dateTime={entry.createdAt}>{utcTime(entry.createdAt)}</time>
        </Row>
        <Row label="Who">
          {entry.actorLabel} <Badge>{ACTOR_TYPES[entry.actorType]}</Badge>
        </Row>
        <Row label="Action">
          <code>{entry.action}</code>
        </Row>
        <Row label="Entity">
          {entry.entityType}{" "}
          {href ? (
            <Link href={href} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
              {entry.entityKey}
            </Link>
          ) : (
            <code>{entry.entityKey}</code>
          )}
        </Row>
        <Row label="Environment">{entry.environment ? environmentName(entry.environment) : <span className="text-slate-400">project-wide</span>}</Row>
        <Row label="Reason">{entry.reason ? <span className="whitespace-pre-wrap">{entry.reason}</span> : <span className="text-slate-400">none given</span>}</Row>
        {entry.changeRequestId ? (
          <Row label="Change request">
            <Link href={`/${projectKey}/${encodeURIComponent(entry.environment ?? environmentKey)}/change-requests/${encodeURIComponent(entry.changeRequestId)}`} className="text-indigo-700 hover:underline dark:text-indigo-300">
              {entry.changeRequestId}
            </Link>
          </Row>
        ) : null}
        <Row label="Request">
          {meta ? (
            <span className="space-y-0.5">
              <span className="block">IP {meta.ip ?? "unknown"}</span>
              <span className="block text-xs text-slate-500">{meta.userAgent ?? "no user agent"}</span>
              {meta.requestId ? <span className="block font-mono text-xs text-slate-500">request {meta.requestId}</span> : null}
            </span>
          ) : (
            <span className="text-slate-400">not recorded (scheduler, script or an entry from before request metadata)</span>
          )}
        </Row>
      </dl>

      <section aria-label="What changed">
        <h3 className="mb-1 font-medium">What changed</h3>
        {lines.length ? (
          <ul className="list-disc space-y-0.5 pl-5">
            {lines.map((line, i) => (
              <li key={i}>
                <CodeText text={line} />
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-slate-500">{entry.before === null && entry.after !== null ? "Created; see the JSON below." : entry.after === null && entry.before !== null ? "Removed; see the JSON below." : "No comparison in words for this entry; see the JSON below."}</p>
        )}
      </section>

      <section>
        <Button type="button" variant="secondary" aria-expanded={raw} onClick={() => setRaw(!raw)}>
          {raw ? "Hide raw JSON" : "Show raw JSON"}
        </Button>
        {raw ? (
          <div className="mt-2 space-y-2">
            <div className="grid gap-2 md:grid-cols-2">
              <JsonBlock label="Before" value={entry.before} />
              <JsonBlock label="After" value={entry.after} />
            </div>
            {entry.diff !== null && entry.diff !== undefined ? <JsonBlock label="Diff" value={entry.diff} /> : null}
          </div>
        ) : null}
      </section>

      <details className="text-xs text-slate-500">
        <summary className="cursor-pointer">Hash chain</summary>
        <dl className="mt-1 font-mono">
          <Row label="Entry">#{entry.id}</Row>
          <Row label="Previous hash">{entry.prevHash}</Row>
          <Row label="Hash">{entry.hash}</Row>
        </dl>
      </details>
    </div>
  );
}
