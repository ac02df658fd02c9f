"use client";

import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { useEffect, useId, useRef, useState, useSyncExternalStore } from "react";
import { useMutation } from "@tanstack/react-query";
import { AuditEntryDetail, entityHref, utcTime } from "@/components/audit/audit-entry-detail";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import { relativeTime } from "@/components/ui/relative-time";
import type { AuditChainVerification, AuditListItem, AuditPage } from "@/lib/schemas/audit";
import {
  AuditQueryError,
  exportHref,
  filtersFromSearch,
  filtersToSearch,
  NO_FILTERS,
  PAGE_SIZE,
  useAuditEntry,
  useAuditPage,
  verifyChain,
  type AuditFilterState,
} from "./audit-query";

/** Entity types the application writes; a type in the URL that is not listed is offered too. */
const ENTITY_TYPES = ["flag", "segment", "attribute", "change_request", "member", "api_token", "sdk_key", "project", "environment", "webhook", "rollout_plan"];
const KNOWN_ACTIONS = [
  "flag.created",
  "flag.updated",
  "flag.archived",
  "flag_config.updated",
  "flag_config.*",
  "segment_config.updated",
  "segment.*",
  "change_request.*",
  "kill_switch.pulled",
  "attribute.*",
  "member.*",
  "api_token.*",
  "sdk_key.*",
];
const ACTOR_TONE = { user: "neutral", api_token: "indigo", system: "amber" } as const;

/** Text filters apply after a pause in typing; the others at once. */
const TYPED = ["q", "actor", "entityKey", "action"] as const;

interface EnvironmentInfo {
  key: string;
  name: string;
  color: string;
}

