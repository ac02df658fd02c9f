"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import type { PullKillSwitchResult } from "@/lib/overrides/pull-kill-switch";
import { KillSwitchDialog, type KillSwitchTarget } from "./kill-switch-dialog";
import { useInvalidateOverrides } from "./kill-switch-queries";

/**
 * The flags list's per-row "Turn off" (offered while the flag is on): the same dialog as the flag
 * page. After a pull the list (every page of it in this environment) reads again; the outcome
 * stays shown in the row.
 */
export function KillSwitchQuickAction({ target, on, listKey }: { target: KillSwitchTarget; on: boolean; listKey: readonly unknown[] }) {
  const [open, setOpen] = useState(false);
  const [result, setResult] = useState<PullKillSwitchResult | null>(null);
  const client = useQueryClient();
  const invalidateOverrides = useInvalidateOverrides(target.projectKey);
  return (
    <>
      {on ? (
        <Button type="button" variant="ghost" className="text-red-700 dark:text-red-300" title={`Kill switch: turn ${target.flagKey} off in ${target.environment.name}`} onClick={() => setOpen(true)}>
          Turn off
        </Button>
      ) : null}
      {result ? (
        <p role="status" className="mt-1 max-w-48 text-xs text-slate-600 dark:text-slate-400">
          {result.message}
        </p>
      ) : null}
      {open ? (
        <KillSwitchDialog
          target={target}
          action="turn_off"
          open
          onClose={() => setOpen(false)}
          onPulled={(pulled) => {
            setResult(pulled);
            void client.invalidateQueries({ queryKey: listKey });
            void invalidateOverrides();
          }}
        />
      ) : null}
    </>
  );
}
