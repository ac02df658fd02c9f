import type { ProjectAccess } from "@/lib/auth/access";
import { actingUserId } from "@/lib/auth/actor";
import { auditActorFields } from "@/lib/audit/audit-actor";
import { listEnvironments } from "@/lib/data/environments";
import { findFlagsByKeys, type FlagRow } from "@/lib/data/flags";
import { applyImportPlan, type ImportPlan } from "@/lib/data/imports";
import { findMembership } from "@/lib/data/memberships";
import { findSegmentsWithConfig, type SegmentContent } from "@/lib/data/segments";
import { loadTargetingContext } from "@/lib/data/targeting-context";
import { AppError } from "@/lib/errors";
import { importUnleash, validateFlagConfig, validateSegment } from "@/lib/evaluation";
import type { Flag, FlagConfig, FlagDefinition, Segment, SegmentRule, ValidationIssue, Variation } from "@/lib/evaluation/types";
import { environmentsServingDifferently } from "@/lib/flags/check-variation-change";
import { expiryProblem, ownerProblem } from "@/lib/flags/flag-policy";
import { initialFlagConfig } from "@/lib/flags/initial-flag-config";
import { environmentOrThrow } from "@/lib/projects/environment-or-throw";
import { reviewRequiredError } from "@/lib/projects/review-required-error";
import { flagSchema, segmentSchema } from "@/lib/schemas/flag-config";
import type { UnleashImportResult, UnleashPayload } from "@/lib/schemas/unleash-import";
import { getSnapshotStore } from "@/lib/snapshots/snapshot-store";

/**
 * Problems the import keeps as warnings instead of refusing: they describe Unleash constructs
 * that never match (or attributes the catalog does not list yet), and importUnleash reproduces
 * Unleash's behaviour for them exactly. The console would refuse to save them, so the warnings
 * say so. Anything else (forbidden attributes, cycles, broken references to variations…) refuses
 * the whole import.
 */
const TOLERATED = new Set([
  "attribute_unknown",
  "values_empty",
  "segment_unknown",
  "prerequisite_unknown",
  "prerequisite_variation_unknown",
  "value_not_number",
  "value_not_date",
  "value_not_semver",
  "value_not_cidr",
  "value_not_string",
  "value_not_regex",
  "value_not_allowed",
  "operator_type",
]);
const tolerated = (issue: ValidationIssue) => TOLERATED.has(issue.code) || issue.code.startsWith("regex_");

/** Release and experiment flags imported where a policy requires an expiry get this lifetime (or the policy's maximum, if shorter). */
export const IMPORTED_FLAG_LIFETIME_DAYS = 90;

type ImportIssue = ValidationIssue & { flagKey?: string; segmentKey?: string };

function variationsDiffer(a: Variation[], b: Variation[]) {
  return JSON.stringify(a) !== JSON.stringify(b);
}

/**
 * Imports Unleash's client API payload into one environment, through the engine's importUnleash:
 * new flags are created (configured here as Unleash had them, off everywhere else), existing
 * flags get their configuration here replaced (new version), segments likewise — all in one
 * transaction with revisions, audit entries and snapshot versions. Refuses environments that
 * require review, and payloads whose flags would break Switchyard's rules (`details.issues`).
 */
