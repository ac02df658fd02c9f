"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/components/ui/cn";
import { NAV_ITEMS } from "./nav-items";

export function SidebarNav({ base, horizontal = false }: { base: string; horizontal?: boolean }) {
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
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
