import { z } from "zod";
import { compileSnapshot, type CompiledSnapshot } from "../evaluation/compile";
import { compilePackedSnapshot, isPackedSnapshot, unpackSnapshot, type PackedSnapshot } from "../evaluation/packed";
import type { Clause, Flag, Segment } from "../evaluation/types";
import { flagSchema, segmentSchema } from "../schemas/flag-config";
import type { SnapshotPatch } from "../snapshots/wire-format";

/**
 * One snapshot version as the client holds it: the validated flags and segments, what could not
 * be validated, and the compiled form the engine evaluates. Built once per version (from a `put`,
 * a fetched snapshot, a bootstrap, or a patch on top of the previous state) and never mutated.
 *
 * Validation is per item: one malformed flag does not stop the others from updating. A flag that
 * fails the schema, or that references a segment that fails it, answers PARSE_ERROR instead of
 * silently evaluating against partial data.
 */
export interface SnapshotState {
  readonly projectKey: string;
  readonly environmentKey: string;
  readonly version: number;
  readonly publishedAt: string;
  readonly optOutAttribute?: string;
  readonly flags: ReadonlyMap<string, Flag>;
  readonly segments: ReadonlyMap<string, Segment>;
  /** Flag key → why it cannot be evaluated. */
  readonly invalidFlags: ReadonlyMap<string, string>;
  readonly invalidSegments: ReadonlyMap<string, string>;
  readonly compiled: CompiledSnapshot;
  /** What the schema accepted and refused, before segment problems are propagated to flags (patches start from here). */
  readonly source: { readonly flags: ReadonlyMap<string, Flag>; readonly invalidFlags: ReadonlyMap<string, string> };
}

const version = z.number().int().min(0);
const lenientArray = z.array(z.unknown()).catch([]);
const keyList = z.array(z.string()).catch([]);

const snapshotEnvelopeSchema = z.object({
  projectKey: z.string().catch(""),
  environmentKey: z.string().catch(""),
  version,
  publishedAt: z.string().catch(""),
  optOutAttribute: z.string().nullish(),
  flags: z.array(z.unknown()),
  segments: z.array(z.unknown()).catch([]),
});

const patchEnvelopeSchema = z.object({
  fromVersion: version,
  version,
  publishedAt: z.string().catch(""),
  optOutAttribute: z.string().nullish(),
  upsertFlags: lenientArray,
  deletedFlags: keyList,
  upsertSegments: lenientArray,
  deletedSegments: keyList,
});

export type ParseOutcome<T> = { ok: true; value: T; warnings: string[] } | { ok: false; error: string };

function describeZodError(e: z.ZodError): string {
  const issue = e.issues[0];
  if (!issue) return "invalid";
  return `${issue.path.length ? issue.path.join(".") + ": " : ""}${issue.message}`;
}

function keyOf(x: unknown): string | undefined {
  return typeof x === "object" && x !== null && typeof (x as { key?: unknown }).key === "string" ? (x as { key: string }).key : undefined;
}

interface Items {
  flags: Map<string, Flag>;
  segments: Map<string, Segment>;
  invalidFlags: Map<string, string>;
  invalidSegments: Map<string, string>;
  warnings: string[];
}

function addFlags(items: Items, list: unknown[]): void {
  for (const raw of list) {
    const parsed = flagSchema.safeParse(raw);
    if (parsed.success) {
      items.flags.set(parsed.data.key, parsed.data as Flag);
      items.invalidFlags.delete(parsed.data.key);
      continue;
    }
    const key = keyOf(raw);
    const why = `Flag ${key ?? "(no key)"} is malformed (${describeZodError(parsed.error)}).`;
    items.warnings.push(why);
    if (key !== undefined) {
      items.flags.delete(key);
      items.invalidFlags.set(key, why);
    }
  }
}

function addSegments(items: Items, list: unknown[]): void {
  for (const raw of list) {
    const parsed = segmentSchema.safeParse(raw);
    if (parsed.success) {
      items.segments.set(parsed.data.key, parsed.data as Segment);
      items.invalidSegments.delete(parsed.data.key);
      continue;
    }
    const key = keyOf(raw);
    const why = `Segment ${key ?? "(no key)"} is malformed (${describeZodError(parsed.error)}).`;
    items.warnings.push(why);
    if (key !== undefined) {
      items.segments.delete(key);
      items.invalidSegments.set(key, why);
    }
  }
}

function segmentRefs(clauses: Clause[] | undefined, out: string[]): void {
  for (const c of clauses ?? []) {
    if (c.op === "inSegment" || c.op === "notInSegment") for (const v of c.values) if (typeof v === "string") out.push(v);
  }
}

function flagSegmentRefs(flag: Flag): string[] {
  const out: string[] = [];
  for (const r of flag.config.rules) segmentRefs(r.clauses, out);
  return out;
}

