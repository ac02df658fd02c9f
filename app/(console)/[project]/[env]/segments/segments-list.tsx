"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useId, useState, type FormEvent } from "react";
import { FormError } from "@/components/ui/form-error";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import { relativeTime } from "@/components/ui/relative-time";
import { useAction } from "@/components/ui/use-action";
import type { SegmentListItem, SegmentListPage } from "@/lib/segments/segment-console-data";
import { createSegmentAction } from "./actions";
import { useInvalidateSegments, useSegmentList } from "./segment-queries";

/** A key suggested from a name: lowercase words joined by dashes. */
export function suggestSegmentKey(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
}

export function SegmentsList(props: {
  projectKey: string;
  environment: { key: string; name: string };
  editable: boolean;
  owners: { email: string; name: string }[];
  now: number;
  firstPage: SegmentListPage;
}) {
  const [typed, setTyped] = useState("");
  const [query, setQuery] = useState("");
  const [trail, setTrail] = useState<{ query: string; cursors: (string | null)[] }>({ query: "", cursors: [null] });
  const [creating, setCreating] = useState(false);
  const cursors = trail.query === query ? trail.cursors : [null];
  const cursor = cursors[cursors.length - 1];
  const list = useSegmentList(props.projectKey, props.environment.key, query, cursor, query === "" && cursor === null ? props.firstPage : undefined);
  const summaryId = useId();

  useEffect(() => {
    const timer = setTimeout(() => setQuery(typed.trim()), 250);
    return () => clearTimeout(timer);
  }, [typed]);

  const page = list.data;
  return (
    <div className="space-y-4">
      {props.editable ? (
        creating ? (
          <CreateSegmentForm {...props} onCancel={() => setCreating(false)} />
        ) : (
          <Button type="button" onClick={() => setCreating(true)}>
            New segment
          </Button>
        )
      ) : null}
      <div role="search" aria-label="Find segments" className="max-w-md">
        <TextField label="Search segments" type="search" placeholder="Key, name or description" value={typed} onChange={(e) => setTyped(e.target.value)} aria-controls={summaryId} />
      </div>
      {list.error ? <Notice tone="error">{list.error.message}</Notice> : null}
      <p id={summaryId} aria-live="polite" className="text-sm text-slate-600 dark:text-slate-400">
        {page ? (page.segments.length === 0 ? (query ? "No segment matches." : "No segments yet.") : null) : "Loading segments…"}
      </p>
      {page && page.segments.length > 0 ? (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className="border-b border-slate-200 text-slate-500 dark:border-slate-800">
              <tr>
                <th className="py-2 pr-4 font-medium">Segment</th>
                <th className="py-2 pr-4 font-medium">In {props.environment.name}</th>
                <th className="py-2 pr-4 font-medium">Used by</th>
                <th className="py-2 pr-4 font-medium">Owner</th>
                <th className="py-2 pr-4 font-medium">Tags</th>
                <th className="py-2 pr-4 font-medium">Updated</th>
              </tr>
            </thead>
            <tbody>
              {page.segments.map((segment) => (
                <SegmentRow key={segment.key} segment={segment} {...props} />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {page && (cursors.length > 1 || page.nextCursor) ? (
        <nav aria-label="Pages" className="flex items-center gap-3">
          <Button type="button" variant="secondary" disabled={cursors.length === 1} onClick={() => setTrail({ query, cursors: cursors.slice(0, -1) })}>
            Previous page
          </Button>
          <span className="text-sm">Page {cursors.length}</span>
          <Button type="button" variant="secondary" disabled={!page.nextCursor} onClick={() => setTrail({ query, cursors: [...cursors, page.nextCursor] })}>
            Next page
          </Button>
        </nav>
      ) : null}
    </div>
  );
}

function SegmentRow({ segment, projectKey, environment, now }: { segment: SegmentListItem; projectKey: string; environment: { key: string; name: string }; now: number }) {
  const here = segment.environments.find((e) => e.key === environment.key);
  return (
    <tr className="border-b border-slate-100 align-top dark:border-slate-900">
      <td className="py-2 pr-4">
        <Link href={`/${projectKey}/${environment.key}/segments/${encodeURIComponent(segment.key)}`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
          {segment.name}
        </Link>
        <div>
          <code className="text-xs text-slate-500">{segment.key}</code>
        </div>
        {segment.description ? <p className="mt-0.5 line-clamp-1 max-w-md text-xs text-slate-500">{segment.description}</p> : null}
      </td>
      <td className="py-2 pr-4 whitespace-nowrap">
        {here
          ? `${here.includedCount.toLocaleString("en")} included · ${here.excludedCount.toLocaleString("en")} excluded · ${here.ruleCount} rule${here.ruleCount === 1 ? "" : "s"}`
          : "—"}
      </td>
      <td className="py-2 pr-4">
        {segment.usedByHere.length ? (
          <span title={segment.usedByHere.join(", ")}>
            {segment.usedByHere.length} flag{segment.usedByHere.length === 1 ? "" : "s"} here
          </span>
        ) : (
          <span className="text-slate-400">no flag here</span>
        )}
        {segment.usedIn.length ? <div className="text-xs text-slate-500">in {segment.usedIn.join(", ")}</div> : null}
      </td>
      <td className="py-2 pr-4">{segment.owner ? <span title={segment.owner.email}>{segment.owner.name}</span> : <span className="text-slate-400">—</span>}</td>
      <td className="py-2 pr-4">
        <div className="flex flex-wrap gap-1">
          {segment.tags.map((tag) => (
            <Badge key={tag}>{tag}</Badge>
          ))}
        </div>
      </td>
      <td className="py-2 pr-4 whitespace-nowrap">
        <time dateTime={here?.updatedAt ?? segment.updatedAt}>{relativeTime(here?.updatedAt ?? segment.updatedAt, now)}</time>
      </td>
    </tr>
  );
}

function CreateSegmentForm({ projectKey, environment, owners, onCancel }: { projectKey: string; environment: { key: string }; owners: { email: string; name: string }[]; onCancel: () => void }) {
  const router = useRouter();
  const create = useAction(createSegmentAction);
  const invalidate = useInvalidateSegments(projectKey, environment.key);
  const [name, setName] = useState("");
  const [key, setKey] = useState("");
  const [keyEdited, setKeyEdited] = useState(false);
  const errors = create.error?.fieldErrors ?? {};
  const shownKey = keyEdited ? key : suggestSegmentKey(name);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const tags = String(form.get("tags") ?? "")
      .split(",")
      .map((t) => t.trim())
      .filter(Boolean);
    const owner = String(form.get("ownerEmail") ?? "");
    create.run({ projectKey, key: shownKey, name, description: form.get("description"), tags, ...(owner ? { ownerEmail: owner } : {}) }, (segment) => {
      void invalidate();
      router.push(`/${projectKey}/${environment.key}/segments/${encodeURIComponent(segment.key)}`);
    });
  }

  return (
    <form onSubmit={onSubmit} aria-label="New segment" className="space-y-4 rounded-md border border-slate-200 p-4 dark:border-slate-800">
      <h2 className="font-semibold">New segment</h2>
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField label="Name" name="name" required value={name} onChange={(e) => setName(e.target.value)} error={errors.name} />
        <TextField
          label="Key"
          name="key"
          required
          value={shownKey}
          onChange={(e) => {
            setKey(e.target.value);
            setKeyEdited(true);
          }}
          hint="What rules refer to. It cannot be changed later."
          error={errors.key}
        />
        <TextField label="Description" name="description" error={errors.description} />
        <TextField label="Tags" name="tags" placeholder="e.g. beta, internal" hint="Separated by commas." error={errors.tags ?? Object.entries(errors).find(([p]) => p.startsWith("tags."))?.[1]} />
        <SelectField label="Owner" name="ownerEmail" defaultValue="" error={errors.ownerEmail}>
          <option value="">No owner</option>
          {owners.map((owner) => (
            <option key={owner.email} value={owner.email}>
              {owner.name} ({owner.email})
            </option>
          ))}
        </SelectField>
      </div>
      <p className="text-sm text-slate-500">The segment starts empty in every environment; add keys and rules on its page.</p>
      <FormError error={create.error} />
      <div className="flex gap-2">
        <Button type="submit" disabled={create.pending}>
          Create segment
        </Button>
        <Button type="button" variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
