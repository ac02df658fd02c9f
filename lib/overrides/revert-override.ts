import type { ProjectAccess } from "@/lib/auth/access";
import { changeRequestPath } from "@/lib/change-requests/change-request-events";
import { canonical } from "@/lib/change-requests/config-diff";
import { openChangeRequest } from "@/lib/change-requests/open-change-request";
import { linkOverrideChangeRequest } from "@/lib/data/emergency-overrides";
import { findFlagConfigRevision, findFlagWithConfig } from "@/lib/data/flag-configs";
import { conflict, notFound } from "@/lib/errors";
import type { FlagConfig } from "@/lib/evaluation/types";
import { formatUtc } from "./format-utc";
import { overrideOrThrow } from "./follow-up-override";

/**
 * "Reversible through a normal change request": proposes the configuration the flag had before
 * the kill switch (revision `fromVersion`) against the current one, with the usual diff, review
 * and apply — the override itself never undoes anything. The request is linked to the override
 * in its own transaction, so one override has at most one live revert.
 */
export async function proposeOverrideRevert(access: ProjectAccess, overrideId: string) {
  const override = await overrideOrThrow(access, overrideId);
  const live = override.changeRequest && override.changeRequest.status !== "cancelled" ? override.changeRequest : null;
  if (live) throw conflict(`Change request #${live.number} already reverts this kill switch (${live.status.replace("_", " ")}).`, { number: live.number });

  const [before, flag] = await Promise.all([
    findFlagConfigRevision(override.flagId, override.environmentId, override.fromVersion),
    findFlagWithConfig(access.project.id, override.flag.key, override.environmentId),
  ]);
  const current = flag?.configs[0];
  if (!before || !current) throw notFound(`Version ${override.fromVersion} of “${override.flag.key}” in ${override.environment.name}`);
  if (canonical(current.config) === canonical(before.config)) {
    throw conflict(`“${override.flag.key}” already serves its configuration from before the kill switch (version ${override.fromVersion}); there is nothing to revert.`);
  }

  const what = override.action === "turn_off" ? "turned off" : `served ${override.variationKey} to everyone`;
  const opened = await openChangeRequest(access, {
    environmentKey: override.environment.key,
    title: `Revert kill switch on ${override.flag.key} in ${override.environment.name}`,
    description:
      `Restores version ${override.fromVersion}, the configuration before the kill switch ${what} at ${formatUtc(override.createdAt.toISOString())} ` +
      `(by ${override.pulledBy?.name ?? override.actorLabel}: “${override.reason}”).` +
      (current.version !== override.toVersion ? ` The flag changed since (now version ${current.version}); the diff shows every difference.` : ""),
    draft: false,
    source: "kill_switch_revert",
    changes: [{ entityType: "flag", key: override.flag.key, baseVersion: current.version, config: before.config as unknown as FlagConfig }],
    afterOpened: async (tx, changeRequestId) => {
      if (!(await linkOverrideChangeRequest(tx, override.id, changeRequestId))) {
        throw conflict("Someone proposed a revert of this kill switch at the same moment; reload to see it.");
      }
    },
  });
  return { number: opened.number, status: opened.status, path: changeRequestPath({ number: opened.number, project: access.project, environment: override.environment }) };
}