export async function importUnleashPayload(access: ProjectAccess, environmentKey: string, payload: UnleashPayload, now = new Date()): Promise<UnleashImportResult> {
  const { project } = access;
  const environment = await environmentOrThrow(project.id, environmentKey);
  if (environment.requireReview) throw reviewRequiredError(environment);

  const imported = importUnleash(payload);
  const warnings = [...imported.warnings];
  const issues: ImportIssue[] = [];

  // Shape: what the engine's schemas accept (keys above all: Unleash allows names Switchyard does not).
  for (const flag of imported.flags) {
    const parsed = flagSchema.safeParse(flag);
    if (!parsed.success) for (const i of parsed.error.issues) issues.push({ flagKey: flag.key, path: i.path as (string | number)[], code: "invalid", message: `Feature “${flag.key}”: ${i.message}` });
  }
  for (const segment of imported.segments) {
    const parsed = segmentSchema.safeParse(segment);
    if (!parsed.success) for (const i of parsed.error.issues) issues.push({ segmentKey: segment.key, path: i.path as (string | number)[], code: "invalid", message: `Segment “${segment.key}”: ${i.message}` });
  }
  if (issues.length > 0) throw refused(issues);

  const environments = await listEnvironments(project.id);
  const existingFlags = new Map((await findFlagsByKeys(project.id, imported.flags.map((f) => f.key))).map((f) => [f.key, f]));
  const existingSegments = new Map((await findSegmentsWithConfig(project.id, imported.segments.map((s) => s.key), environment.id)).map((s) => [s.key, s]));

  // Existing flags keep their definition; the import may add variations (Unleash variants) or update a variant's payload.
  const nextVariations = new Map<string, Variation[]>();
  const incompatible = new Set<string>();
  for (const flag of imported.flags) {
    const existing = existingFlags.get(flag.key);
    if (!existing) continue;
    const problem = mergeProblem(existing, flag);
    if (problem) {
      issues.push({ flagKey: flag.key, path: [], code: "flag_incompatible", message: problem });
      incompatible.add(flag.key);
      continue;
    }
    const merged = mergeVariations(existing.variations as unknown as Variation[], flag.variations);
    nextVariations.set(flag.key, merged);
    if (variationsDiffer(existing.variations as unknown as Variation[], merged)) {
      const next: FlagDefinition = { key: existing.key, kind: existing.kind, valueType: existing.valueType, variations: merged, ...(existing.controlVariation ? { controlVariation: existing.controlVariation } : {}) };
      const protectedEnvs = environmentsServingDifferently(existing, next).filter((row) => row.environment.requireReview && row.environmentId !== environment.id);
      if (protectedEnvs.length > 0) {
        issues.push({
          flagKey: flag.key,
          path: ["variations"],
          code: "review_required",
          message: `Flag “${flag.key}”: the import changes variant payloads that ${protectedEnvs.map((r) => r.environment.name).join(", ")} serve, and changes there need review.`,
        });
      }
    }
  }

  // Meaning: validate against this environment as it will be after the import.
  const { catalog, segments, flags } = await loadTargetingContext(project.id, environment.id);
  const segmentsAfter = new Map<string, Segment>(segments.map((s) => [s.key, s]));
  for (const s of imported.segments) segmentsAfter.set(s.key, s);
  const flagsAfter = new Map<string, Flag>(flags.map((f) => [f.key, f]));
  const definitions = new Map<string, FlagDefinition>();
  for (const f of imported.flags) {
    if (incompatible.has(f.key)) continue;
    const existing = existingFlags.get(f.key);
    const definition: FlagDefinition = existing
      ? { key: f.key, kind: existing.kind, valueType: existing.valueType, variations: nextVariations.get(f.key) ?? f.variations, ...(existing.controlVariation ? { controlVariation: existing.controlVariation } : {}) }
      : { key: f.key, kind: f.kind, valueType: f.valueType, variations: f.variations };
    definitions.set(f.key, definition);
    flagsAfter.set(f.key, { ...definition, config: f.config });
  }
  const unknownAttributes = new Map<string, Set<string>>();
  const sort = (found: ValidationIssue[], owner: { flagKey?: string; segmentKey?: string }, label: string) => {
    for (const issue of found) {
      if (issue.severity === "warning") continue;
      if (!tolerated(issue)) issues.push({ ...issue, ...owner, message: `${label}: ${issue.message}` });
      else if (issue.code === "attribute_unknown") {
        const attribute = issue.message.match(/“([^”]*)”/)?.[1] ?? "?";
        unknownAttributes.set(attribute, (unknownAttributes.get(attribute) ?? new Set()).add(owner.flagKey ?? owner.segmentKey ?? ""));
      } else warnings.push(`${label}: ${issue.message} (kept as Unleash evaluates it; the console would not accept it)`);
    }
  };
  for (const s of imported.segments) sort(validateSegment(s, catalog, [...segmentsAfter.values()]), { segmentKey: s.key }, `Segment “${s.key}”`);
  for (const f of imported.flags) if (!incompatible.has(f.key)) sort(validateFlagConfig(f.config, catalog, [...segmentsAfter.values()], [...flagsAfter.values()], definitions.get(f.key)!), { flagKey: f.key }, `Flag “${f.key}”`);
  for (const [attribute, users] of unknownAttributes) {
    warnings.push(
      `Attribute “${attribute}” is not in the attribute catalog (used by ${[...users].map((u) => `“${u}”`).join(", ")}). It is evaluated as Unleash would; add it to the catalog before editing these rules in the console.`,
    );
  }

  // Policies for new flags: owner and expiry.
  const creatorId = actingUserId(access.actor);
  const ownerId = creatorId && (await findMembership(creatorId, project.id)) ? creatorId : null;
  const newFlags: ImportPlan["newFlags"] = [];
  const created = imported.flags.filter((f) => !existingFlags.has(f.key));
  const ownerIssue = created.length > 0 ? ownerProblem(environments, ownerId) : null;
  if (ownerIssue) {
    issues.push({
      path: [],
      code: "owner_required",
      message: `${created.length} new flag${created.length === 1 ? "" : "s"} (${created.slice(0, 5).map((f) => `“${f.key}”`).join(", ")}${created.length > 5 ? ", …" : ""}) need an owner: ${ownerIssue} Imported flags are owned by the person importing, so import with a personal API token.`,
    });
  }
  for (const f of ownerIssue ? [] : created) {
    let expiresAt: Date | null = null;
    if (expiryProblem(environments, f.kind, null, now)) {
      const limit = Math.min(IMPORTED_FLAG_LIFETIME_DAYS, ...environments.filter((e) => e.requireExpiry && e.maxFlagLifetimeDays != null).map((e) => e.maxFlagLifetimeDays!));
      expiresAt = new Date(now.getTime() + limit * 86_400_000);
      warnings.push(`Flag “${f.key}”: environment policy requires ${f.kind} flags to expire; it expires on ${expiresAt.toISOString().slice(0, 10)} (${limit} days). Change it in the flag's settings.`);
    }
    const off = initialFlagConfig(f.config.offVariation);
    newFlags.push({
      flag: {
        projectId: project.id,
        key: f.key,
        name: f.key,
        description: describeFeature(payload, f.key),
        kind: f.kind,
        valueType: f.valueType,
        variations: f.variations,
        controlVariation: null,
        ownerId,
        tags: ["unleash"],
        lifecycle: "active",
        expiresAt,
        clientVisible: false,
        createdById: creatorId,
      },
      configs: environments.map((e) => ({ environmentId: e.id, config: e.id === environment.id ? stripVersion(f.config) : off })),
    });
  }
  if (issues.length > 0) throw refused(issues);

  const updatedFlags: ImportPlan["updatedFlags"] = [];
  for (const f of imported.flags) {
    const existing = existingFlags.get(f.key);
    if (!existing) continue;
    const current = existing.configs.find((c) => c.environmentId === environment.id);
    const variations = existing.variations as unknown as Variation[];
    const next = nextVariations.get(f.key)!;
    if (!current) throw new AppError("CONFLICT", `Flag “${f.key}” has no configuration in ${environment.name}.`);
    updatedFlags.push({
      flagId: existing.id,
      flagKey: f.key,
      expectedVersion: current.version,
      before: current.config as unknown as FlagConfig,
      config: stripVersion(f.config),
      variations,
      nextVariations: variationsDiffer(variations, next) ? next : null,
    });
  }
  const empty: SegmentContent = { included: [], excluded: [], rules: [] };
  const newSegments: ImportPlan["newSegments"] = [];
  const updatedSegments: ImportPlan["updatedSegments"] = [];
  for (const s of imported.segments) {
    const content: SegmentContent = { included: s.included, excluded: s.excluded, rules: s.rules };
    const existing = existingSegments.get(s.key);
    const current = existing?.configs[0];
    if (existing && current) {
      updatedSegments.push({
        segmentId: existing.id,
        segmentKey: s.key,
        expectedVersion: current.version,
        before: { included: current.included as unknown as string[], excluded: current.excluded as unknown as string[], rules: current.rules as unknown as SegmentRule[] },
        content,
      });
    } else if (existing) {
      throw new AppError("CONFLICT", `Segment “${s.key}” has no membership in ${environment.name}.`);
    } else {
      newSegments.push({
        segment: { projectId: project.id, key: s.key, name: `Unleash segment ${s.key.replace(/^unleash-segment-/, "")}`, description: describeSegment(payload, s.key), tags: ["unleash"], ownerId },
        configs: environments.map((e) => ({ environmentId: e.id, content: e.id === environment.id ? content : empty })),
      });
    }
  }

  const { environmentIds } = await applyImportPlan({
    projectId: project.id,
    environmentId: environment.id,
    audit: auditActorFields(access.actor),
    updatedById: creatorId,
    reason: `Imported from Unleash into ${environment.name}`,
    newSegments,
    updatedSegments,
    newFlags,
    updatedFlags,
  });
  await Promise.all(environmentIds.map((id) => getSnapshotStore().reload(id)));
  return {
    flags: imported.flags.map((f) => ({ key: f.key, action: existingFlags.has(f.key) ? ("updated" as const) : ("created" as const) })),
    segments: imported.segments.map((s) => ({ key: s.key, action: existingSegments.has(s.key) ? ("updated" as const) : ("created" as const) })),
    warnings,
  };
}

