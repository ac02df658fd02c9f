import type { ProjectAccess } from "@/lib/auth/access";
import { listAttributes } from "@/lib/data/attributes";
import { findFlagNames } from "@/lib/data/flags";
import { listRecentContexts } from "@/lib/data/recent-contexts";
import { findSegmentUsage, type SegmentUsage } from "@/lib/data/segments";
import { notFound } from "@/lib/errors";
import { compileSnapshot, evaluateFlag } from "@/lib/evaluation";
import type { Clause, EvaluationResult, Flag, Segment } from "@/lib/evaluation/types";
import { environmentOrThrow } from "@/lib/projects/environment-or-throw";
import type { SegmentImpactRequest } from "@/lib/schemas/segment";
import { getSnapshotStore } from "@/lib/snapshots/snapshot-store";

/** Contexts seen within this many days are replayed… */
export const IMPACT_WINDOW_DAYS = 7;
/** …the most recent this many of them. */
export const IMPACT_CONTEXT_LIMIT = 10_000;

export interface FlagImpact {
  flagKey: string;
  flagName: string;
  /** False when the flag is affected only through another segment or a prerequisite. */
  direct: boolean;
  /** Replayed contexts whose variation would change. */
  changed: number;
  /** From → to, most frequent first. */
  transitions: { from: string; to: string; count: number }[];
}

export interface SegmentImpact {
  environmentKey: string;
  environmentName: string;
  sample: { contexts: number; days: number; limit: number };
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

const outcome = (result: EvaluationResult) => result.variationKey ?? (result.reason === "ERROR" ? `error (${result.errorCode ?? "unknown"})` : JSON.stringify(result.value));

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
  const affected = new Set(snapshot.flags.filter((f) => refersTo(f.config.rules, affectedSegments)).map((f) => f.key));
  for (let grew = true; grew; ) {
    grew = false;
    for (const f of snapshot.flags) {
      if (!affected.has(f.key) && (f.config.prerequisites ?? []).some((p) => affected.has(p.flagKey))) {
        affected.add(f.key);
        grew = true;
      }
    }
  }
  // What evaluating them needs: their prerequisites, transitively.
  const byKey = new Map(snapshot.flags.map((f) => [f.key, f]));
  const needed = new Set(affected);
  for (const key of needed) for (const p of byKey.get(key)?.config.prerequisites ?? []) if (byKey.has(p.flagKey)) needed.add(p.flagKey);
  const flags = [...needed].map((key) => byKey.get(key)!);
  const probe = membershipFlag(segmentKey);
  const before = compileSnapshot({ flags: [...flags, probe], segments: snapshot.segments, optOutAttribute: snapshot.optOutAttribute });
  const after = compileSnapshot({ flags: [...flags, probe], segments: snapshot.segments.map((s) => (s.key === segmentKey ? edited : s)), optOutAttribute: snapshot.optOutAttribute });

  const [contexts, usage, names, attributes] = await Promise.all([
    listRecentContexts(environment.id, new Date(now.getTime() - IMPACT_WINDOW_DAYS * 86_400_000), IMPACT_CONTEXT_LIMIT),
    findSegmentUsage(access.project.id, segmentKey),
    findFlagNames(access.project.id, [...affected]),
    listAttributes(access.project.id),
  ]);

  const options = { now: now.getTime() };
  const membership = { before: 0, after: 0, joined: 0, left: 0 };
  const tallies = new Map([...affected].map((key) => [key, new Map<string, number>()]));
  for (const { contextKey, attributes: seen } of contexts) {
    const context = { ...seen, targetingKey: contextKey };
    const wasIn = evaluateFlag(before, probe.key, context, options).variationKey === "in";
    const isIn = evaluateFlag(after, probe.key, context, options).variationKey === "in";
    membership.before += wasIn ? 1 : 0;
    membership.after += isIn ? 1 : 0;
    membership.joined += !wasIn && isIn ? 1 : 0;
    membership.left += wasIn && !isIn ? 1 : 0;
    for (const [key, tally] of tallies) {
      const from = outcome(evaluateFlag(before, key, context, options));
      const to = outcome(evaluateFlag(after, key, context, options));
      if (from !== to) tally.set(`${from}\u0000${to}`, (tally.get(`${from}\u0000${to}`) ?? 0) + 1);
    }
  }

  const privateKeys = new Set(attributes.filter((a) => a.sensitivity === "private").map((a) => a.key));
  const usedPrivate = new Set(edited.rules.flatMap((r) => r.clauses.filter((c) => !isSegmentClause(c) && privateKeys.has(c.attribute)).map((c) => c.attribute)));
  return {
    environmentKey: environment.key,
    environmentName: environment.name,
    sample: { contexts: contexts.length, days: IMPACT_WINDOW_DAYS, limit: IMPACT_CONTEXT_LIMIT },
    membership,
    flags: [...tallies]
      .map(([flagKey, tally]) => {
        const transitions = [...tally].map(([pair, count]) => ({ from: pair.split("\u0000")[0], to: pair.split("\u0000")[1], count })).sort((a, b) => b.count - a.count);
        return { flagKey, flagName: names.get(flagKey) ?? flagKey, direct: direct.has(flagKey), changed: transitions.reduce((sum, t) => sum + t.count, 0), transitions };
      })
      .sort((a, b) => b.changed - a.changed || a.flagKey.localeCompare(b.flagKey)),
    usage,
    privateAttributes: [...usedPrivate].sort(),
  };
}