function segmentSegmentRefs(seg: Segment): string[] {
  const out: string[] = [];
  for (const r of seg.rules) segmentRefs(r.clauses, out);
  return out;
}

/** Segments in `seed` plus every segment that references one of them, directly or not. */
function segmentClosure(segments: ReadonlyMap<string, Segment>, seed: Set<string>): Set<string> {
  const out = new Set(seed);
  if (out.size === 0) return out;
  let grew = true;
  while (grew) {
    grew = false;
    for (const [key, seg] of segments) {
      if (out.has(key)) continue;
      if (segmentSegmentRefs(seg).some((r) => out.has(r))) {
        out.add(key);
        grew = true;
      }
    }
  }
  return out;
}

function build(
  meta: { projectKey: string; environmentKey: string; version: number; publishedAt: string; optOutAttribute?: string },
  items: Items,
  /** Compiles the same flags and segments faster (a format 2 snapshot every item of which is valid). */
  compileFast?: () => CompiledSnapshot,
): SnapshotState {
  // Flags that depend on a malformed segment cannot be evaluated faithfully.
  const tainted = segmentClosure(items.segments, new Set(items.invalidSegments.keys()));
  const flags = new Map(items.flags);
  const invalidFlags = new Map(items.invalidFlags);
  if (tainted.size > 0) {
    for (const [key, flag] of items.flags) {
      const bad = flagSegmentRefs(flag).find((r) => tainted.has(r));
      if (bad !== undefined) {
        flags.delete(key);
        invalidFlags.set(key, `Flag ${key} uses segment ${bad}, which is malformed.`);
      }
    }
  }
  const compiled =
    compileFast !== undefined && invalidFlags.size === 0 && items.invalidSegments.size === 0
      ? compileFast()
      : compileSnapshot({
          flags: [...flags.values()],
          segments: [...items.segments.values()],
          optOutAttribute: meta.optOutAttribute,
        });
  return {
    ...meta,
    flags,
    segments: items.segments,
    invalidFlags,
    invalidSegments: items.invalidSegments,
    compiled,
    source: { flags: items.flags, invalidFlags: items.invalidFlags },
  };
}

const packedEnvelopeSchema = snapshotEnvelopeSchema.omit({ flags: true, segments: true }).extend({
  format: z.literal(2),
  s: z.array(z.string()),
  F: z.array(z.number()),
});

/**
 * A format 2 snapshot (lib/evaluation/packed.ts): unpacked to format 1 items, validated per item
 * as format 1 is (patches, change events and PARSE_ERROR work on those), and compiled straight
 * from the packed form when every item is valid.
 */
function packedSnapshotFromJson(input: PackedSnapshot): ParseOutcome<SnapshotState> {
  const env = packedEnvelopeSchema.safeParse(input);
  if (!env.success) return { ok: false, error: `Invalid snapshot: ${describeZodError(env.error)}` };
  const e = env.data;
  let unpacked: ReturnType<typeof unpackSnapshot>;
  try {
    unpacked = unpackSnapshot(input);
  } catch (error) {
    return { ok: false, error: `Invalid snapshot: format 2 could not be read (${(error as Error).message}).` };
  }
  const items: Items = { flags: new Map(), segments: new Map(), invalidFlags: new Map(), invalidSegments: new Map(), warnings: [] };
  addSegments(items, unpacked.segments);
  addFlags(items, unpacked.flags);
  // Repeated keys: format 1 keeps the last, the compiled form the first; compile the validated items then.
  const distinct = items.flags.size + items.invalidFlags.size === unpacked.flags.length && items.segments.size + items.invalidSegments.size === unpacked.segments.length;
  const meta = { projectKey: e.projectKey, environmentKey: e.environmentKey, version: e.version, publishedAt: e.publishedAt, optOutAttribute: e.optOutAttribute ?? undefined };
  const state = build(meta, items, distinct ? () => compilePackedSnapshot(input) : undefined);
  return { ok: true, value: state, warnings: items.warnings };
}

/** Validate and compile a full snapshot (stream `put`, snapshot endpoint, bootstrap), in format 1 or 2. */
export function snapshotFromJson(input: unknown): ParseOutcome<SnapshotState> {
  if (isPackedSnapshot(input)) return packedSnapshotFromJson(input);
  const env = snapshotEnvelopeSchema.safeParse(input);
  if (!env.success) return { ok: false, error: `Invalid snapshot: ${describeZodError(env.error)}` };
  const e = env.data;
  const items: Items = { flags: new Map(), segments: new Map(), invalidFlags: new Map(), invalidSegments: new Map(), warnings: [] };
  addSegments(items, e.segments);
  addFlags(items, e.flags);
  const state = build(
    {
      projectKey: e.projectKey,
      environmentKey: e.environmentKey,
      version: e.version,
      publishedAt: e.publishedAt,
      optOutAttribute: e.optOutAttribute ?? undefined,
    },
    items,
  );
  return { ok: true, value: state, warnings: items.warnings };
}

