"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useNavBadges } from "@/components/flags/kill-switch-queries";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import { NAV_BADGE_LABELS, NAV_ITEMS } from "./nav-items";

export function SidebarNav({ base, projectKey, horizontal = false }: { base: string; projectKey: string; horizontal?: boolean }) {
  const pathname = usePathname();
  const { data: badges } = useNavBadges(projectKey);
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
              {item.badge && badges?.[item.badge] ? (
                <Badge tone="red" className="ml-2">
                  <span aria-hidden>{badges[item.badge]}</span>
                  <span className="sr-only">{NAV_BADGE_LABELS[item.badge](badges[item.badge])}</span>
                </Badge>
              ) : null}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
