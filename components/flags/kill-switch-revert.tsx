"use client";

import { Button } from "@/components/ui/button";
import type { OverrideView } from "@/lib/overrides/override-json";

/**
 * PLACEHOLDER for "reversible through a normal change request": a Revert button that proposes
 * the pre-override configuration (revision `override.fromVersion` of the flag in
 * `override.environment`, also the `before` of the `kill_switch.pulled` audit entry) as a change
 * request with the usual diff and approvals, and links it through EmergencyOverride.changeRequestId.
 * It needs the change-request service, which is not built yet; until then it says so.
 */
export function KillSwitchRevert({ override }: { override: OverrideView }) {
  return (
    <Button
      type="button"
      variant="secondary"
      disabled
      title={`Reverting proposes version ${override.fromVersion} as a change request; change requests are not available yet.`}
    >
      Revert via change request (coming)
    </Button>
  );
}
