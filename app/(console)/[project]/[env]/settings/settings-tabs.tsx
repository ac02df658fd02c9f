"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/components/ui/cn";

const TABS = [
  { path: "", label: "General" },
  { path: "/attributes", label: "Attributes" },
  { path: "/members", label: "Members" },
  { path: "/api-tokens", label: "API tokens" },
  { path: "/sdk-keys", label: "SDK keys" },
  { path: "/webhooks", label: "Webhooks" },
];

export function SettingsTabs({ base }: { base: string }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Settings" className="mb-6 flex gap-1 border-b border-slate-200 dark:border-slate-800">
      {TABS.map((tab) => {
        const href = base + tab.path;
        const active = pathname === href;
        return (
          <Link
            key={tab.label}
            href={href}
            aria-current={active ? "page" : undefined}
            className={cn(
              "-mb-px border-b-2 px-3 py-2 text-sm",
              active ? "border-indigo-600 font-medium" : "border-transparent text-slate-600 hover:text-slate-900 dark:text-slate-400",
            )}
          >
            {tab.label}
          </Link>
        );
      })}
    </nav>
  );
}
