import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import type { FlagPageData } from "@/lib/flags/flag-page-data";

export const KIND_TONE = { release: "indigo", experiment: "amber", operational: "red", permission: "green" } as const;

const DAY = 86_400_000;

/** "expires in 12 days" / "expired 3 days ago", with a tone that gets louder as it nears. */
export function expiryBadge(expiresAt: string | null, now: number) {
  if (!expiresAt) return null;
  const days = Math.round((new Date(expiresAt).getTime() - now) / DAY);
  const date = expiresAt.slice(0, 10);
  if (days < 0) return { tone: "red" as const, text: `expired ${-days} day${days === -1 ? "" : "s"} ago (${date})` };
  if (days <= 14) return { tone: "amber" as const, text: `expires in ${days} day${days === 1 ? "" : "s"} (${date})` };
  return { tone: "neutral" as const, text: `expires ${date}` };
}

/** Name, key, kind, lifecycle, owner, tags, expiry, visibility, and the state in each environment. */
export function FlagHeader({ data, projectKey, environmentKey, now }: { data: FlagPageData; projectKey: string; environmentKey: string; now: number }) {
  const { flag } = data;
  const expiry = expiryBadge(flag.expiresAt, now);
  return (
    <header className="mb-6 space-y-3">
      <nav aria-label="Breadcrumb" className="text-sm text-slate-500">
        <Link href={`/${projectKey}/${environmentKey}/flags`} className="hover:underline">
          Flags
        </Link>{" "}
        / <span>{flag.key}</span>
      </nav>
      <div className="flex flex-wrap items-center gap-2">
        <h1 className="text-xl font-semibold">{flag.name}</h1>
        <code className="rounded bg-slate-100 px-1.5 py-0.5 text-sm dark:bg-slate-800" title="The key is immutable">
          {flag.key}
        </code>
        <Badge tone={KIND_TONE[flag.kind]}>{flag.kind}</Badge>
        <Badge>{flag.lifecycle.replace("_", " ")}</Badge>
        {expiry ? <Badge tone={expiry.tone}>{expiry.text}</Badge> : null}
        {flag.clientVisible ? <Badge tone="green">client-visible</Badge> : <Badge>server-only</Badge>}
      </div>
      {flag.description ? <p className="max-w-3xl text-sm text-slate-600 dark:text-slate-400">{flag.description}</p> : null}
      <dl className="flex flex-wrap gap-x-6 gap-y-1 text-sm">
        <div className="flex gap-1">
          <dt className="text-slate-500">Owner</dt>
          <dd>{flag.owner ? `${flag.owner.name} (${flag.owner.email})` : "—"}</dd>
        </div>
        <div className="flex gap-1">
          <dt className="text-slate-500">Type</dt>
          <dd>{flag.valueType}</dd>
        </div>
        <div className="flex items-center gap-1">
          <dt className="text-slate-500">Tags</dt>
          <dd className="flex flex-wrap gap-1">{flag.tags.length ? flag.tags.map((t) => <Badge key={t}>{t}</Badge>) : "—"}</dd>
        </div>
      </dl>
      <nav aria-label="Environments" className="flex flex-wrap gap-2">
        {data.environments.map((env) => {
          const current = env.key === environmentKey;
          return (
            <Link
              key={env.key}
              href={`/${projectKey}/${env.key}/flags/${encodeURIComponent(flag.key)}`}
              aria-current={current ? "page" : undefined}
              className={cn(
                "inline-flex items-center gap-2 rounded-md border px-2 py-1 text-sm",
                current ? "border-indigo-500 bg-indigo-50 dark:bg-indigo-950" : "border-slate-200 hover:bg-slate-50 dark:border-slate-800 dark:hover:bg-slate-900",
              )}
            >
              <span className="h-2 w-2 rounded-full" style={{ backgroundColor: env.color }} aria-hidden />
              {env.name}
              {env.config ? <Badge tone={env.config.on ? "green" : "neutral"}>{env.config.on ? "On" : "Off"}</Badge> : <Badge>not configured</Badge>}
              {env.requireReview ? <span className="text-xs text-slate-500">review</span> : null}
            </Link>
          );
        })}
        {data.environments.length > 1 ? (
          <Link
            href={`/${projectKey}/${environmentKey}/flags/${encodeURIComponent(flag.key)}/compare`}
            className="inline-flex items-center rounded-md px-2 py-1 text-sm text-indigo-700 hover:underline dark:text-indigo-300"
          >
            Compare and promote
          </Link>
        ) : null}
      </nav>
    </header>
  );
}
