"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { revertOverrideAction } from "@/app/(console)/[project]/[env]/incidents/actions";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/form-error";
import type { ActionError } from "@/lib/actions/define-action";
import type { OverrideView } from "@/lib/overrides/override-json";
import { useInvalidateOverrides } from "./kill-switch-queries";

/**
 * "Reversible through a normal change request": proposes the configuration from before the
 * override (version `fromVersion`) as a change request and opens it. Once one is proposed, this
 * links to it instead (a cancelled one can be proposed again).
 */
export function KillSwitchRevert({ override, projectKey, canPropose }: { override: OverrideView; projectKey: string; canPropose: boolean }) {
  const router = useRouter();
  const invalidate = useInvalidateOverrides(projectKey);
  const revert = useMutation({
    mutationFn: async () => {
      const result = await revertOverrideAction({ projectKey, overrideId: override.id });
      if (!result.ok) throw result.error;
      return result.data;
    },
    onSuccess: (data) => {
      invalidate();
      router.push(data.path);
    },
  });
  const proposed = override.changeRequest && override.changeRequest.status !== "cancelled" ? override.changeRequest : null;
  if (proposed) {
    return (
      <Link href={`/${projectKey}/${override.environment.key}/change-requests/${proposed.number}`} className="self-center text-sm text-indigo-700 underline dark:text-indigo-300">
        Revert proposed in change request #{proposed.number} ({proposed.status.replace("_", " ")})
      </Link>
    );
  }
  if (!canPropose) return null;
  return (
    <div>
      <Button
        type="button"
        variant="secondary"
        disabled={revert.isPending}
        title={`Proposes version ${override.fromVersion}, the configuration before the kill switch, as a change request with the usual diff and approvals.`}
        onClick={() => revert.mutate()}
      >
        {revert.isPending ? "Proposing…" : "Revert via change request"}
      </Button>
      <FormError error={revert.error as ActionError | null} className="mt-1" />
    </div>
  );
}