function refused(issues: ImportIssue[]) {
  return new AppError("VALIDATION_FAILED", `Nothing was imported: ${issues[0].message}${issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? "s" : ""})` : ""}`, { issues });
}

/** Why an imported toggle cannot update the existing flag of the same key, or null. */
function mergeProblem(existing: FlagRow, flag: Flag): string | null {
  if (existing.lifecycle === "archived") return `Flag “${flag.key}” is archived; restore it before importing over it.`;
  if (existing.valueType !== "boolean") return `Flag “${flag.key}” exists as a ${existing.valueType} flag; Unleash toggles import as boolean flags.`;
  const current = new Map((existing.variations as unknown as Variation[]).map((v) => [v.key, v]));
  for (const v of flag.variations) {
    const mine = current.get(v.key);
    if (mine && mine.value !== v.value) return `Flag “${flag.key}”: variation “${v.key}” serves ${JSON.stringify(mine.value)} here but ${JSON.stringify(v.value)} in the import.`;
  }
  return null;
}

/** The existing variations, with the import's new ones appended and Unleash payloads (metadata) taken from the import. */
function mergeVariations(current: Variation[], incoming: Variation[]): Variation[] {
  const byKey = new Map(incoming.map((v) => [v.key, v]));
  const merged = current.map((v) => {
    const theirs = byKey.get(v.key);
    return theirs?.metadata && JSON.stringify(theirs.metadata) !== JSON.stringify(v.metadata ?? null) ? { ...v, metadata: theirs.metadata } : v;
  });
  const have = new Set(current.map((v) => v.key));
  return [...merged, ...incoming.filter((v) => !have.has(v.key))];
}

function stripVersion(config: FlagConfig): FlagConfig {
  const { version: _version, ...rest } = config;
  return rest;
}

function describeFeature(payload: UnleashPayload, key: string): string {
  const description = payload.features.find((f) => f.name === key)?.description;
  return (typeof description === "string" && description.trim() ? description.trim() : "Imported from Unleash.").slice(0, 2000);
}

function describeSegment(payload: UnleashPayload, key: string): string {
  const segment = payload.segments?.find((s) => `unleash-segment-${String(s.id)}` === key);
  return segment?.name ? `Imported from Unleash segment “${segment.name}”.` : "Imported from Unleash.";
}
