"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import type { ShellEnvironment } from "./console-shell";

/** Switches environment while staying on the same page: /<project>/<env>/<rest>. */
export function EnvironmentSwitcher({ current, environments }: { current: string; environments: ShellEnvironment[] }) {
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const active = environments.find((env) => env.key === current);

  function switchTo(key: string) {
    const parts = pathname.split("/");
    parts[2] = encodeURIComponent(key);
    const query = search.toString();
    router.push(parts.join("/") + (query ? `?${query}` : ""));
  }

  return (
    <label className="flex items-center gap-2 text-sm">
      <span className="text-slate-500">Environment</span>
      <span aria-hidden className="inline-block h-2.5 w-2.5 rounded-full" style={{ backgroundColor: active?.color || "#64748b" }} />
      <select
        value={current}
        onChange={(event) => switchTo(event.target.value)}
        className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900"
      >
        {environments.map((env) => (
          <option key={env.key} value={env.key}>
            {env.name}
            {env.requireReview ? " (review required)" : ""}
          </option>
        ))}
      </select>
    </label>
  );
}
