import { describe, expect, test } from "vitest";
import { attributeMetrics, type CandidateMetric, exposureProbes } from "./attribute-metrics";
import { type AcceptedExposure, cellOf, dimensionValue, NO_VALUE, RollupAccumulator } from "./compute-rollups";
import { EventWriter, type BatchToWrite } from "./event-writer";
import { IngestGate } from "./ingest-gate";
import { stripAttributes } from "./strip-attributes";
import type { EventBatchWrite } from "@/lib/data/events";

const MINUTE = 60_000;
const T = Date.UTC(2026, 10, 24, 9, 30);

const exposure = (over: Partial<AcceptedExposure> = {}): AcceptedExposure => ({
  environmentId: "env",
  flagKey: "f",
  variationKey: "on",
  contextKey: "u1",
  attributes: {},
  at: T,
  ...over,
});

describe("stripAttributes", () => {
  test("keeps only public catalog attributes with storable values", () => {
    const { kept, stripped } = stripAttributes(
      { plan: "pro", tags: ["a", 1, true], email: "x@y", unknown: 1, nested: { a: 1 }, empty: null, nul: "a\u0000b" },
      new Set(["plan", "tags", "nested", "empty", "nul"]),
    );
    expect(kept).toEqual({ plan: "pro", tags: ["a", 1, true] });
    expect(stripped).toBe(5);
  });
  test("no attributes, nothing stripped", () => {
    expect(stripAttributes(undefined, new Set(["plan"]))).toEqual({ kept: {}, stripped: 0 });
  });
});

describe("rollups", () => {
  test.each([
    [undefined, NO_VALUE],
    [null, NO_VALUE],
    ["pro", "pro"],
    [3, "3"],
    [false, "false"],
    [["a", "b"], '["a","b"]'],
    ["x".repeat(300), "x".repeat(256)],
  ])("dimensionValue(%j) = %j", (input, expected) => {
    expect(dimensionValue(input)).toBe(expected);
  });

  test("cells are unambiguous", () => {
    expect(cellOf("", "")).toBe("");
    expect(cellOf("ab", "c")).not.toBe(cellOf("a", "bc"));
  });

  test("one overall row plus one per dimension; cohorts add up; contexts counted once per cell", () => {
    const acc = new RollupAccumulator().addExposures(
      "env",
      [
        exposure({ attributes: { plan: "pro" } }),
        exposure({ attributes: { plan: "pro" }, at: T + 1000 }),
        exposure({ contextKey: "u2", attributes: {} }),
        exposure({ contextKey: "u1", attributes: { plan: "free" }, at: T + 2000 }),
        exposure({ at: T + MINUTE }),
      ],
      ["plan"],
    );
    const { rows, contexts } = acc.exposureRollups();
    const byCell = Object.fromEntries(rows.map((r) => [`${r.bucketStart - T}|${r.dimension}|${r.dimensionValue}`, r.count]));
    expect(byCell).toEqual({ "0||": 4, "0|plan|pro": 2, "0|plan|(none)": 1, "0|plan|free": 1, "60000||": 1, "60000|plan|(none)": 1 });
    const u1 = contexts.find((c) => c.contextKey === "u1" && c.bucketStart === T);
    expect(u1?.cells).toEqual(["", cellOf("plan", "pro"), cellOf("plan", "free")]);
    expect(contexts).toHaveLength(3);
  });

  test("batches added together merge into one row per key, environments kept apart", () => {
    const acc = new RollupAccumulator()
      .addExposures("env", [exposure()], [])
      .addExposures("env", [exposure({ contextKey: "u2" })], [])
      .addExposures("other", [exposure()], []);
    const { rows, contexts } = acc.exposureRollups();
    expect(rows.map((r) => [r.environmentId, r.count])).toEqual([
      ["env", 2],
      ["other", 1],
    ]);
    expect(contexts).toHaveLength(3);
  });

  test("metric rows sum values and squares", () => {
    const acc = new RollupAccumulator().addMetrics(
      "env",
      [
        { metricKey: "m", flagKey: "f", variationKey: "on", contextKey: "u1", value: 3, attributes: {}, at: T },
        { metricKey: "m", flagKey: "f", variationKey: "on", contextKey: "u1", value: 4, attributes: {}, at: T },
        { metricKey: "m", flagKey: "f", variationKey: "on", contextKey: "u2", value: undefined, attributes: {}, at: T },
      ],
      [],
    );
    expect(acc.metricRollups().rows).toEqual([expect.objectContaining({ count: 3, sum: 7, sumSquares: 25 })]);
  });
});

