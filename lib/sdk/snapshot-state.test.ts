import { describe, expect, it } from "vitest";
import type { SnapshotPatch } from "../snapshots/wire-format";
import { applyPatch, changedFlagKeys, patchFromJson, snapshotFromJson, type SnapshotState } from "./snapshot-state";
import { betaSegment, boolFlag, demoSnapshot } from "./test-fixtures";

function state(snap = demoSnapshot(1)): SnapshotState {
  const r = snapshotFromJson(snap);
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

function patch(p: Partial<SnapshotPatch> & { fromVersion: number; version: number }): SnapshotPatch {
  const r = patchFromJson({ publishedAt: "", upsertFlags: [], deletedFlags: [], upsertSegments: [], deletedSegments: [], ...p });
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

function apply(base: SnapshotState, p: SnapshotPatch): SnapshotState {
  const r = applyPatch(base, p);
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

describe("snapshot state", () => {
  it("rejects an envelope without a version or flags, and is lenient about the rest", () => {
    expect(snapshotFromJson({ flags: [] })).toMatchObject({ ok: false });
    expect(snapshotFromJson(null)).toMatchObject({ ok: false });
    expect(snapshotFromJson({ version: 3, flags: [] })).toMatchObject({ ok: true, value: { version: 3, projectKey: "" } });
    expect(patchFromJson({ fromVersion: 1 })).toMatchObject({ ok: false });
  });

  it("applies upserts and deletions of flags and segments", () => {
    const s1 = state();
    const s2 = apply(s1, patch({ fromVersion: 1, version: 2, upsertFlags: [boolFlag("new", "on")], deletedFlags: ["killed"], deletedSegments: ["beta"] }));
    expect(s2.version).toBe(2);
    expect(s2.flags.has("new")).toBe(true);
    expect(s2.flags.has("killed")).toBe(false);
    expect(s2.segments.size).toBe(0);
    expect(s1.flags.has("killed")).toBe(true); // the previous state is untouched
    expect(s2.compiled).not.toBe(s1.compiled);
  });

  it("keeps the opt-out attribute unless the patch sets or clears it", () => {
    const s1 = state();
    expect(apply(s1, patch({ fromVersion: 1, version: 2 })).optOutAttribute).toBe("experimentOptOut");
    expect(apply(s1, patch({ fromVersion: 1, version: 2, optOutAttribute: "noExp" })).optOutAttribute).toBe("noExp");
    expect(apply(s1, patch({ fromVersion: 1, version: 2, optOutAttribute: null as never })).optOutAttribute).toBeUndefined();
  });

  it("a malformed segment makes its flags PARSE_ERROR until a patch fixes it", () => {
    const s1 = state();
    const s2 = apply(s1, patch({ fromVersion: 1, version: 2, upsertSegments: [{ key: "beta", included: 5 } as never] }));
    expect(s2.invalidFlags.get("banner-text")).toMatch(/segment beta/);
    expect(s2.flags.has("banner-text")).toBe(false);
    const s3 = apply(s2, patch({ fromVersion: 2, version: 3, upsertSegments: [betaSegment] }));
    expect(s3.flags.has("banner-text")).toBe(true);
    expect(s3.invalidFlags.size).toBe(0);
    expect(changedFlagKeys(s2, s3)).toEqual(["banner-text"]);
  });

  it("a malformed flag in a patch replaces the valid one, and a valid one replaces it back", () => {
    const s1 = state();
    const s2 = apply(s1, patch({ fromVersion: 1, version: 2, upsertFlags: [{ key: "max-items", kind: "nope" } as never] }));
    expect(s2.invalidFlags.has("max-items")).toBe(true);
    expect(s2.flags.has("max-items")).toBe(false);
    expect(changedFlagKeys(s1, s2)).toEqual(["max-items"]);
    const s3 = apply(s2, patch({ fromVersion: 2, version: 3, upsertFlags: [boolFlag("max-items")] }));
    expect(s3.invalidFlags.has("max-items")).toBe(false);
  });

  describe("changedFlagKeys", () => {
    const withPrereqs = () => {
      const snap = demoSnapshot(1);
      snap.flags.push(boolFlag("child", "on", { prerequisites: [{ flagKey: "new-checkout", variation: "on" }] }));
      snap.flags.push(boolFlag("grandchild", "on", { prerequisites: [{ flagKey: "child", variation: "on" }] }));
      return snap;
    };

    it("includes flags depending on a changed flag through prerequisites, transitively", () => {
      const s1 = state(withPrereqs());
      const s2 = apply(s1, patch({ fromVersion: 1, version: 2, upsertFlags: [boolFlag("new-checkout", "on")] }));
      expect(changedFlagKeys(s1, s2).sort()).toEqual(["child", "grandchild", "new-checkout"]);
    });

    it("includes flags using a segment that uses a changed segment", () => {
      const snap = demoSnapshot(1);
      snap.segments.push({ key: "outer", included: [], excluded: [], rules: [{ id: "r", clauses: [{ attribute: "", op: "inSegment", values: ["beta"] }] }] });
      snap.flags.push(boolFlag("outer-flag", "off", { rules: [{ id: "r", clauses: [{ attribute: "", op: "notInSegment", values: ["outer"] }], serve: { variation: "on" } }] }));
      const s1 = state(snap);
      const s2 = apply(s1, patch({ fromVersion: 1, version: 2, upsertSegments: [{ ...betaSegment, included: ["someone"] }] }));
      expect(changedFlagKeys(s1, s2).sort()).toEqual(["banner-text", "outer-flag"]);
    });

    it("includes experiment flags when the opt-out attribute changes, and nothing for an identical put", () => {
      const s1 = state();
      expect(changedFlagKeys(s1, apply(s1, patch({ fromVersion: 1, version: 2, optOutAttribute: "other" })))).toEqual(["exp"]);
      expect(changedFlagKeys(s1, state(demoSnapshot(2)))).toEqual([]);
    });

    it("lists every flag on the first snapshot", () => {
      expect(changedFlagKeys(undefined, state()).length).toBe(demoSnapshot().flags.length);
    });
  });
});
