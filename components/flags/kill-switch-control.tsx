"use client";

import { useState } from "react";
import { useInvalidateFlag } from "@/components/flags/flag-queries";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";
import type { PullKillSwitchResult } from "@/lib/overrides/pull-kill-switch";
import type { OverrideActionKind } from "@/lib/schemas/emergency-override";
import { KillSwitchDialog, type KillSwitchTarget } from "./kill-switch-dialog";
import { useInvalidateOverrides } from "./kill-switch-queries";

/**
 * The flag page's kill switch: "Turn off in <env>" and "Serve <variation> to everyone", each
 * through the confirmation dialog. Shown to those with killswitch:use, whatever the review policy.
 */
export function KillSwitchControl({ target, on }: { target: KillSwitchTarget; on: boolean }) {
  const [dialog, setDialog] = useState<{ action: OverrideActionKind; variationKey?: string } | null>(null);
  const [result, setResult] = useState<PullKillSwitchResult | null>(null);
  const invalidateFlag = useInvalidateFlag(target.projectKey, target.flagKey);
  const invalidateOverrides = useInvalidateOverrides(target.projectKey);
  const served = target.variations.filter((key) => key !== target.offVariation);

  return (
    <section aria-label="Kill switch" className="mb-4 rounded-lg border border-red-200 p-3 dark:border-red-900">
      <div className="flex flex-wrap items-center gap-2">
        <h2 className="mr-2 text-sm font-semibold text-red-800 dark:text-red-300">Kill switch</h2>
        <Button type="button" variant="danger" disabled={!on} title={on ? undefined : `Already off in ${target.environment.name}`} onClick={() => setDialog({ action: "turn_off" })}>
          Turn off in {target.environment.name}
        </Button>
        {served.map((key) => (
          <Button key={key} type="button" variant="secondary" onClick={() => setDialog({ action: "serve_variation", variationKey: key })}>
            Serve {key} to everyone…
          </Button>
        ))}
        <span className="text-xs text-slate-500">Immediate, bypasses review, needs a reason.</span>
      </div>
      {result ? (
        <Notice tone={result.outcome === "applied" ? "success" : "info"} className="mt-3">
          {result.message}
        </Notice>
      ) : null}
      {dialog ? (
        <KillSwitchDialog
          key={`${dialog.action}:${dialog.variationKey ?? ""}`}
          target={target}
          action={dialog.action}
          variationKey={dialog.variationKey}
          open
          onClose={() => setDialog(null)}
          onPulled={(pulled) => {
            setResult(pulled);
            void invalidateFlag(target.environment.key);
            void invalidateOverrides();
          }}
        />
      ) : null}
    </section>
  );
}
