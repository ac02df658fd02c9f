"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { acknowledgeOverrideAction } from "@/app/(console)/[project]/[env]/incidents/actions";
import { Button } from "@/components/ui/button";
import { auditLogHref } from "@/lib/audit/audit-log-href";
import { FormError } from "@/components/ui/form-error";
import type { ActionError } from "@/lib/actions/define-action";
import { formatUtc } from "@/lib/overrides/format-utc";
import type { OverrideView } from "@/lib/overrides/override-json";
import { useFlagOverrides, useInvalidateOverrides } from "./kill-switch-queries";
import { KillSwitchRevert } from "./kill-switch-revert";


/** One line per override: the environment, who, when, why. */
export function overrideHeadline(o: OverrideView): string {
  const what = o.action === "turn_off" ? "Kill switch pulled" : `Kill switch pulled (serving ${o.variationKey} to everyone)`;
  return `${what} in ${o.environment.name} by ${o.pulledBy} at ${formatUtc(o.pulledAt)}: ${o.reason}`;
}

/**
 * The flag page's banner: every kill switch pulled on this flag, in any environment, until
 * someone with flags:write acknowledges it. Its follow-up review lives on the incidents page.
 */
export function KillSwitchBanner({ projectKey, environmentKey, flagKey, canAcknowledge }: { projectKey: string; environmentKey: string; flagKey: string; canAcknowledge: boolean }) {
  const { data: overrides } = useFlagOverrides(projectKey, flagKey);
  const invalidate = useInvalidateOverrides(projectKey);
  const acknowledge = useMutation({
    mutationFn: async (overrideId: string) => {
      const result = await acknowledgeOverrideAction({ projectKey, overrideId });
      if (!result.ok) throw result.error;
      return result.data;
    },
    onSuccess: () => invalidate(),
  });
  if (!overrides?.length) return null;
  return (
    <div className="mb-4 space-y-2">
      {overrides.map((o) => (
        <div key={o.id} role="alert" className="rounded-md border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100">
          <p className="font-semibold">{overrideHeadline(o)}</p>
          <p className="mt-1">
            {o.reviewedAt ? `Reviewed by ${o.reviewedBy}.` : "Its follow-up review is open until an approver other than the person who pulled it reviews it."}{" "}
            <Link href={`/${projectKey}/${environmentKey}/incidents`} className="underline">
              Incidents
            </Link>{" "}
            ·{" "}
            <Link
              href={auditLogHref(projectKey, o.environment.key, { entityType: "flag", entityKey: flagKey, environment: o.environment.key, entry: o.auditEventId ?? undefined })}
              className="underline"
            >
              {o.auditEventId ? `Audit entry #${o.auditEventId}` : "Audit log"}
            </Link>
          </p>
          <div className="mt-2 flex flex-wrap gap-2">
            {canAcknowledge ? (
              <Button type="button" variant="secondary" disabled={acknowledge.isPending} onClick={() => acknowledge.mutate(o.id)}>
                Acknowledge
              </Button>
            ) : null}
            <KillSwitchRevert override={o} projectKey={projectKey} canPropose={canAcknowledge} />
          </div>
        </div>
      ))}
      <FormError error={acknowledge.error as ActionError | null} />
    </div>
  );
}
