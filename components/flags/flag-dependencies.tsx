"use client";

import Link from "next/link";
import type { EnvironmentDependencies } from "@/lib/flags/flag-dependencies-view";

type Edge = EnvironmentDependencies["needs"][number];

function EdgeList({ label, edges, projectKey, environmentKey, describe }: { label: string; edges: Edge[]; projectKey: string; environmentKey: string; describe: (edge: Edge) => string }) {
  return (
    <div className="min-w-0 flex-1">
      <h3 className="mb-1 font-medium">{label}</h3>
      {edges.length === 0 ? (
        <p className="text-sm text-slate-500">None.</p>
      ) : (
        <ul aria-label={label} className="space-y-0.5 text-sm">
          {edges.map((edge) => (
            <li key={edge.flagKey} style={{ paddingLeft: `${(edge.depth - 1) * 1.25}rem` }}>
              <Link href={`/${projectKey}/${environmentKey}/flags/${encodeURIComponent(edge.flagKey)}`} className="underline">
                {edge.flagName}
              </Link>{" "}
              <span className="font-mono text-xs text-slate-500">{edge.flagKey}</span> <span className="text-xs text-slate-600 dark:text-slate-400">{describe(edge)}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/**
 * The prerequisite graph both ways in this environment: what this flag needs (its prerequisites,
 * theirs, …) and which flags need it, indented by distance, each a link; and how many flags need
 * it in the other environments.
 */
export function FlagDependencies({ projectKey, environmentKey, flagKey, dependencies }: { projectKey: string; environmentKey: string; flagKey: string; dependencies: EnvironmentDependencies[] }) {
  const here = dependencies.find((d) => d.environmentKey === environmentKey);
  if (!here) return null;
  const elsewhere = dependencies.filter((d) => d.environmentKey !== environmentKey && d.neededBy.length > 0);
  const wants = (edge: Edge) => edge.variations.map((v) => `“${v}”`).join(" or ");
  return (
    <section aria-labelledby="dependencies-heading">
      <h2 id="dependencies-heading" className="mb-2 text-lg font-semibold">
        Dependencies in {here.environmentName}
      </h2>
      <div className="flex flex-col gap-4 sm:flex-row">
        <EdgeList label={`${flagKey} needs`} edges={here.needs} projectKey={projectKey} environmentKey={environmentKey} describe={(e) => `to serve ${wants(e)}${e.depth > 1 ? ` (for ${e.via})` : ""}`} />
        <EdgeList label={`Flags that need ${flagKey}`} edges={here.neededBy} projectKey={projectKey} environmentKey={environmentKey} describe={(e) => `wants ${e.via} to serve ${wants(e)}`} />
      </div>
      {elsewhere.length ? (
        <p className="mt-2 text-xs text-slate-500">
          Elsewhere: {elsewhere.map((d) => `${d.neededBy.length} in ${d.environmentName} (${d.neededBy.map((e) => e.flagKey).join(", ")})`).join("; ")}.
        </p>
      ) : null}
    </section>
  );
}
