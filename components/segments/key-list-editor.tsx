"use client";

import { useId, useMemo, useState } from "react";
import { Button } from "@/components/ui/button";
import { TextAreaField, TextField } from "@/components/ui/field";
import { MAX_SEGMENT_KEYS } from "@/lib/schemas/segment";
import { mergeKeys, splitKeys } from "./key-list";

const PAGE = 50;

/**
 * Included or excluded context keys: bulk paste (up to 100,000 keys, duplicates removed and
 * counted), a filter, and the list a page at a time with a remove button per key.
 */
export function KeyListEditor(props: { title: string; noun: "included" | "excluded"; keys: string[]; editable: boolean; error?: string; onChange: (keys: string[]) => void }) {
  const [pasted, setPasted] = useState("");
  const [result, setResult] = useState<string | null>(null);
  const [filter, setFilter] = useState("");
  const [page, setPage] = useState(0);
  const statusId = useId();
  const shown = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    return needle ? props.keys.filter((key) => key.toLowerCase().includes(needle)) : props.keys;
  }, [props.keys, filter]);
  const pages = Math.max(1, Math.ceil(shown.length / PAGE));
  const current = Math.min(page, pages - 1);
  const slice = shown.slice(current * PAGE, current * PAGE + PAGE);

  function add() {
    const merged = mergeKeys(props.keys, splitKeys(pasted), MAX_SEGMENT_KEYS);
    props.onChange(merged.keys);
    setPasted("");
    const parts = [`Added ${merged.added.toLocaleString("en")} key${merged.added === 1 ? "" : "s"}`];
    if (merged.duplicates) parts.push(`${merged.duplicates.toLocaleString("en")} duplicate${merged.duplicates === 1 ? "" : "s"} ignored`);
    if (merged.overflow) parts.push(`${merged.overflow.toLocaleString("en")} left out: a list holds at most ${MAX_SEGMENT_KEYS.toLocaleString("en")} keys`);
    setResult(`${parts.join("; ")}.`);
  }

  return (
    <section aria-labelledby={`${statusId}-title`} className="space-y-3">
      <h3 id={`${statusId}-title`} className="font-semibold">
        {props.title} <span className="font-normal text-slate-500">({props.keys.length.toLocaleString("en")})</span>
      </h3>
      {props.editable ? (
        <div className="space-y-2">
          <TextAreaField
            label={`Paste ${props.noun} keys`}
            rows={3}
            value={pasted}
            onChange={(e) => setPasted(e.target.value)}
            placeholder="user-1021&#10;user-1022"
            hint={`One per line, or separated by commas. Duplicates are removed; up to ${MAX_SEGMENT_KEYS.toLocaleString("en")} keys.`}
            error={props.error}
          />
          <div className="flex items-center gap-3">
            <Button type="button" variant="secondary" disabled={!pasted.trim()} onClick={add}>
              Add {props.noun} keys
            </Button>
            {props.keys.length > 0 ? (
              <Button
                type="button"
                variant="ghost"
                onClick={() => {
                  if (confirm(`Remove all ${props.keys.length.toLocaleString("en")} ${props.noun} keys?`)) {
                    props.onChange([]);
                    setResult(`Removed all ${props.noun} keys.`);
                  }
                }}
              >
                Remove all {props.noun} keys
              </Button>
            ) : null}
          </div>
        </div>
      ) : null}
      <p id={statusId} role="status" className="text-sm text-slate-600 dark:text-slate-400">
        {result}
      </p>
      {props.keys.length > 0 ? (
        <>
          {props.keys.length > PAGE ? (
            <TextField
              label={`Find ${props.noun} keys`}
              type="search"
              value={filter}
              onChange={(e) => {
                setFilter(e.target.value);
                setPage(0);
              }}
            />
          ) : null}
          <ul aria-label={`${props.title}, page ${current + 1}`} className="divide-y divide-slate-100 rounded-md border border-slate-200 text-sm dark:divide-slate-900 dark:border-slate-800">
            {slice.map((key) => (
              <li key={key} className="flex items-center justify-between px-3 py-1">
                <code className="break-all">{key}</code>
                {props.editable ? (
                  <Button type="button" variant="ghost" className="px-2 py-0.5" aria-label={`Remove ${props.noun} key ${key}`} onClick={() => props.onChange(props.keys.filter((k) => k !== key))}>
                    Remove
                  </Button>
                ) : null}
              </li>
            ))}
            {slice.length === 0 ? <li className="px-3 py-1 text-slate-500">No key matches.</li> : null}
          </ul>
          {pages > 1 ? (
            <nav aria-label={`${props.title} pages`} className="flex items-center gap-3 text-sm">
              <Button type="button" variant="secondary" disabled={current === 0} onClick={() => setPage(current - 1)}>
                Previous
              </Button>
              <span>
                Keys {(current * PAGE + 1).toLocaleString("en")}–{(current * PAGE + slice.length).toLocaleString("en")} of {shown.length.toLocaleString("en")}
              </span>
              <Button type="button" variant="secondary" disabled={current >= pages - 1} onClick={() => setPage(current + 1)}>
                Next
              </Button>
            </nav>
          ) : null}
        </>
      ) : (
        <p className="text-sm text-slate-500">No {props.noun} keys.</p>
      )}
    </section>
  );
}
