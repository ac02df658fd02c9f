"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/components/ui/cn";
import { NAV_ITEMS } from "./nav-items";

/** Per navigation segment: a count and what it means (read out by screen readers). */
export type NavBadges = Partial<Record<string, { count: number; label: string } | undefined>>;

export function SidebarNav({ base, horizontal = false, badges = {} }: { base: string; horizontal?: boolean; badges?: NavBadges }) {
  const pathname = usePathname();
  return (
    <ul aria-label={horizontal ? undefined : "Sections"} className={cn(horizontal ? "flex gap-1 overflow-x-auto" : "space-y-1")}>
      {NAV_ITEMS.map((item) => {
        const href = `${base}/${item.segment}`;
        const active = pathname === href || pathname.startsWith(`${href}/`);
        return (
          <li key={item.segment}>
            <Link
              href={href}
              aria-current={active ? "page" : undefined}
              className={cn(
                "block whitespace-nowrap rounded-md px-3 py-1.5 text-sm",
                active
                  ? "bg-indigo-100 font-medium text-indigo-900 dark:bg-indigo-950 dark:text-indigo-100"
                  : "text-slate-700 hover:bg-slate-200 dark:text-slate-300 dark:hover:bg-slate-800",
              )}
            >
              {item.label}
              {badges[item.segment] ? (
                <span className="ml-2 rounded-full bg-indigo-600 px-1.5 text-xs font-semibold text-white" aria-label={badges[item.segment]!.label} title={badges[item.segment]!.label}>
                  {badges[item.segment]!.count}
                </span>
              ) : null}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
