import type { ProjectAccess } from "@/lib/auth/access";
import { findFlagWithConfig } from "@/lib/data/flag-configs";
import { loadTargetingContext } from "@/lib/data/targeting-context";
import { AppError, notFound } from "@/lib/errors";
import { validateFlagConfig } from "@/lib/evaluation";
import type { FlagConfig, FlagDefinition, Variation } from "@/lib/evaluation/types";
import { environmentOrThrow } from "@/lib/projects/environment-or-throw";
import type { PromotionBody } from "@/lib/schemas/change-request";
import { changeRequestPath } from "./change-request-events";
import { describeFlagConfigDiff, diffFlagConfigs, isEmptyDiff } from "./config-diff";
import { openChangeRequest } from "./open-change-request";
import { promotedConfig, promotionWarnings } from "./promote-config";

/**
 * Promote a flag's configuration from one environment to another (staging → production): the
 * preview the compare page shows, and the change request it files — with the usual diff,
 * validation against the target environment and approvals.
 */

export interface PromotionPreview {
  from: { key: string; name: string; version: number; config: FlagConfig };
  to: { key: string; name: string; version: number; config: FlagConfig; requireReview: boolean };
  proposed: FlagConfig;
  /** The change to the target, in plain words; empty when the target already matches. */
  summary: string[];
  /** What the target environment refuses (unknown segments, variations, forbidden attributes…). */
  errors: string[];
  /** What a reviewer should know (segments defined differently, prerequisites off there). */
  warnings: string[];
}

export async function previewPromotion(access: ProjectAccess, flagKey: string, body: Pick<PromotionBody, "from" | "to" | "scope">): Promise<PromotionPreview> {
  const [fromEnv, toEnv] = await Promise.all([environmentOrThrow(access.project.id, body.from), environmentOrThrow(access.project.id, body.to)]);
  const [sourceFlag, targetFlag, sourceContext, targetContext] = await Promise.all([
    findFlagWithConfig(access.project.id, flagKey, fromEnv.id),
    findFlagWithConfig(access.project.id, flagKey, toEnv.id),
    loadTargetingContext(access.project.id, fromEnv.id),
    loadTargetingContext(access.project.id, toEnv.id),
  ]);
  const source = sourceFlag?.configs[0];
  const target = targetFlag?.configs[0];
  if (!sourceFlag || !source || !target) throw notFound(`Flag “${flagKey}”`);

  const sourceConfig = source.config as unknown as FlagConfig;
  const targetConfig = target.config as unknown as FlagConfig;
  let proposed: FlagConfig;
  try {
    proposed = promotedConfig(sourceConfig, targetConfig, body.scope);
  } catch (error) {
    if (error instanceof RangeError) throw new AppError("VALIDATION_FAILED", error.message, { fields: { scope: error.message } });
    throw error;
  }
  const definition: FlagDefinition = { key: sourceFlag.key, kind: sourceFlag.kind, valueType: sourceFlag.valueType, variations: sourceFlag.variations as unknown as Variation[] };
  const errors = validateFlagConfig(proposed, targetContext.catalog, targetContext.segments, targetContext.flags, definition)
    .filter((issue) => issue.severity !== "warning")
    .map((issue) => issue.message);
  const diff = diffFlagConfigs(targetConfig, proposed);
  return {
    from: { key: fromEnv.key, name: fromEnv.name, version: source.version, config: sourceConfig },
    to: { key: toEnv.key, name: toEnv.name, version: target.version, config: targetConfig, requireReview: toEnv.requireReview },
    proposed,
    summary: isEmptyDiff(diff) ? [] : describeFlagConfigDiff(diff),
    errors,
    warnings: promotionWarnings(proposed, { name: fromEnv.name, ...sourceContext }, { name: toEnv.name, ...targetContext }),
  };
}

/** Files the promotion as a change request in the target environment (validated again there). */
export async function proposePromotion(access: ProjectAccess, flagKey: string, body: PromotionBody) {
  const preview = await previewPromotion(access, flagKey, body);
  if (preview.summary.length === 0) throw new AppError("VALIDATION_FAILED", `“${flagKey}” in ${preview.to.name} already matches what would be copied from ${preview.from.name}.`);
  if (preview.errors.length > 0) throw new AppError("VALIDATION_FAILED", `${preview.to.name} refuses the copy: ${preview.errors[0]}`, { errors: preview.errors });

  const what = body.scope.kind === "everything" ? "the whole configuration" : "the chosen parts of the configuration";
  const description = [
    body.description?.trim() || `Copies ${what} of “${flagKey}” from ${preview.from.name} (version ${preview.from.version}) to ${preview.to.name}.`,
    ...preview.warnings.map((warning) => `⚠ ${warning}`),
  ].join("\n\n");
  const opened = await openChangeRequest(access, {
    environmentKey: preview.to.key,
    title: body.title ?? `Promote ${flagKey} from ${preview.from.name} to ${preview.to.name}`,
    description,
    draft: body.draft,
    source: "promotion",
    changes: [{ entityType: "flag", key: flagKey, baseVersion: preview.to.version, config: preview.proposed }],
  });
  return { number: opened.number, status: opened.status, path: changeRequestPath({ number: opened.number, project: access.project, environment: preview.to }) };
}
