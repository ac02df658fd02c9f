"use client";

import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { useEffect, useId, useState } from "react";
import { KillSwitchQuickAction } from "@/components/flags/kill-switch-quick-action";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import { relativeTime } from "@/components/ui/relative-time";
import { formatPercent } from "@/lib/evaluation/explain";
import type { FlagListItem, FlagListPage } from "@/lib/flags/list-flags";
import { DEFAULT_FILTERS, filtersFromSearch, filtersToSearch, flagListKeys, PAGE_SIZE, useFlagList, type FlagListFilters } from "./flag-list-query";

const KIND_TONE = { release: "indigo", experiment: "amber", operational: "red", permission: "green" } as const;
const LIFECYCLES = ["draft", "active", "rolling_out", "released", "deprecated", "archived"] as const;
const SORTS = [
  { value: "key", label: "Key (A–Z)" },
  { value: "name", label: "Name (A–Z)" },
  { value: "updated", label: "Last changed" },
  { value: "created", label: "Newest" },
];

interface EnvironmentInfo {
  key: string;
  name: string;
  color: string;
}

const stage = (lifecycle: string) => lifecycle.replace("_", " ");

export function FlagsList(props: {
  projectKey: string;
  environment: { key: string; name: string };
  environments: EnvironmentInfo[];
  tags: string[];
  owners: { email: string; name: string }[];
  now: number;
  firstPage?: FlagListPage;
  /** The per-row "Turn off" (killswitch:use), and whether this environment makes people type its key. */
  killSwitch?: KillSwitchRowOptions;
}) {
  const pathname = usePathname();
  const searchParams = useSearchParams();
  // The filters live here (changes apply at once, several in a row included) and are mirrored
  // into the URL, so a filtered list can be bookmarked and shared. The native history API keeps
  // Next's router in step without asking the server to render the page again.
  const [filters, setFilters] = useState(() => filtersFromSearch(searchParams));
  const search = filtersToSearch(filters).toString();
  useEffect(() => {
    if (search !== filtersToSearch(filtersFromSearch(new URLSearchParams(window.location.search))).toString()) {
      window.history.replaceState(null, "", search ? `${pathname}?${search}` : pathname);
    }
  }, [search, pathname]);
  // The server rendered the first page for the URL it was asked for.
  const [initialSearch] = useState(search);
  // Cursors of the pages visited under the current filters: [null, after page 1, after page 2…].
  const [trail, setTrail] = useState<{ search: string; cursors: (string | null)[] }>({ search, cursors: [null] });
  const cursors = trail.search === search ? trail.cursors : [null];
  const cursor = cursors[cursors.length - 1];
  const list = useFlagList(
    props.projectKey,
    props.environment.key,
    filters,
    cursor,
    search === initialSearch && cursor === null && props.firstPage ? { data: props.firstPage, at: props.now } : undefined,
  );

  // The search box applies after a pause in typing.
  const [typed, setTyped] = useState(filters.query);
  useEffect(() => {
    const timer = setTimeout(() => setFilters((current) => (current.query === typed ? current : { ...current, query: typed })), 250);
    return () => clearTimeout(timer);
  }, [typed]);

  const apply = (next: FlagListFilters) => setFilters(next);
  const set = <K extends keyof FlagListFilters>(name: K, value: FlagListFilters[K]) => setFilters((current) => ({ ...current, [name]: value }));
  const page = list.data;
  const pageIndex = cursors.length - 1;
  const first = pageIndex * PAGE_SIZE + 1;
  const filtered = search !== "";
  const summaryId = useId();

  return (
    <div className="space-y-4">
      <div role="search" aria-label="Filter flags" className="flex flex-wrap items-end gap-3">
        <TextField
          className="min-w-56 flex-1"
          label="Search"
          type="search"
          placeholder="Key, name or description"
          value={typed}
          onChange={(event) => setTyped(event.target.value)}
          aria-controls={summaryId}
        />
        <SelectField label="Kind" value={filters.kind} onChange={(e) => set("kind", e.target.value)}>
          <option value="">All kinds</option>
          {Object.keys(KIND_TONE).map((kind) => (
            <option key={kind} value={kind}>
              {kind}
            </option>
          ))}
        </SelectField>
        <SelectField label="Tag" value={filters.tag} onChange={(e) => set("tag", e.target.value)}>
          <option value="">Any tag</option>
          {props.tags.map((tag) => (
            <option key={tag} value={tag}>
              {tag}
            </option>
          ))}
        </SelectField>
        <SelectField label="Owner" value={filters.owner} onChange={(e) => set("owner", e.target.value)}>
          <option value="">Anyone</option>
          {props.owners.map((owner) => (
            <option key={owner.email} value={owner.email}>
              {owner.name} ({owner.email})
            </option>
          ))}
        </SelectField>
        <SelectField label="Stage" value={filters.lifecycle} onChange={(e) => set("lifecycle", e.target.value)}>
          <option value="">Any but archived</option>
          {LIFECYCLES.map((lifecycle) => (
            <option key={lifecycle} value={lifecycle}>
              {stage(lifecycle)}
            </option>
          ))}
        </SelectField>
        <SelectField label={`State in ${props.environment.name}`} value={filters.state} onChange={(e) => set("state", e.target.value)}>
          <option value="">On or off</option>
          <option value="on">On</option>
          <option value="off">Off</option>
        </SelectField>
        <SelectField label="Sort by" value={filters.sort} onChange={(e) => set("sort", e.target.value)}>
          {SORTS.map((sort) => (
            <option key={sort.value} value={sort.value}>
              {sort.label}
            </option>
          ))}
        </SelectField>
        <label className="flex items-center gap-2 pb-1.5 text-sm">
          <input type="checkbox" checked={filters.stale} onChange={(e) => set("stale", e.target.checked)} />
          Stale only
        </label>
        {filtered ? (
          <Button
            type="button"
            variant="ghost"
            onClick={() => {
              setTyped("");
              apply(DEFAULT_FILTERS);
            }}
          >
            Clear filters
          </Button>
        ) : null}
      </div>

      {list.error ? <Notice tone="error">{list.error.message}</Notice> : null}
      <p id={summaryId} aria-live="polite" className="text-sm text-slate-600 dark:text-slate-400">
        {page
          ? page.total === 0
            ? filtered
              ? "No flags match these filters."
              : "No flags in this project yet."
            : `${page.total.toLocaleString("en")} flag${page.total === 1 ? "" : "s"}${filtered ? " match" : ""} · showing ${first.toLocaleString("en")}–${(first + page.flags.length - 1).toLocaleString("en")}`
          : "Loading flags…"}
        {list.isFetching && page ? <span className="ml-2 text-slate-400">updating…</span> : null}
      </p>

      {page && page.flags.length > 0 ? (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm" aria-busy={list.isFetching}>
            <thead className="border-b border-slate-200 text-slate-500 dark:border-slate-800">
              <tr>
                <th className="py-2 pr-4 font-medium">Flag</th>
                <th className="py-2 pr-4 font-medium">Kind</th>
                <th className="py-2 pr-4 font-medium">Environments</th>
                <th className="py-2 pr-4 font-medium">Rollout in {props.environment.name}</th>
                <th className="py-2 pr-4 font-medium">Stage</th>
                <th className="py-2 pr-4 font-medium">Owner</th>
                <th className="py-2 pr-4 font-medium">Last change</th>
                <th className="py-2 pr-4 font-medium">Tags</th>
                {props.killSwitch?.canUse ? <th className="py-2 font-medium"><span className="sr-only">Kill switch</span></th> : null}
              </tr>
            </thead>
            <tbody>
              {page.flags.map((flag) => (
                <FlagRow key={flag.key} flag={flag} {...props} />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}

      {page && (pageIndex > 0 || page.nextCursor) ? (
        <nav aria-label="Pages" className="flex items-center gap-3">
          <Button type="button" variant="secondary" disabled={pageIndex === 0} onClick={() => setTrail({ search, cursors: cursors.slice(0, -1) })}>
            Previous page
          </Button>
          <span className="text-sm text-slate-600 dark:text-slate-400">
            Page {pageIndex + 1} of {Math.max(1, Math.ceil(page.total / PAGE_SIZE)).toLocaleString("en")}
          </span>
          <Button
            type="button"
            variant="secondary"
            disabled={!page.nextCursor || list.isPlaceholderData}
            onClick={() => setTrail({ search, cursors: [...cursors, page.nextCursor] })}
          >
            Next page
          </Button>
        </nav>
      ) : null}
    </div>
  );
}

interface KillSwitchRowOptions {
  canUse: boolean;
  requireReview: boolean;
}

function FlagRow({ flag, projectKey, environment, environments, now, killSwitch }: { flag: FlagListItem; projectKey: string; environment: { key: string; name: string }; environments: EnvironmentInfo[]; now: number; killSwitch?: KillSwitchRowOptions }) {
  const states = new Map(flag.environments.map((e) => [e.key, e.on]));
  return (
    <tr className="border-b border-slate-100 align-top dark:border-slate-900">
      <td className="py-2 pr-4">
        <Link href={`/${projectKey}/${environment.key}/flags/${encodeURIComponent(flag.key)}`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
          {flag.name}
        </Link>
        <div>
          <code className="text-xs text-slate-500">{flag.key}</code>
        </div>
        {flag.description ? <p className="mt-0.5 line-clamp-1 max-w-md text-xs text-slate-500">{flag.description}</p> : null}
        <div className="mt-1 flex flex-wrap gap-1">
          {flag.staleReasons.length > 0 ? (
            <Badge tone="amber" className="cursor-help">
              <span title={`Stale: ${flag.staleReasons.join("; ")}`}>Stale</span>
              <span className="sr-only">: {flag.staleReasons.join("; ")}</span>
            </Badge>
          ) : null}
          {flag.expiringSoon && flag.expiresAt ? <Badge tone="amber">Expires {relativeTime(flag.expiresAt, now)}</Badge> : null}
        </div>
      </td>
      <td className="py-2 pr-4">
        <Badge tone={KIND_TONE[flag.kind]}>{flag.kind}</Badge>
      </td>
      <td className="py-2 pr-4">
        <ul className="space-y-0.5">
          {environments.map((env) => {
            const on = states.get(env.key);
            return (
              <li key={env.key} className="flex items-center gap-1.5 whitespace-nowrap text-xs">
                <span aria-hidden className="inline-block h-2 w-2 rounded-full" style={{ backgroundColor: env.color || "#64748b" }} />
                <span className={env.key === environment.key ? "font-medium" : "text-slate-500"}>{env.name}</span>
                {on === undefined ? <span className="text-slate-400">not configured</span> : <Badge tone={on ? "green" : "neutral"}>{on ? "On" : "Off"}</Badge>}
              </li>
            );
          })}
        </ul>
      </td>
      <td className="py-2 pr-4">
        <Rollout flag={flag} />
      </td>
      <td className="py-2 pr-4 whitespace-nowrap">{stage(flag.lifecycle)}</td>
      <td className="py-2 pr-4">{flag.owner ? <span title={flag.owner.email}>{flag.owner.name}</span> : <span className="text-slate-400">—</span>}</td>
      <td className="py-2 pr-4 whitespace-nowrap">
        <time dateTime={flag.lastChangedAt} title={new Date(flag.lastChangedAt).toISOString()}>
          {relativeTime(flag.lastChangedAt, now)}
        </time>
      </td>
      <td className="py-2 pr-4">
        <div className="flex flex-wrap gap-1">
          {flag.tags.map((tag) => (
            <Badge key={tag}>{tag}</Badge>
          ))}
        </div>
      </td>
      {killSwitch?.canUse ? (
        <td className="py-2">
          <KillSwitchQuickAction
            on={flag.current?.on ?? false}
            target={{ projectKey, flagKey: flag.key, environment: { ...environment, requireReview: killSwitch.requireReview }, variations: [] }}
            listKey={flagListKeys.all(projectKey, environment.key)}
          />
        </td>
      ) : null}
    </tr>
  );
}

/**
 * A percentage rollout of the fallthrough: the share that gets something other than the off
 * variation, and the split. A single fallthrough variation is named instead (a percentage of
 * 0 or 100 would say less).
 */
function Rollout({ flag }: { flag: FlagListItem }) {
  const current = flag.current;
  if (!current) return <span className="text-slate-400">not configured</span>;
  if (!current.on) return <span className="text-slate-500">off</span>;
  const { fallthrough } = current;
  const extras = [
    current.ruleCount > 0 ? `${current.ruleCount} rule${current.ruleCount === 1 ? "" : "s"}${current.rolloutRuleCount ? ` (${current.rolloutRuleCount} with a rollout)` : ""}` : null,
    current.targetCount > 0 ? `${current.targetCount} targeted` : null,
  ].filter(Boolean);
  return (
    <div className="text-xs">
      {fallthrough.split ? (
        <>
          <span className="text-sm font-medium">{formatPercent(fallthrough.servedPercent)}</span> <span className="text-slate-500">rolled out</span>
          <div className="text-slate-500">{fallthrough.split.map((w) => `${w.variation} ${formatPercent(w.weight)}`).join(" · ")}</div>
        </>
      ) : (
        <span>
          <span className="text-slate-500">everyone else gets </span>
          <span className="font-medium">{fallthrough.variation}</span>
        </span>
      )}
      {extras.length ? <div className="text-slate-500">+ {extras.join(", ")}</div> : null}
    </div>
  );
}
