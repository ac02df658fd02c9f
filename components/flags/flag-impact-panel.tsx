"use client";

import Link from "next/link";
import { useEffect, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Notice } from "@/components/ui/notice";
import type { DimensionImpact } from "@/lib/impact/replay";
import { useFlagImpact } from "./flag-queries";

/** Waits for typing to pause before a preview is asked for. */
export const IMPACT_DEBOUNCE_MS = 400;

function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

interface Props {
  projectKey: string;
  environmentKey: string;
  environmentName: string;
  flagKey: string;
  /** The edited configuration as canonical JSON, or null when there is no edit (or it has errors). */
  draftText: string | null;
  /** Why there is nothing to preview, when draftText is null. */
  idleMessage: string;
}

const plural = (n: number, word: string) => `${n.toLocaleString("en")} ${word}${n === 1 ? "" : "s"}`;

/**
 * How many recently seen contexts the edit in progress would move to another variation, here
 * and in the flags that require this one, broken down by the dashboard dimensions. Replayed on
 * the server (the contexts stay there); refreshed as the edit changes, once typing pauses.
 */
export function FlagImpactPanel({ projectKey, environmentKey, environmentName, flagKey, draftText, idleMessage }: Props) {
  const settled = useDebounced(draftText, IMPACT_DEBOUNCE_MS);
  const { data, error, isFetching } = useFlagImpact(projectKey, environmentKey, flagKey, settled);
  const pending = draftText !== settled || isFetching;

  return (
    <section aria-labelledby="impact-heading" aria-busy={pending} className="rounded-lg border border-slate-200 p-4 dark:border-slate-800">
      <div className="flex items-baseline justify-between gap-2">
        <h2 id="impact-heading" className="text-lg font-semibold">
          Impact in {environmentName}
        </h2>
        {draftText !== null && pending ? <span className="text-xs text-slate-500">Replaying…</span> : null}
      </div>
      {draftText === null ? (
        <p className="mt-1 text-sm text-slate-500">{idleMessage}</p>
      ) : error ? (
        <Notice tone="error" className="mt-2">
          {error.message}
        </Notice>
      ) : !data ? (
        <p className="mt-1 text-sm text-slate-500">Replaying recently seen contexts…</p>
      ) : data.sample.contexts === 0 ? (
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400" data-testid="impact-empty">
          No contexts were seen in {data.environmentName} in the last {data.sample.days} days. The preview replays the contexts of recent exposure events: once SDKs report
          exposures here, it shows how many of them this edit would move to another variation.
        </p>
      ) : (
        <div className="mt-2 space-y-3 text-sm" data-testid="impact-result">
          <p>
            <strong>{plural(data.flag.changed, "context")}</strong> of the {plural(data.sample.contexts, "context")} seen in the last {data.sample.days} days
            {data.sample.contexts >= data.sample.limit ? ` (the most recent ${data.sample.limit.toLocaleString("en")})` : ""} would get another variation.
          </p>
          {data.flag.transitions.length ? (
            <ul className="space-y-0.5" aria-label="Variation changes">
              {data.flag.transitions.map((t) => (
                <li key={`${t.from}→${t.to}`}>
                  <code>{t.from}</code> → <code>{t.to}</code>: {t.count.toLocaleString("en")}
                </li>
              ))}
            </ul>
          ) : null}
          {data.flag.changed > 0 ? data.flag.byDimension.map((d) => <DimensionTable key={d.dimension} dimension={d} />) : null}
          {data.dimensions.length === 0 ? <p className="text-xs text-slate-500">Mark public attributes as dashboard dimensions in the catalog to see this broken down.</p> : null}
          {data.dependents.length ? (
            <div>
              <p className="font-medium">Flags that require {flagKey} would change too:</p>
              <ul className="list-disc pl-5">
                {data.dependents.map((d) => (
                  <li key={d.flagKey}>
                    <Link href={`/${projectKey}/${environmentKey}/flags/${encodeURIComponent(d.flagKey)}`} className="underline">
                      {d.flagName}
                    </Link>{" "}
                    <span className="font-mono text-xs">({d.flagKey})</span>: {plural(d.changed, "context")}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          {data.privateAttributes.length ? (
            <p className="text-xs text-amber-700 dark:text-amber-300">
              The rules use private attributes ({data.privateAttributes.join(", ")}). Events never store them, so replayed contexts lack them and may be counted as not matching.
            </p>
          ) : null}
        </div>
      )}
    </section>
  );
}

function DimensionTable({ dimension }: { dimension: DimensionImpact }) {
  return (
    <table className="w-full text-left text-xs" aria-label={`Changed by ${dimension.dimension}`}>
      <caption className="mb-1 text-left text-sm font-medium">By {dimension.dimension}</caption>
      <thead className="text-slate-500">
        <tr>
          <th className="pr-2 font-medium">Value</th>
          <th className="pr-2 text-right font-medium">Changed</th>
          <th className="text-right font-medium">Seen</th>
        </tr>
      </thead>
      <tbody>
        {dimension.values.map((v) => (
          <tr key={v.value}>
            <td className="pr-2">{v.value}</td>
            <td className="pr-2 text-right">{v.changed > 0 ? <Badge tone="amber">{v.changed.toLocaleString("en")}</Badge> : "0"}</td>
            <td className="text-right">{v.seen.toLocaleString("en")}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