describe("attributeMetrics", () => {
  const metric = (over: Partial<CandidateMetric> = {}): CandidateMetric => ({ metricKey: "m", contextKey: "u1", value: 1, attributes: {}, at: T, ...over });

  test("the latest exposure at or before the event per flag; the batch's own exposures count; ties go to the batch", () => {
    const metrics = [metric({ at: T + 10 }), metric({ at: T - 10 }), metric({ contextKey: "nobody" })];
    const { probes, probeOf } = exposureProbes(metrics);
    expect(probes).toHaveLength(3);
    const prior = [
      { probe: 0, flagKey: "a", variationKey: "old", at: T, attributes: { plan: "pro", secret: "s" } },
      { probe: 0, flagKey: "b", variationKey: "stored", at: T - 5, attributes: {} },
    ];
    const batch = [
      exposure({ flagKey: "a", variationKey: "new", at: T }),
      exposure({ flagKey: "c", variationKey: "later", at: T + 20 }),
    ];
    const { attributed, unattributed } = attributeMetrics(metrics, probeOf, prior, batch, new Set(["plan"]));
    expect(unattributed).toBe(2);
    expect(attributed.map((a) => [a.flagKey, a.variationKey])).toEqual([
      ["a", "new"],
      ["b", "stored"],
    ]);
    expect(attributed[1].attributes).toEqual({});
  });

  test("the exposure's public attributes give the cohort; the metric's fill gaps; private stored ones are re-stripped", () => {
    const metrics = [metric({ attributes: { plan: "free", country: "NO" } })];
    const { probeOf } = exposureProbes(metrics);
    const prior = [{ probe: 0, flagKey: "a", variationKey: "v", at: T, attributes: { plan: "pro", email: "x@y" } }];
    const { attributed } = attributeMetrics(metrics, probeOf, prior, [], new Set(["plan", "country"]));
    expect(attributed[0].attributes).toEqual({ plan: "pro", country: "NO" });
  });

  test("identical (context, time) pairs share a probe", () => {
    expect(exposureProbes([metric(), metric({ value: 2 }), metric({ at: T + 1 })]).probeOf).toEqual([0, 0, 1]);
  });
});

describe("IngestGate", () => {
  test("grants up to the limit, queues a bounded number, refuses the rest", async () => {
    const gate = new IngestGate({ maxInFlight: 1, maxQueued: 1, maxWaitMs: 1000 });
    const first = await gate.acquire();
    expect(first).not.toBeNull();
    const waiting = gate.acquire();
    expect(await gate.acquire()).toBeNull();
    first!();
    first!(); // a second release is ignored
    const second = await waiting;
    expect(second).not.toBeNull();
    expect(gate.state).toMatchObject({ inFlight: 1, queued: 0 });
    second!();
    expect(gate.state).toMatchObject({ inFlight: 0 });
  });

  test("a waiter gives up after maxWaitMs", async () => {
    const gate = new IngestGate({ maxInFlight: 1, maxQueued: 5, maxWaitMs: 10 });
    const held = await gate.acquire();
    expect(await gate.acquire()).toBeNull();
    expect(gate.state.queued).toBe(0);
    held!();
  });
});

describe("EventWriter", () => {
  const batch = (contextKey: string, environmentId = "env"): BatchToWrite => ({
    environmentId,
    exposures: [exposure({ contextKey, environmentId })],
    metrics: [],
    dimensions: [],
  });

  test("batches arriving during a write are written together, once", async () => {
    const writes: EventBatchWrite[] = [];
    let release!: () => void;
    const writer = new EventWriter({ maxConcurrentWrites: 1, maxEventsPerWrite: 100 }, async (write) => {
      writes.push(write);
      if (writes.length === 1) await new Promise<void>((resolve) => (release = resolve));
    });
    const first = writer.write(batch("a"));
    const rest = [writer.write(batch("b")), writer.write(batch("c")), writer.write(batch("d", "other"))];
    await Promise.resolve();
    release();
    await Promise.all([first, ...rest]);
    expect(writes.map((w) => w.exposures.map((e) => e.contextKey))).toEqual([["a"], ["b", "c", "d"]]);
    expect(writes[1].exposureRollups.rows.map((r) => [r.environmentId, r.count])).toEqual([
      ["env", 2],
      ["other", 1],
    ]);
  });

  test("a failed group is retried batch by batch; only the bad batch fails", async () => {
    let block!: () => void;
    let calls = 0;
    const writer = new EventWriter({ maxConcurrentWrites: 1, maxEventsPerWrite: 100 }, async (write) => {
      calls += 1;
      if (calls === 1) await new Promise<void>((resolve) => (block = resolve));
      if (write.exposures.some((e) => e.contextKey === "bad")) throw new Error("boom");
    });
    const first = writer.write(batch("first"));
    const good = writer.write(batch("good"));
    const bad = writer.write(batch("bad"));
    await Promise.resolve();
    block();
    await expect(first).resolves.toBeUndefined();
    await expect(good).resolves.toBeUndefined();
    await expect(bad).rejects.toThrow("boom");
  });
});
