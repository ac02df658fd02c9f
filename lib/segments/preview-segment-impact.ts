import type { ProjectAccess } from "@/lib/auth/access";
import { listAttributes } from "@/lib/data/attributes";
import { findFlagNames } from "@/lib/data/flags";
import { findSegmentUsage, type SegmentUsage } from "@/lib/data/segments";
import { notFound } from "@/lib/errors";
import { compileSnapshot, evaluateFlag } from "@/lib/evaluation";
import type { Clause, Flag, Segment } from "@/lib/evaluation/types";
import { impactDimensions, privateAttributeKeys } from "@/lib/impact/dimensions";
import { withDependents, withPrerequisites } from "@/lib/impact/flag-closure";
import { replayContexts, type ReplayTally } from "@/lib/impact/replay";
import { loadImpactSample, type ImpactSampleInfo } from "@/lib/impact/sample";
import { environmentOrThrow } from "@/lib/projects/environment-or-throw";
import type { SegmentImpactRequest } from "@/lib/schemas/segment";
import { getSnapshotStore } from "@/lib/snapshots/snapshot-store";

export interface FlagImpact extends ReplayTally {
  flagKey: string;
  flagName: string;
  /** False when the flag is affected only through another segment or a prerequisite. */
  direct: boolean;
}

export interface SegmentImpact {
  environmentKey: string;
  environmentName: string;
  sample: ImpactSampleInfo;
  /** Replayed contexts in the segment now and after the edit. */
  membership: { before: number; after: number; joined: number; left: number };
  /** Flags evaluated in this environment whose results can change with this segment. */
  flags: FlagImpact[];
  /** Everything that refers to the segment, in every environment (the edit changes this one only). */
  usage: SegmentUsage;
  /** Private attributes the edited rules use: never stored with events, so replayed contexts lack them. */
  privateAttributes: string[];
}

const isSegmentClause = (c: Clause) => c.op === "inSegment" || c.op === "notInSegment";

function refersTo(rules: readonly { clauses: readonly Clause[] }[] | undefined, keys: ReadonlySet<string>): boolean {
  return (rules ?? []).some((rule) => (rule.clauses ?? []).some((c) => isSegmentClause(c) && c.values.some((v) => keys.has(String(v)))));
}

/** A flag that says whether a context is in the segment, evaluated beside the real ones. */
function membershipFlag(segmentKey: string): Flag {
  return {
    key: "\u0000membership",
    kind: "release",
    valueType: "boolean",
    variations: [
      { key: "in", value: true },
      { key: "out", value: false },
    ],
    config: {
      on: true,
      offVariation: "out",
      targets: [],
      rules: [{ id: "member", clauses: [{ attribute: "targetingKey", op: "inSegment", values: [segmentKey] }], serve: { variation: "in" } }],
      fallthrough: { variation: "out" },
      prerequisites: [],
    },
  };
}

/**
 * What saving `draft` as the segment's membership in one environment would change, before it is
 * saved: the flags that evaluate the segment there (directly, through other segments, or through
 * prerequisites on such flags), and for the contexts seen there recently (their latest exposure's
 * attributes), how many would get another variation of each. Both sides are evaluated from the
 * environment's current snapshot with the engine that serves it.
 */
export async function previewSegmentImpact(access: ProjectAccess, environmentKey: string, segmentKey: string, draft: SegmentImpactRequest, now = new Date()): Promise<SegmentImpact> {
  const environment = await environmentOrThrow(access.project.id, environmentKey);
  const loaded = await getSnapshotStore().get(environment.id);
  const snapshot = loaded?.snapshot;
  if (!snapshot || !snapshot.segments.some((s) => s.key === segmentKey)) throw notFound(`Segment “${segmentKey}” in ${environment.name}`);
  const edited: Segment = { key: segmentKey, included: [...new Set(draft.included)], excluded: [...new Set(draft.excluded)], rules: draft.rules };

  // Segments whose membership follows this one's (they refer to it, perhaps through others).
  const affectedSegments = new Set([segmentKey]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const s of snapshot.segments) {
      if (!affectedSegments.has(s.key) && refersTo(s.key === segmentKey ? edited.rules : s.rules, affectedSegments)) {
        affectedSegments.add(s.key);
        grew = true;
      }
    }
  }
  // Flags that refer to one of them, then flags that require an affected flag.
  const direct = new Set(snapshot.flags.filter((f) => refersTo(f.config.rules, new Set([segmentKey]))).map((f) => f.key));
  const affected = withDependents(snapshot.flags, snapshot.flags.filter((f) => refersTo(f.config.rules, affectedSegments)).map((f) => f.key));
  const flags = withPrerequisites(snapshot.flags, affected);
  const probe = membershipFlag(segmentKey);
  const before = compileSnapshot({ flags: [...flags, probe], segments: snapshot.segments, optOutAttribute: snapshot.optOutAttribute });
  const after = compileSnapshot({ flags: [...flags, probe], segments: snapshot.segments.map((s) => (s.key === segmentKey ? edited : s)), optOutAttribute: snapshot.optOutAttribute });

  const [{ contexts, sample }, usage, names, attributes] = await Promise.all([
    loadImpactSample(environment.id, now),
    findSegmentUsage(access.project.id, segmentKey),
    findFlagNames(access.project.id, [...affected]),
    listAttributes(access.project.id),
  ]);

  const options = { now: now.getTime() };
  const membership = { before: 0, after: 0, joined: 0, left: 0 };
  for (const { contextKey, attributes: seen } of contexts) {
    const context = { ...seen, targetingKey: contextKey };
    const wasIn = evaluateFlag(before, probe.key, context, options).variationKey === "in";
    const isIn = evaluateFlag(after, probe.key, context, options).variationKey === "in";
    membership.before += wasIn ? 1 : 0;
    membership.after += isIn ? 1 : 0;
    membership.joined += !wasIn && isIn ? 1 : 0;
    membership.left += wasIn && !isIn ? 1 : 0;
  }
  const tallies = replayContexts({ before, after, flagKeys: [...affected], contexts, dimensions: impactDimensions(attributes), now });

  const privateKeys = privateAttributeKeys(attributes);
  const usedPrivate = new Set(edited.rules.flatMap((r) => r.clauses.filter((c) => !isSegmentClause(c) && privateKeys.has(c.attribute)).map((c) => c.attribute)));
  return {
    environmentKey: environment.key,
    environmentName: environment.name,
    sample,
    membership,
    flags: [...tallies]
      .map(([flagKey, tally]) => ({ flagKey, flagName: names.get(flagKey) ?? flagKey, direct: direct.has(flagKey), ...tally }))
      .sort((a, b) => b.changed - a.changed || a.flagKey.localeCompare(b.flagKey)),
    usage,
    privateAttributes: [...usedPrivate].sort(),
  };
}
