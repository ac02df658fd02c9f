import type { ProjectAccess } from "@/lib/auth/access";
import { findFlagWithConfig } from "@/lib/data/flag-configs";
import { listFlagTestCases } from "@/lib/data/flag-test-cases";
import { loadTargetingContext } from "@/lib/data/targeting-context";
import { AppError, notFound } from "@/lib/errors";
import type { EvaluationContext, Flag, FlagConfig, Variation } from "@/lib/evaluation/types";
import { environmentOrThrow } from "@/lib/projects/environment-or-throw";
import { proposeFromEditor } from "@/lib/change-requests/propose-from-editor";
import type { ProposalDetails } from "@/lib/schemas/change-request";
import { brokenTestCasesNote, runTestCases } from "./run-test-cases";
import { updateFlagConfig } from "./update-flag-config";

export interface SaveFlagConfigRequest {
  environmentKey: string;
  flagKey: string;
  config: FlagConfig;
  expectedVersion: number;
  reason?: string;
  acceptFailingTestCases: boolean;
  /** In an environment that requires review: how to file the change request. */
  proposal?: ProposalDetails;
}

export interface FailingTestCase {
  id: string;
  name: string;
  expected: string;
  actual: string | null;
}

/**
 * The console's save: `updateFlagConfig` (review policy, optimistic version, validation, audit)
 * guarded by the flag's test cases. They run here again, on the server, with the same engine the
 * builder previews with: a save that breaks any is refused unless the author confirmed it, and
 * then the broken cases are written into the change's reason, so the audit entry says so.
 * In an environment that requires review the save becomes a change request instead.
 */
export async function saveFlagConfig(access: ProjectAccess, input: SaveFlagConfigRequest) {
  const environment = await environmentOrThrow(access.project.id, input.environmentKey);
  let reason = input.reason?.trim() || undefined;
  {
    const flag = await findFlagWithConfig(access.project.id, input.flagKey, environment.id);
    if (!flag) throw notFound(`Flag “${input.flagKey}”`);
    const testCases = await listFlagTestCases(flag.id);
    if (testCases.length > 0) {
      const { segments, flags } = await loadTargetingContext(access.project.id, environment.id);
      const candidate: Flag = {
        key: flag.key,
        kind: flag.kind,
        valueType: flag.valueType,
        variations: flag.variations as unknown as Variation[],
        ...(flag.controlVariation ? { controlVariation: flag.controlVariation } : {}),
        config: input.config,
      };
      const outcomes = runTestCases(
        candidate,
        testCases.map((t) => ({ id: t.id, name: t.name, context: t.context as EvaluationContext, expected: t.expected as Record<string, string> })),
        { environmentKey: environment.key, segments, flags, optOutAttribute: access.project.optOutAttribute ?? undefined },
      );
      const broken = outcomes.filter((o) => o.passed === false);
      if (broken.length > 0 && !input.acceptFailingTestCases) {
        const failing: FailingTestCase[] = broken.map((o) => ({ id: o.id, name: o.name, expected: o.expected!, actual: o.result.variationKey ?? null }));
        throw new AppError(
          "VALIDATION_FAILED",
          `${broken.length} test case${broken.length === 1 ? "" : "s"} would fail with this change (${failing.map((f) => `“${f.name}”`).join(", ")}). Confirm that this is intended to save anyway.`,
          { failingTestCases: failing },
        );
      }
      if (broken.length > 0) reason = [reason, brokenTestCasesNote(broken)].filter(Boolean).join(" — ");
    }
  }
  if (environment.requireReview) {
    const proposed = await proposeFromEditor(access, environment, { entityType: "flag", key: input.flagKey, baseVersion: input.expectedVersion, config: input.config }, input.proposal, reason);
    // Nothing is live yet: the version stays the one the editor started from.
    return { flagKey: input.flagKey, environmentKey: environment.key, version: input.expectedVersion, snapshotVersion: null, ...proposed };
  }
  const saved = await updateFlagConfig(access, { environmentKey: input.environmentKey, flagKey: input.flagKey, config: input.config, expectedVersion: input.expectedVersion, reason });
  return { ...saved, changeRequest: null };
}