/** A datetime-local value (the browser's zone) from an ISO time, and back. */
function toLocalInput(iso: string): string {
  const time = new Date(iso);
  if (Number.isNaN(time.getTime())) return "";
  return new Date(time.getTime() - time.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}
function fromLocalInput(value: string): string {
  const time = new Date(value);
  return value && !Number.isNaN(time.getTime()) ? time.toISOString() : "";
}

const subscribeNothing = () => () => {};
/** False during the server render and hydration, true after: the browser's time zone is known only then. */
function useInBrowser(): boolean {
  return useSyncExternalStore(subscribeNothing, () => true, () => false);
}

export function AuditLog(props: {
  projectKey: string;
  environment: { key: string; name: string };
  environments: EnvironmentInfo[];
  actors: string[];
  canVerify: boolean;
  now: number;
  firstPage?: AuditPage;
}) {
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const inBrowser = useInBrowser();
  // Filters and the open entry live here and are mirrored into the URL, so a filtered view or
  // one entry can be bookmarked and shared (the native history API keeps Next's router in step).
  const [filters, setFilters] = useState(() => filtersFromSearch(searchParams));
  const [entryId, setEntryId] = useState<string | null>(() => searchParams.get("entry"));
  const search = filtersToSearch(filters).toString();
  useEffect(() => {
    const params = new URLSearchParams(search);
    if (entryId) params.set("entry", entryId);
    const next = params.toString();
    if (next !== new URLSearchParams(window.location.search).toString()) window.history.replaceState(null, "", next ? `${pathname}?${next}` : pathname);
  }, [search, entryId, pathname]);

  const [initialSearch] = useState(search);
  const [trail, setTrail] = useState<{ search: string; cursors: (string | null)[] }>({ search, cursors: [null] });
  const cursors = trail.search === search ? trail.cursors : [null];
  const cursor = cursors[cursors.length - 1];
  const list = useAuditPage(props.projectKey, filters, cursor, search === initialSearch && cursor === null && props.firstPage ? { data: props.firstPage, at: props.now } : undefined);

  const [typed, setTyped] = useState(() => Object.fromEntries(TYPED.map((name) => [name, filters[name]])) as Pick<AuditFilterState, (typeof TYPED)[number]>);
  useEffect(() => {
    const timer = setTimeout(() => setFilters((current) => (TYPED.every((name) => current[name] === typed[name]) ? current : { ...current, ...typed })), 300);
    return () => clearTimeout(timer);
  }, [typed]);
  const set = (name: keyof AuditFilterState, value: string) => setFilters((current) => ({ ...current, [name]: value }));
  const type = (name: (typeof TYPED)[number], value: string) => setTyped((current) => ({ ...current, [name]: value }));

  const fieldErrors = list.error instanceof AuditQueryError ? list.error.fields : {};
  const page = list.data;
  const pageIndex = cursors.length - 1;
  const filtered = search !== "";
  const summaryId = useId();
  const envName = (key: string) => props.environments.find((e) => e.key === key)?.name ?? key;
  const entityTypes = filters.entityType && !ENTITY_TYPES.includes(filters.entityType) ? [filters.entityType, ...ENTITY_TYPES] : ENTITY_TYPES;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-2">
        <span className="text-sm text-slate-600 dark:text-slate-400">Export {filtered ? "the matching entries" : "every entry"}:</span>
        {(["csv", "json", "ndjson"] as const).map((format) => (
          <a
            key={format}
            href={exportHref(props.projectKey, filters, format)}
            download
            className="rounded-md border border-slate-300 px-2.5 py-1 text-sm font-medium hover:bg-slate-50 dark:border-slate-700 dark:hover:bg-slate-800"
          >
            {format === "csv" ? "CSV" : format === "json" ? "JSON" : "NDJSON"}
          </a>
        ))}
        {props.canVerify ? <VerifyIntegrity projectKey={props.projectKey} onOpen={setEntryId} /> : null}
      </div>

      <div role="search" aria-label="Filter the audit log" className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <TextField label="Search" type="search" placeholder="Key, action, reason or actor" value={typed.q} onChange={(e) => type("q", e.target.value)} aria-controls={summaryId} error={fieldErrors.q} />
        <TextField label="Actor" list="audit-actors" placeholder="email, token:name or system:name" value={typed.actor} onChange={(e) => type("actor", e.target.value)} error={fieldErrors.actor} />
        <datalist id="audit-actors">
          {props.actors.map((actor) => (
            <option key={actor} value={actor} />
          ))}
        </datalist>
        <TextField label="Action" list="audit-actions" placeholder="flag_config.updated or change_request.*" value={typed.action} onChange={(e) => type("action", e.target.value)} error={fieldErrors.action} />
        <datalist id="audit-actions">
          {KNOWN_ACTIONS.map((action) => (
            <option key={action} value={action} />
          ))}
        </datalist>
        <SelectField label="Environment" value={filters.environment} onChange={(e) => set("environment", e.target.value)} error={fieldErrors.environment}>
          <option value="">All, and project-wide</option>
          {props.environments.map((env) => (
            <option key={env.key} value={env.key}>
              {env.name}
            </option>
          ))}
        </SelectField>
        <SelectField label="Entity type" value={filters.entityType} onChange={(e) => set("entityType", e.target.value)} error={fieldErrors.entityType}>
          <option value="">Any entity</option>
          {entityTypes.map((entityType) => (
            <option key={entityType} value={entityType}>
              {entityType.replace("_", " ")}
            </option>
          ))}
        </SelectField>
        <TextField label="Entity key" placeholder="e.g. new-checkout" value={typed.entityKey} onChange={(e) => type("entityKey", e.target.value)} error={fieldErrors.entityKey} />
        <TextField
          label="From"
          type="datetime-local"
          value={inBrowser ? toLocalInput(filters.from) : ""}
          onChange={(e) => set("from", fromLocalInput(e.target.value))}
          error={fieldErrors.from}
        />
        <TextField label="Until" type="datetime-local" value={inBrowser ? toLocalInput(filters.to) : ""} onChange={(e) => set("to", fromLocalInput(e.target.value))} error={fieldErrors.to} />
      </div>
      {filtered ? (
        <Button
          type="button"
          variant="ghost"
          onClick={() => {
            setTyped({ q: "", actor: "", entityKey: "", action: "" });
            setFilters(NO_FILTERS);
          }}
        >
          Clear filters
        </Button>
      ) : null}

      {list.error ? <Notice tone="error">{list.error.message}</Notice> : null}
      <p id={summaryId} aria-live="polite" className="text-sm text-slate-600 dark:text-slate-400">
        {page
          ? page.events.length === 0
            ? filtered
              ? "No entries match these filters."
              : "No entries yet."
            : `Entries ${(pageIndex * PAGE_SIZE + 1).toLocaleString("en")}–${(pageIndex * PAGE_SIZE + page.events.length).toLocaleString("en")}${filtered ? " matching" : ""}, newest first`
          : list.error
            ? ""
            : "Loading the audit log…"}
        {list.isFetching && page ? <span className="ml-2 text-slate-400">updating…</span> : null}
      </p>

      {page && page.events.length > 0 ? (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm" aria-busy={list.isFetching} aria-label="Audit log">
            <thead className="border-b border-slate-200 text-slate-500 dark:border-slate-800">
              <tr>
                <th className="py-2 pr-4 font-medium">When</th>
                <th className="py-2 pr-4 font-medium">Who</th>
                <th className="py-2 pr-4 font-medium">Action</th>
                <th className="py-2 pr-4 font-medium">Entity</th>
                <th className="py-2 pr-4 font-medium">Environment</th>
                <th className="py-2 pr-4 font-medium">Reason</th>
                <th className="py-2 font-medium">
                  <span className="sr-only">Details</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {page.events.map((entry) => (
                <EntryRow key={entry.id} entry={entry} open={entry.id === entryId} onOpen={() => setEntryId(entry.id)} envName={envName} now={props.now} projectKey={props.projectKey} environmentKey={props.environment.key} />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}

      {page && (pageIndex > 0 || page.nextCursor) ? (
        <nav aria-label="Pages" className="flex items-center gap-3">
          <Button type="button" variant="secondary" disabled={pageIndex === 0} onClick={() => setTrail({ search, cursors: cursors.slice(0, -1) })}>
            Newer entries
          </Button>
          <span className="text-sm text-slate-600 dark:text-slate-400">Page {pageIndex + 1}</span>
          <Button type="button" variant="secondary" disabled={!page.nextCursor || list.isPlaceholderData} onClick={() => setTrail({ search, cursors: [...cursors, page.nextCursor] })}>
            Older entries
          </Button>
        </nav>
      ) : null}

      {entryId ? <EntryDrawer id={entryId} onClose={() => setEntryId(null)} projectKey={props.projectKey} environmentKey={props.environment.key} envName={envName} /> : null}
    </div>
  );
}

function EntryRow({ entry, open, onOpen, envName, now, projectKey, environmentKey }: { entry: AuditListItem; open: boolean; onOpen: () => void; envName: (key: string) => string; now: number; projectKey: string; environmentKey: string }) {
  const href = entityHref(entry, projectKey, environmentKey);
  return (
    <tr className={`border-b border-slate-100 align-top dark:border-slate-900 ${open ? "bg-indigo-50 dark:bg-indigo-950" : ""}`}>
      <td className="py-2 pr-4 whitespace-nowrap">
        <time dateTime={entry.createdAt} title={utcTime(entry.createdAt)}>
          {relativeTime(entry.createdAt, now)}
        </time>
        <div className="text-xs text-slate-500">{utcTime(entry.createdAt)}</div>
      </td>
      <td className="py-2 pr-4">
        <span className="break-all">{entry.actorLabel}</span> {entry.actorType !== "user" ? <Badge tone={ACTOR_TONE[entry.actorType]}>{entry.actorType === "api_token" ? "token" : "system"}</Badge> : null}
      </td>
      <td className="py-2 pr-4">
        <code className="text-xs">{entry.action}</code>
      </td>
      <td className="py-2 pr-4">
        <span className="text-xs text-slate-500">{entry.entityType.replace("_", " ")}</span>
        <div>
          {href ? (
            <Link href={href} className="text-indigo-700 hover:underline dark:text-indigo-300">
              {entry.entityKey}
            </Link>
          ) : (
            <span className="break-all">{entry.entityKey}</span>
          )}
        </div>
      </td>
      <td className="py-2 pr-4 whitespace-nowrap">{entry.environment ? envName(entry.environment) : <span className="text-slate-400">—</span>}</td>
      <td className="py-2 pr-4">
        <span className="line-clamp-2 max-w-xs">{entry.reason ?? <span className="text-slate-400">—</span>}</span>
      </td>
      <td className="py-2">
        <Button type="button" variant="ghost" onClick={onOpen} aria-label={`Details of entry ${entry.id}: ${entry.action} ${entry.entityKey}`}>
          Details
        </Button>
      </td>
    </tr>
  );
}

/** The entry beside the table (a modeless side panel: the table stays usable behind it). */
function EntryDrawer({ id, onClose, projectKey, environmentKey, envName }: { id: string; onClose: () => void; projectKey: string; environmentKey: string; envName: (key: string) => string }) {
  const entry = useAuditEntry(projectKey, id);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [id]);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => event.key === "Escape" && onClose();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);
  return (
    <aside
      role="dialog"
      aria-modal="false"
      aria-labelledby="audit-entry-heading"
      className="fixed inset-y-0 right-0 z-40 w-full max-w-2xl overflow-y-auto border-l border-slate-200 bg-white p-5 shadow-xl dark:border-slate-800 dark:bg-slate-950"
    >
      <div className="mb-4 flex items-start justify-between gap-3">
        <h2 id="audit-entry-heading" ref={heading} tabIndex={-1} className="text-lg font-semibold outline-none">
          Entry #{id}
        </h2>
        <Button type="button" variant="secondary" onClick={onClose}>
          Close
        </Button>
      </div>
      {entry.error ? (
        <Notice tone="error">{entry.error instanceof AuditQueryError && entry.error.status === 404 ? `Entry #${id} is not in this project's audit log.` : entry.error.message}</Notice>
      ) : entry.data ? (
        <AuditEntryDetail key={entry.data.id} entry={entry.data} projectKey={projectKey} environmentKey={environmentKey} environmentName={envName} />
      ) : (
        <p className="text-sm text-slate-500">Loading the entry…</p>
      )}
    </aside>
  );
}

/** "Verify integrity": walks the whole chain on the server and says where it breaks, if it does. */
function VerifyIntegrity({ projectKey, onOpen }: { projectKey: string; onOpen: (id: string) => void }) {
  const verify = useMutation<AuditChainVerification, Error>({ mutationFn: () => verifyChain(projectKey) });
  const result = verify.data;
  return (
    <div className="ml-auto flex flex-col items-end gap-2">
      <Button type="button" variant="secondary" disabled={verify.isPending} onClick={() => verify.mutate()}>
        {verify.isPending ? "Verifying…" : "Verify integrity"}
      </Button>
      {verify.error ? <Notice tone="error">{verify.error.message}</Notice> : null}
      {result?.ok ? (
        <Notice tone="success" title="The audit log is intact">
          {result.checked.toLocaleString("en")} entries checked (the whole installation&apos;s chain) in {(result.durationMs / 1000).toFixed(1)} s. Latest hash{" "}
          <code className="break-all text-xs">{result.lastHash}</code>
        </Notice>
      ) : null}
      {result && !result.ok ? (
        <Notice tone="error" title={`Tampering detected at entry #${result.brokenAt}`}>
          <p>{result.message}</p>
          <p className="mt-1">
            {result.checked.toLocaleString("en")} entries before it verified.{" "}
            <button type="button" className="font-medium underline" onClick={() => onOpen(result.brokenAt)}>
              Open entry #{result.brokenAt}
            </button>
          </p>
        </Notice>
      ) : null}
    </div>
  );
}
