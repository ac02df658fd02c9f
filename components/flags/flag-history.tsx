"use client";

import { Badge } from "@/components/ui/badge";
import { CodeText } from "@/components/ui/code-text";
import { diffConfigs } from "@/components/rule-builder/diff";
import type { FlagConfig } from "@/lib/evaluation/types";
import type { HistoryEntry } from "@/lib/flags/flag-page-data";

const ACTIONS: Record<string, string> = {
  "flag.created": "Created the flag",
  "flag.updated": "Changed the flag's settings",
  "flag.archived": "Archived the flag",
  "flag.restored": "Restored the flag",
  "flag_config.created": "Configured the flag",
  "flag_config.updated": "Changed the configuration",
  "flag_test_case.created": "Added a test case",
  "flag_test_case.updated": "Changed a test case",
  "flag_test_case.deleted": "Deleted a test case",
  "kill_switch.pulled": "Pulled the kill switch",
  "kill_switch.acknowledged": "Acknowledged the kill switch",
  "kill_switch.reviewed": "Reviewed the kill switch",
};

const isConfig = (v: unknown): v is FlagConfig => typeof v === "object" && v !== null && "rules" in v && "fallthrough" in v;

function summary(entry: HistoryEntry): string[] {
  if (isConfig(entry.before) && isConfig(entry.after)) return diffConfigs(entry.before, entry.after);
  const name = (v: unknown) => (typeof v === "object" && v !== null && "name" in v ? String((v as { name: unknown }).name) : null);
  if (entry.action.startsWith("flag_test_case.")) return [`“${name(entry.after) ?? name(entry.before) ?? "?"}”`];
  if (entry.action === "flag.updated" && typeof entry.after === "object" && entry.after !== null) {
    const before = (entry.before ?? {}) as Record<string, unknown>;
    return Object.entries(entry.after as Record<string, unknown>).map(([field, value]) => `${field}: \`${JSON.stringify(before[field] ?? null)}\` → \`${JSON.stringify(value)}\``);
  }
  return [];
}

/** The flag's audit entries, newest first, each with what changed and the full before / after. */
export function FlagHistory({ entries, environments }: { entries: HistoryEntry[]; environments: { key: string; name: string }[] }) {
  if (entries.length === 0) return <p className="text-sm text-slate-500">No recorded changes yet.</p>;
  const envName = (key: string | null) => environments.find((e) => e.key === key)?.name ?? key;
  return (
    <ol className="space-y-3" aria-label="Changes, newest first">
      {entries.map((entry) => {
        const lines = summary(entry);
        return (
          <li key={entry.id} className="rounded-md border border-slate-200 p-3 text-sm dark:border-slate-800">
            <div className="flex flex-wrap items-center gap-2">
              <span className="font-medium">{ACTIONS[entry.action] ?? entry.action}</span>
              {entry.environmentKey ? <Badge>{envName(entry.environmentKey)}</Badge> : null}
              <span className="text-slate-500">
                by {entry.actor} · <time dateTime={entry.createdAt}>{new Date(entry.createdAt).toLocaleString()}</time>
              </span>
            </div>
            {lines.length ? (
              <ul className="mt-1 list-disc pl-5">
                {lines.map((line, i) => (
                  <li key={i}>
                    <CodeText text={line} />
                  </li>
                ))}
              </ul>
            ) : null}
            {entry.reason ? <p className="mt-1 text-slate-600 dark:text-slate-400">Reason: {entry.reason}</p> : null}
            {entry.before !== null || entry.after !== null ? (
              <details className="mt-1">
                <summary className="cursor-pointer text-xs text-slate-500">Before and after</summary>
                <div className="mt-1 grid gap-2 md:grid-cols-2">
                  <pre className="max-h-64 overflow-auto rounded bg-slate-50 p-2 text-xs dark:bg-slate-900" aria-label="Before">{entry.before === null ? "—" : JSON.stringify(entry.before, null, 2)}</pre>
                  <pre className="max-h-64 overflow-auto rounded bg-slate-50 p-2 text-xs dark:bg-slate-900" aria-label="After">{entry.after === null ? "—" : JSON.stringify(entry.after, null, 2)}</pre>
                </div>
              </details>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}
