import type { ProjectAccess } from "@/lib/auth/access";
import { actingUserId } from "@/lib/auth/actor";
import { auditActorFields } from "@/lib/audit/audit-actor";
import { describeFlagConfigDiff, diffFlagConfigs } from "@/lib/change-requests/config-diff";
import { writeEmergencyOverride } from "@/lib/data/emergency-overrides";
import { conflict, fieldsInvalid, notFound } from "@/lib/errors";
import type { Variation } from "@/lib/evaluation/types";
import { getFlagOrThrow } from "@/lib/flags/get-flag-or-throw";
import { publishProjectEvent } from "@/lib/notifications/publish-project-event";
import { environmentOrThrow } from "@/lib/projects/environment-or-throw";
import type { OverrideActionKind } from "@/lib/schemas/emergency-override";
import { getSnapshotStore } from "@/lib/snapshots/snapshot-store";
import { decideOverride } from "./decide-override";

export interface PullKillSwitchInput {
  environmentKey: string;
  flagKey: string;
  action: OverrideActionKind;
  variationKey?: string;
  /** Already trimmed and bounded by the schema; checked again here (the service is the rule). */
  reason: string;
  /** The environment key, typed by the person pulling it; see `confirmationProblem`. */
  confirmEnvironment?: string;
}

export type PullKillSwitchResult =
  | {
      outcome: "applied";
      overrideId: string;
      flagKey: string;
      environmentKey: string;
      fromVersion: number;
      toVersion: number;
      snapshotVersion: number;
      message: string;
    }
  | { outcome: "unchanged"; flagKey: string; environmentKey: string; version: number; message: string };

/**
 * The kill switch: applies at once, whatever the environment's review policy (it deliberately
 * does not go through updateFlagConfig, which refuses protected environments). "Turn off" sets
 * `on: false`; "serve X" makes the configuration serve X to every context. The previous
 * configuration stays in the revision history, which is what a revert proposes again. Every
 * use opens a follow-up review (the EmergencyOverride row) and is announced to webhooks.
 */
export async function pullKillSwitch(access: ProjectAccess, input: PullKillSwitchInput): Promise<PullKillSwitchResult> {
  const reason = input.reason.trim();
  if (!reason) throw fieldsInvalid({ reason: "Give a reason: it is recorded with the override and read in its follow-up review." });
  const environment = await environmentOrThrow(access.project.id, input.environmentKey);
  const confirmation = confirmationProblem(access, environment, input.confirmEnvironment);
  if (confirmation) throw fieldsInvalid({ confirmEnvironment: confirmation });
  const flag = await getFlagOrThrow(access.project.id, input.flagKey);
  if (flag.lifecycle === "archived") {
    throw conflict(`“${flag.key}” is archived: it is not served anywhere, so there is nothing to turn off. Restore it first if it must serve again.`);
  }
  const variations = flag.variations as unknown as Variation[];
  const variationKey = input.action === "serve_variation" ? (input.variationKey ?? "").trim() : null;
  if (variationKey === "") throw fieldsInvalid({ variationKey: "Choose the variation to serve to everyone." });
  if (variationKey !== null && !variations.some((v) => v.key === variationKey)) {
    const known = variations.map((v) => `“${v.key}”`).join(", ");
    throw fieldsInvalid({ variationKey: `“${flag.key}” has no variation “${variationKey}”; its variations are ${known}.` });
  }

  const audit = auditActorFields(access.actor);
  const where = `${flag.key} in ${environment.name}`;
  const result = await writeEmergencyOverride({
    projectId: access.project.id,
    environmentId: environment.id,
    flagId: flag.id,
    flagKey: flag.key,
    action: input.action,
    variationKey,
    reason,
    audit,
    pulledById: actingUserId(access.actor),
    decide: (current) => decideOverride(current, input.action, variationKey),
    diff: (before, after) => diffFlagConfigs(before, after),
    announce: (tx, written) =>
      publishProjectEvent(
        tx,
        {
          type: "kill_switch.pulled",
          projectId: access.project.id,
          environmentKey: environment.key,
          title: `Kill switch pulled on ${where}`,
          summary: [`Reason: ${reason}`, ...describeFlagConfigDiff(diffFlagConfigs(written.before, written.after))].join("\n"),
          link: `/${access.project.key}/${environment.key}/flags/${encodeURIComponent(flag.key)}`,
          actorLabel: audit.actorLabel,
          data: {
            overrideId: written.overrideId,
            flagKey: flag.key,
            environmentKey: environment.key,
            action: input.action,
            variationKey,
            reason,
            fromVersion: written.fromVersion,
            toVersion: written.toVersion,
            diff: written.diff as Record<string, unknown>,
          },
        },
        written.createdAt,
      ),
  });

  switch (result.outcome) {
    case "missing":
      throw notFound(`A configuration of “${flag.key}” in ${environment.name}`);
    case "conflict":
      throw conflict(`“${flag.key}” changed in ${environment.name} while the kill switch was being applied. Nothing was changed; pull it again.`);
    case "unchanged":
      return {
        outcome: "unchanged",
        flagKey: flag.key,
        environmentKey: environment.key,
        version: result.version,
        message: alreadyMessage(where, input.action, variationKey),
      };
    case "applied":
      // This instance serves the change at once; the others hear the snapshot notification.
      await getSnapshotStore().reload(environment.id);
      return {
        outcome: "applied",
        overrideId: result.overrideId,
        flagKey: flag.key,
        environmentKey: environment.key,
        fromVersion: result.fromVersion,
        toVersion: result.toVersion,
        snapshotVersion: result.snapshotVersion,
        message:
          input.action === "turn_off"
            ? `${where} is off (version ${result.toVersion}). SDKs and OFREP serve the off variation now.`
            : `${where} serves “${variationKey}” to everyone (version ${result.toVersion}). SDKs and OFREP serve it now.`,
      };
  }
}

/**
 * Environments that require review make a person type the environment key, so production is
 * never hit by a misclick. API tokens may leave it out: the URL already names the environment
 * and on-call automation has nobody to type it; when they send it, it must match too.
 */
function confirmationProblem(access: ProjectAccess, environment: { key: string; name: string; requireReview: boolean }, typed: string | undefined): string | null {
  const given = typed?.trim();
  if (given === undefined || given === "") {
    if (!environment.requireReview || access.actor.type !== "user") return null;
    return `${environment.name} requires review: type “${environment.key}” to confirm the kill switch there.`;
  }
  if (given !== environment.key) return `Type “${environment.key}” exactly to confirm (you typed “${given}”).`;
  return null;
}

function alreadyMessage(where: string, action: OverrideActionKind, variationKey: string | null): string {
  return action === "turn_off"
    ? `${where} is already off; nothing was changed and no override was recorded.`
    : `${where} already serves “${variationKey}” to everyone; nothing was changed and no override was recorded.`;
}