/** Validate a patch's envelope (versions) before deciding whether it applies. */
export function patchFromJson(input: unknown): ParseOutcome<SnapshotPatch> {
  const p = patchEnvelopeSchema.safeParse(input);
  if (!p.success) return { ok: false, error: `Invalid patch: ${describeZodError(p.error)}` };
  const d = p.data;
  const patch: SnapshotPatch = {
    fromVersion: d.fromVersion,
    version: d.version,
    publishedAt: d.publishedAt,
    upsertFlags: d.upsertFlags as Flag[],
    deletedFlags: d.deletedFlags,
    upsertSegments: d.upsertSegments as Segment[],
    deletedSegments: d.deletedSegments,
  };
  // Absent: unchanged. Present (a string, or null to clear): replaced.
  if (typeof input === "object" && input !== null && "optOutAttribute" in input) {
    (patch as { optOutAttribute?: string | null }).optOutAttribute = d.optOutAttribute ?? null;
  }
  return { ok: true, value: patch, warnings: [] };
}

/** The next state: `base` with the patch applied. The caller checks `fromVersion` first. */
export function applyPatch(base: SnapshotState, patch: SnapshotPatch): ParseOutcome<SnapshotState> {
  const items: Items = {
    flags: new Map(base.source.flags),
    segments: new Map(base.segments),
    invalidFlags: new Map(base.source.invalidFlags),
    invalidSegments: new Map(base.invalidSegments),
    warnings: [],
  };
  for (const key of patch.deletedSegments) {
    items.segments.delete(key);
    items.invalidSegments.delete(key);
  }
  for (const key of patch.deletedFlags) {
    items.flags.delete(key);
    items.invalidFlags.delete(key);
  }
  addSegments(items, patch.upsertSegments);
  addFlags(items, patch.upsertFlags);
  const opt = (patch as { optOutAttribute?: string | null }).optOutAttribute;
  const state = build(
    {
      projectKey: base.projectKey,
      environmentKey: base.environmentKey,
      version: patch.version,
      publishedAt: patch.publishedAt,
      optOutAttribute: opt === undefined ? base.optOutAttribute : (opt ?? undefined),
    },
    items,
  );
  return { ok: true, value: state, warnings: items.warnings };
}

// ---------------------------------------------------------------------------------------------
// What changed between two versions

const jsonCache = new WeakMap<object, string>();
function json(x: object | undefined): string | undefined {
  if (x === undefined) return undefined;
  let s = jsonCache.get(x);
  if (s === undefined) {
    s = JSON.stringify(x);
    jsonCache.set(x, s);
  }
  return s;
}

/**
 * Keys of flags whose results may differ between `prev` and `next`: flags added, removed or
 * changed, flags that became (in)valid, flags using a changed segment (directly or through other
 * segments), experiment flags when the opt-out attribute changed, and flags whose prerequisites
 * changed, transitively.
 */
export function changedFlagKeys(prev: SnapshotState | undefined, next: SnapshotState): string[] {
  if (prev === undefined) return [...new Set([...next.flags.keys(), ...next.invalidFlags.keys()])];
  const changedSegments = new Set<string>();
  for (const key of new Set([...prev.segments.keys(), ...next.segments.keys(), ...prev.invalidSegments.keys(), ...next.invalidSegments.keys()])) {
    if (json(prev.segments.get(key)) !== json(next.segments.get(key)) || prev.invalidSegments.get(key) !== next.invalidSegments.get(key)) {
      changedSegments.add(key);
    }
  }
  const segClosure = segmentClosure(next.segments, changedSegments);
  for (const k of segmentClosure(prev.segments, changedSegments)) segClosure.add(k);
  const optOutChanged = prev.optOutAttribute !== next.optOutAttribute;

  const changed = new Set<string>();
  const allKeys = new Set([...prev.flags.keys(), ...next.flags.keys(), ...prev.invalidFlags.keys(), ...next.invalidFlags.keys()]);
  for (const key of allKeys) {
    const a = prev.flags.get(key);
    const b = next.flags.get(key);
    if (json(a) !== json(b) || prev.invalidFlags.get(key) !== next.invalidFlags.get(key)) changed.add(key);
    else if (b !== undefined && segClosure.size > 0 && flagSegmentRefs(b).some((r) => segClosure.has(r))) changed.add(key);
    else if (b !== undefined && optOutChanged && b.kind === "experiment") changed.add(key);
  }
  let grew = changed.size > 0;
  while (grew) {
    grew = false;
    for (const [key, flag] of next.flags) {
      if (changed.has(key)) continue;
      if (flag.config.prerequisites.some((p) => changed.has(p.flagKey))) {
        changed.add(key);
        grew = true;
      }
    }
  }
  return [...changed];
}
