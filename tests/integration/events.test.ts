/**
 * POST /api/v1/events end to end through the route handler: authentication, validation with
 * precise errors, privacy (private attributes never reach any table), rollups that equal the raw
 * counts with exact unique counts, metric attribution, unknown flags, and back-pressure.
 */
import { afterEach, beforeAll, describe, expect, test } from "vitest";
import * as eventsRoute from "@/app/api/v1/events/route";
import * as openapiRoute from "@/app/api/v1/openapi.json/route";
import { generateSecret } from "@/lib/auth/tokens";
import { getPrisma } from "@/lib/db";
import { clearEventCatalogCache } from "@/lib/events/event-catalog";
import { EventWriter } from "@/lib/events/event-writer";
import { eventIngestGate } from "@/lib/events/ingest-gate";
import { MAX_EVENTS_PER_BATCH } from "@/lib/schemas/events";
import { withAppDatabase } from "./helpers/app-database";
import { callRoute, createProjectFixture } from "./helpers/fixtures";

withAppDatabase();

const MINUTE = 60_000;
const now = Date.now();
/** Whole minutes in the recent past, so every generated bucket is known in advance. */
const baseMinute = Math.floor(now / MINUTE) * MINUTE - 20 * MINUTE;

let projectId: string;
let serverKey: string;
let clientKey: string;
let revokedKey: string;
let env: { id: string };
let otherEnv: { id: string };
let otherEnvKey: string;

const FLAGS = { checkout: ["control", "treatment"], banner: ["off", "red", "blue"], search: ["v1", "v2"] } as const;

async function createSdkKey(environmentId: string, kind: "server" | "client", revoked = false) {
  const secret = generateSecret(kind === "server" ? "sdk-server" : "sdk-client");
  await getPrisma().sdkKey.create({
    data: {
      projectId,
      environmentId,
      kind,
      name: `${kind} key`,
      prefix: secret.prefix,
      keyHash: secret.hash,
      revokedAt: revoked ? new Date() : null,
    },
  });
  return secret.secret;
}

beforeAll(async () => {
  const fx = await createProjectFixture("events");
  projectId = fx.projectId;
  const prisma = getPrisma();
  const envs = await prisma.environment.findMany({ where: { projectId }, orderBy: { sortOrder: "asc" } });
  env = envs.find((e) => e.key === "production")!;
  otherEnv = envs.find((e) => e.key === "staging")!;
  // This file defines its own flags and catalog.
  await prisma.flag.deleteMany({ where: { projectId } });
  await prisma.attribute.deleteMany({ where: { projectId } });
  for (const [key, variations] of Object.entries(FLAGS)) {
    await prisma.flag.create({
      data: {
        projectId,
        key,
        name: key,
        kind: "experiment",
        valueType: "string",
        variations: variations.map((v) => ({ key: v, value: v })),
        clientVisible: key !== "search",
      },
    });
  }
  await prisma.attribute.createMany({
    data: [
      { projectId, key: "plan", type: "string", sensitivity: "public", dashboardDimension: true },
      { projectId, key: "country", type: "string", sensitivity: "public", dashboardDimension: true },
      { projectId, key: "appVersion", type: "semver", sensitivity: "public", dashboardDimension: false },
      { projectId, key: "email", type: "string", sensitivity: "private" },
      { projectId, key: "ssn", type: "string", sensitivity: "forbidden" },
    ],
  });
  await prisma.metricDefinition.createMany({
    data: [
      { projectId, key: "purchase", name: "Purchase", kind: "rate", goodDirection: "increase" },
      { projectId, key: "latency", name: "Latency", kind: "value", goodDirection: "decrease", unit: "ms" },
    ],
  });
  clearEventCatalogCache();
  serverKey = await createSdkKey(env.id, "server");
  clientKey = await createSdkKey(env.id, "client");
  revokedKey = await createSdkKey(env.id, "server", true);
  otherEnvKey = await createSdkKey(otherEnv.id, "server");
});

function post(token: string | undefined, body: unknown, rawBody?: string) {
  return callRoute(eventsRoute.POST, { method: "POST", path: "/api/v1/events", token, body, rawBody });
}

/** Calls the route and returns the raw Response (for headers). */
function postRaw(token: string, body: unknown) {
  return eventsRoute.POST(
    new Request("http://localhost/api/v1/events", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    }),
  );
}

const exposure = (over: Record<string, unknown> = {}) => ({
  kind: "exposure",
  flagKey: "checkout",
  variationKey: "control",
  contextKey: "user-1",
  timestamp: now - 5 * MINUTE,
  ...over,
});

async function countRows() {
  const prisma = getPrisma();
  const [events, rollups, metricRollups] = await Promise.all([
    prisma.exposureEvent.count(),
    prisma.exposureRollup.count(),
    prisma.metricRollup.count(),
  ]);
  return { events, rollups, metricRollups };
}

describe("authentication", () => {
  test.each([
    ["no key", undefined],
    ["an unknown key", "sy_srv_not-a-real-key-at-all"],
  ])("%s answers 401 without a body", async (_label, token) => {
    const response = await post(token, { events: [exposure()] });
    expect(response.status).toBe(401);
    expect(response.body).toBeNull();
  });

  test("a revoked key answers 401 and stores nothing", async () => {
    const before = await countRows();
    const response = await post(revokedKey, { events: [exposure()] });
    expect(response.status).toBe(401);
    expect(response.body).toBeNull();
    expect(await countRows()).toEqual(before);
  });

  test("X-API-Key works like Bearer", async () => {
    const response = await eventsRoute.POST(
      new Request("http://localhost/api/v1/events", {
        method: "POST",
        headers: { "x-api-key": serverKey },
        body: JSON.stringify({ events: [] }),
      }),
    );
    expect(response.status).toBe(202);
  });

  test("a client key is accepted; it cannot write exposures of flags that are not client-visible", async () => {
    const response = await post(clientKey, {
      events: [
        exposure({ contextKey: "client-1" }),
        exposure({ flagKey: "search", variationKey: "v1", contextKey: "client-1" }),
      ],
    });
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ received: 2, accepted: 1, unknownFlags: ["search"], dropped: { unknownFlag: 1 } });
    expect(await getPrisma().exposureEvent.count({ where: { contextKey: "client-1" } })).toBe(1);
  });

  test("the key fixes the environment", async () => {
    const response = await post(otherEnvKey, { events: [exposure({ contextKey: "staging-user" })] });
    expect(response.status).toBe(202);
    const stored = await getPrisma().exposureEvent.findMany({ where: { contextKey: "staging-user" } });
    expect(stored.map((e) => e.environmentId)).toEqual([otherEnv.id]);
  });
});

describe("validation", () => {
  test.each([
    ["a missing flagKey", [exposure(), exposure(), { ...exposure(), flagKey: undefined }], 2, "flagKey", /flagKey/],
    ["an empty contextKey", [exposure({ contextKey: "" })], 0, "contextKey", /must not be empty/],
    ["an unknown kind", [exposure(), { ...exposure(), kind: "click" }], 1, "kind", /exposure.*metric/],
    ["a non-object event", [exposure(), 42], 1, "(event)", /object/],
    ["a timestamp a week ahead", [exposure({ timestamp: now + 7 * 24 * 60 * MINUTE })], 0, "timestamp", /future/],
    ["a timestamp 40 days old", [exposure(), exposure({ timestamp: new Date(now - 40 * 24 * 60 * MINUTE).toISOString() })], 1, "timestamp", /older than 30 days/],
    ["epoch seconds", [exposure({ timestamp: Math.floor(now / 1000) })], 0, "timestamp", /epoch seconds/],
    ["a date without time", [exposure({ timestamp: "2026-11-24" })], 0, "timestamp", /ISO 8601/],
    ["a string value", [{ kind: "metric", metricKey: "latency", contextKey: "u", value: "12", timestamp: now }], 0, "value", /number/],
    ["a NUL in a key", [exposure({ flagKey: "bad\u0000key" })], 0, "flagKey", /NUL/],
    ["a non-object attributes", [exposure({ attributes: ["plan"] })], 0, "attributes", /object/],
  ])("%s is a 400 naming the event and field; nothing is stored", async (_label, events, index, field, issue) => {
    const before = await countRows();
    const response = await post(serverKey, { events });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe("VALIDATION_FAILED");
    expect(response.body.error.details).toMatchObject({ index, field });
    expect(response.body.error.details.issue).toMatch(issue);
    expect(response.body.error.message).toContain(`Event ${index}`);
    expect(await countRows()).toEqual(before);
  });

  test.each([
    ["an array body", [], "(body)"],
    ["no events", {}, "events"],
    ["events not an array", { events: "many" }, "events"],
  ])("%s is a 400 about the batch itself", async (_label, body, field) => {
    const response = await post(serverKey, body);
    expect(response.status).toBe(400);
    expect(response.body.error.details).toMatchObject({ index: null, field });
  });

  test("malformed JSON is a 400", async () => {
    const response = await post(serverKey, undefined, '{"events": [');
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe("BAD_REQUEST");
  });

  test("many bad events: the first by index leads, up to 20 are listed, all are counted", async () => {
    const events = Array.from({ length: 30 }, (_, i) => (i < 5 ? exposure() : exposure({ variationKey: "" })));
    const response = await post(serverKey, { events });
    expect(response.status).toBe(400);
    const details = response.body.error.details;
    expect(details).toMatchObject({ index: 5, field: "variationKey", issueCount: 25 });
    expect(details.issues).toHaveLength(20);
    expect(details.issues.map((i: { index: number }) => i.index)).toEqual(Array.from({ length: 20 }, (_, i) => i + 5));
  });

  test(`more than ${MAX_EVENTS_PER_BATCH} events is a 413`, async () => {
    const events = Array.from({ length: MAX_EVENTS_PER_BATCH + 1 }, () => ({ kind: "exposure" }));
    const response = await post(serverKey, { events });
    expect(response.status).toBe(413);
    expect(response.body.error).toMatchObject({ code: "PAYLOAD_TOO_LARGE", details: { maxEvents: MAX_EVENTS_PER_BATCH } });
  });

  test("a body over 1 MB is a 413", async () => {
    const padding = "x".repeat(1_100_000);
    const response = await post(serverKey, { events: [exposure({ attributes: { plan: padding } })] });
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe("PAYLOAD_TOO_LARGE");
  });

  test("extra fields are ignored and ISO timestamps with offsets are fine", async () => {
    const response = await post(serverKey, {
      sdk: "test",
      events: [exposure({ contextKey: "lenient", timestamp: new Date(now - MINUTE).toISOString().replace("Z", "+00:00"), extra: 1 })],
    });
    expect(response.status).toBe(202);
    expect(response.body.accepted).toBe(1);
  });
});

describe("privacy", () => {
  test("private, forbidden and uncatalogued attributes never reach any table", async () => {
    const secret = (what: string) => `SECRET-${what}-7f3a9c`;
    const attributes = {
      plan: "pro",
      country: "NO",
      appVersion: "1.2.3",
      email: secret("email"),
      ssn: secret("ssn"),
      favouriteColour: secret("uncatalogued"),
      nested: { deep: secret("nested") },
    };
    const response = await post(serverKey, {
      events: [
        exposure({ contextKey: "private-1", attributes }),
        { kind: "metric", metricKey: "purchase", contextKey: "private-1", attributes, timestamp: now - 4 * MINUTE },
        { kind: "metric", metricKey: "latency", value: 120, contextKey: "private-1", attributes, timestamp: now - 4 * MINUTE },
      ],
    });
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ accepted: 3, stripped: 12 });

    const prisma = getPrisma();
    const tables = await prisma.$queryRaw<{ table_name: string }[]>`
      SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`;
    expect(tables.length).toBeGreaterThan(20);
    for (const { table_name } of tables) {
      const [hit] = await prisma.$queryRawUnsafe<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM "${table_name}" t WHERE to_jsonb(t)::text LIKE '%SECRET-%'`,
      );
      expect(hit.n, `${table_name} holds a private value`).toBe(0);
    }
    const stored = await prisma.exposureEvent.findFirstOrThrow({ where: { contextKey: "private-1" } });
    expect(stored.attributes).toEqual({ plan: "pro", country: "NO", appVersion: "1.2.3" });
    const dims = await prisma.exposureRollup.findMany({ where: { environmentId: env.id, flagKey: "checkout", dimension: { not: "" } } });
    expect(new Set(dims.map((d) => d.dimension))).toEqual(new Set(["plan", "country"]));
  });
});

/** A small deterministic PRNG, so a failure reproduces. */
function mulberry32(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("rollups", () => {
  test("a few thousand random exposures in concurrent batches: rollups equal the raw counts, unique counts exact", async () => {
    const random = mulberry32(20261124);
    const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
    const plans = ["free", "pro", "enterprise", undefined];
    const countries = ["NO", "DE", "US", "JP"];
    const contexts = Array.from({ length: 150 }, (_, i) => ({
      key: `rand-${i}`,
      plan: pick(plans),
      country: pick(countries),
    }));
    type Generated = { flagKey: string; variationKey: string; contextKey: string; attributes: Record<string, unknown>; timestamp: number | string };
    const generated: Generated[] = [];
    for (let i = 0; i < 3600; i++) {
      const context = pick(contexts);
      const flagKey = pick(Object.keys(FLAGS)) as keyof typeof FLAGS;
      const at = baseMinute + Math.floor(random() * 6 * MINUTE);
      generated.push({
        flagKey,
        variationKey: pick(FLAGS[flagKey]),
        contextKey: context.key,
        attributes: { ...(context.plan ? { plan: context.plan } : {}), country: context.country, email: `${context.key}@example.test` },
        timestamp: random() < 0.5 ? at : new Date(at).toISOString(),
      });
    }
    // 9 batches of 400, sent three at a time, so contexts recur across batches and concurrently.
    const batches = Array.from({ length: 9 }, (_, b) => generated.slice(b * 400, (b + 1) * 400));
    for (let b = 0; b < batches.length; b += 3) {
      const responses = await Promise.all(
        batches.slice(b, b + 3).map((batch) => post(serverKey, { events: batch.map((e) => ({ kind: "exposure", ...e })) })),
      );
      for (const response of responses) {
        expect(response.status).toBe(202);
        expect(response.body).toMatchObject({ received: 400, accepted: 400, stripped: 400 });
      }
    }

    const expected = new Map<string, { count: number; contexts: Set<string> }>();
    const add = (key: string, contextKey: string) => {
      const row = expected.get(key) ?? { count: 0, contexts: new Set<string>() };
      row.count += 1;
      row.contexts.add(contextKey);
      expected.set(key, row);
    };
    for (const e of generated) {
      const at = typeof e.timestamp === "number" ? e.timestamp : Date.parse(e.timestamp);
      const bucket = new Date(Math.floor(at / MINUTE) * MINUTE).toISOString();
      const base = `${e.flagKey}|${bucket}|${e.variationKey}`;
      add(`${base}||`, e.contextKey);
      add(`${base}|plan|${(e.attributes.plan as string | undefined) ?? "(none)"}`, e.contextKey);
      add(`${base}|country|${e.attributes.country}`, e.contextKey);
    }

    const rows = await getPrisma().exposureRollup.findMany({
      where: { environmentId: env.id, bucketStart: { gte: new Date(baseMinute), lt: new Date(baseMinute + 6 * MINUTE) } },
    });
    const actual = new Map(
      rows.map((r) => [
        `${r.flagKey}|${r.bucketStart.toISOString()}|${r.variationKey}|${r.dimension}|${r.dimensionValue}`,
        { count: r.count, unique: r.uniqueCount },
      ]),
    );
    const want = new Map([...expected].map(([key, v]) => [key, { count: v.count, unique: v.contexts.size }]));
    expect(actual.size).toBe(want.size);
    expect(Object.fromEntries(actual)).toEqual(Object.fromEntries(want));

    // Every dimension's cohorts add up to the overall row, and the raw events are all there.
    const overall = rows.filter((r) => r.dimension === "").reduce((sum, r) => sum + r.count, 0);
    for (const dimension of ["plan", "country"]) {
      expect(rows.filter((r) => r.dimension === dimension).reduce((sum, r) => sum + r.count, 0)).toBe(overall);
    }
    expect(overall).toBe(generated.length);
    expect(await getPrisma().exposureEvent.count({ where: { environmentId: env.id, contextKey: { startsWith: "rand-" } } })).toBe(generated.length);
  });

  test("resending a context in a later batch grows count but not uniqueCount", async () => {
    const at = baseMinute - 3 * MINUTE;
    const send = (contextKey: string) => post(serverKey, { events: [exposure({ flagKey: "search", variationKey: "v2", contextKey, timestamp: at })] });
    await send("again-1");
    await send("again-1");
    await send("again-2");
    const row = await getPrisma().exposureRollup.findUniqueOrThrow({
      where: {
        environmentId_flagKey_bucketStart_variationKey_dimension_dimensionValue: {
          environmentId: env.id,
          flagKey: "search",
          bucketStart: new Date(at),
          variationKey: "v2",
          dimension: "",
          dimensionValue: "",
        },
      },
    });
    expect(row).toMatchObject({ count: 3, uniqueCount: 2 });
  });
});

describe("unique counts under concurrent writers", () => {
  test("writers racing on the same contexts, whose cohorts change, count each context once per cell", async () => {
    // Several writers at once, one batch per transaction: what instances sharing a database do.
    const writer = new EventWriter({ maxConcurrentWrites: 6, maxEventsPerWrite: 1 });
    const environmentId = (await getPrisma().environment.findFirstOrThrow({ where: { projectId, key: "development" } })).id;
    const at = baseMinute + 2 * MINUTE + 30_000;
    const random = mulberry32(7);
    const plans = ["free", "pro", undefined];
    const batches = Array.from({ length: 12 }, () =>
      Array.from({ length: 40 }, () => ({
        environmentId,
        flagKey: "checkout",
        variationKey: random() < 0.5 ? "control" : "treatment",
        contextKey: `race-${Math.floor(random() * 25)}`,
        attributes: ((plan): Record<string, string> => (plan ? { plan } : {}))(plans[Math.floor(random() * plans.length)]),
        at,
      })),
    );
    await Promise.all(batches.map((exposures) => writer.write({ environmentId, exposures, metrics: [], dimensions: ["plan"] })));

    const expected = new Map<string, { count: number; contexts: Set<string> }>();
    for (const e of batches.flat()) {
      for (const [dimension, value] of [["", ""], ["plan", e.attributes.plan ?? "(none)"]]) {
        const key = `${e.variationKey}|${dimension}|${value}`;
        const row = expected.get(key) ?? { count: 0, contexts: new Set<string>() };
        row.count += 1;
        row.contexts.add(e.contextKey);
        expected.set(key, row);
      }
    }
    const rows = await getPrisma().exposureRollup.findMany({ where: { environmentId, bucketStart: new Date(baseMinute + 2 * MINUTE) } });
    expect(Object.fromEntries(rows.map((r) => [`${r.variationKey}|${r.dimension}|${r.dimensionValue}`, [r.count, r.uniqueCount]]))).toEqual(
      Object.fromEntries([...expected].map(([key, v]) => [key, [v.count, v.contexts.size]])),
    );
  });
});

describe("metric attribution", () => {
  const t0 = baseMinute - 10 * MINUTE;
  const metric = (over: Record<string, unknown>) => ({ kind: "metric", contextKey: "m-user", timestamp: t0, ...over });

  test("metric events count toward the variation the context last saw of each flag", async () => {
    // m-user: checkout=control and banner=red at t0, then checkout=treatment at t0+2m.
    let response = await post(serverKey, {
      events: [
        exposure({ contextKey: "m-user", flagKey: "checkout", variationKey: "control", timestamp: t0, attributes: { plan: "pro" } }),
        exposure({ contextKey: "m-user", flagKey: "banner", variationKey: "red", timestamp: t0, attributes: { plan: "pro" } }),
      ],
    });
    expect(response.status).toBe(202);
    response = await post(serverKey, {
      events: [
        // Same batch as its metric events: the exposure at t0+2m is seen.
        exposure({ contextKey: "m-user", flagKey: "checkout", variationKey: "treatment", timestamp: t0 + 2 * MINUTE, attributes: { plan: "pro" } }),
        metric({ metricKey: "latency", value: 100, timestamp: t0 + MINUTE }), // before the switch: control
        metric({ metricKey: "latency", value: 300, timestamp: t0 + 3 * MINUTE }), // after: treatment
        metric({ metricKey: "latency", value: 500, timestamp: t0 + 3 * MINUTE + 1000, attributes: { plan: "free", country: "DE" } }),
        metric({ metricKey: "purchase", timestamp: t0 + 3 * MINUTE }),
        metric({ metricKey: "latency", value: 7, contextKey: "never-exposed", timestamp: t0 + 3 * MINUTE }),
        metric({ metricKey: "latency", value: 7, timestamp: t0 - MINUTE }), // before any exposure
        metric({ metricKey: "latency", timestamp: t0 + 3 * MINUTE }), // a value metric without a value
        metric({ metricKey: "no-such-metric", timestamp: t0 + 3 * MINUTE }),
      ],
    });
    expect(response.status).toBe(202);
    expect(response.body).toEqual({
      received: 9,
      accepted: 5,
      dropped: { unknownFlag: 0, unknownMetric: 1, unattributed: 2, missingValue: 1 },
      unknownFlags: [],
      unknownMetrics: ["no-such-metric"],
      stripped: 0,
    });

    const rows = await getPrisma().metricRollup.findMany({
      where: { environmentId: env.id, dimension: "", bucketStart: { gte: new Date(t0 - MINUTE), lt: new Date(t0 + 4 * MINUTE) } },
      orderBy: [{ flagKey: "asc" }, { metricKey: "asc" }, { bucketStart: "asc" }] });
    const summary = rows.map((r) => ({
      flag: r.flagKey,
      metric: r.metricKey,
      minute: (r.bucketStart.getTime() - t0) / MINUTE,
      variation: r.variationKey,
      count: r.count,
      sum: r.sum,
      sumSquares: r.sumSquares,
      unique: r.uniqueCount,
    }));
    expect(summary).toEqual([
      { flag: "banner", metric: "latency", minute: 1, variation: "red", count: 1, sum: 100, sumSquares: 10_000, unique: 1 },
      { flag: "banner", metric: "latency", minute: 3, variation: "red", count: 2, sum: 800, sumSquares: 340_000, unique: 1 },
      { flag: "banner", metric: "purchase", minute: 3, variation: "red", count: 1, sum: 0, sumSquares: 0, unique: 1 },
      { flag: "checkout", metric: "latency", minute: 1, variation: "control", count: 1, sum: 100, sumSquares: 10_000, unique: 1 },
      { flag: "checkout", metric: "latency", minute: 3, variation: "treatment", count: 2, sum: 800, sumSquares: 340_000, unique: 1 },
      { flag: "checkout", metric: "purchase", minute: 3, variation: "treatment", count: 1, sum: 0, sumSquares: 0, unique: 1 },
    ]);

    // The cohort is the one the context was exposed in (plan=pro), even when the metric event says
    // otherwise; attributes the exposure lacks come from the metric event (country=DE).
    const cohorts = await getPrisma().metricRollup.findMany({
      where: { environmentId: env.id, flagKey: "checkout", metricKey: "latency", bucketStart: new Date(t0 + 3 * MINUTE), dimension: { not: "" } },
      orderBy: [{ dimension: "asc" }, { dimensionValue: "asc" }],
    });
    expect(cohorts.map((c) => [c.dimension, c.dimensionValue, c.count])).toEqual([
      ["country", "(none)", 1],
      ["country", "DE", 1],
      ["plan", "pro", 2],
    ]);
  });

  test("a later batch attributes to stored exposures", async () => {
    const response = await post(serverKey, { events: [metric({ metricKey: "purchase", timestamp: t0 + 4 * MINUTE })] });
    expect(response.body).toMatchObject({ accepted: 1, dropped: { unattributed: 0 } });
    const row = await getPrisma().metricRollup.findFirstOrThrow({
      where: { environmentId: env.id, flagKey: "checkout", metricKey: "purchase", bucketStart: new Date(t0 + 4 * MINUTE), dimension: "" },
    });
    expect(row).toMatchObject({ variationKey: "treatment", count: 1, uniqueCount: 1 });
  });

  test("exposures in another environment do not count", async () => {
    const response = await post(otherEnvKey, { events: [metric({ metricKey: "purchase", timestamp: t0 + 4 * MINUTE })] });
    expect(response.body).toMatchObject({ accepted: 0, dropped: { unattributed: 1 } });
  });
});

describe("unknown flags", () => {
  test("are dropped, counted and reported; the rest of the batch is stored", async () => {
    const before = await getPrisma().exposureEvent.count();
    const response = await post(serverKey, {
      events: [
        exposure({ contextKey: "u-1" }),
        exposure({ flagKey: "ghost", contextKey: "u-1" }),
        exposure({ flagKey: "ghost", contextKey: "u-2" }),
        exposure({ flagKey: "phantom", contextKey: "u-1" }),
      ],
    });
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ received: 4, accepted: 1, dropped: { unknownFlag: 3 } });
    expect(response.body.unknownFlags.sort()).toEqual(["ghost", "phantom"]);
    expect(await getPrisma().exposureEvent.count()).toBe(before + 1);
    expect(await getPrisma().exposureRollup.count({ where: { flagKey: { in: ["ghost", "phantom"] } } })).toBe(0);
  });
});

describe("overload", () => {
  const limits = { ...eventIngestGate.state };
  afterEach(() => eventIngestGate.configure({ maxInFlight: limits.maxInFlight, maxQueued: limits.maxQueued, maxWaitMs: limits.maxWaitMs }));

  test("a saturated instance answers 503 with Retry-After and stores nothing", async () => {
    eventIngestGate.configure({ maxInFlight: 1, maxQueued: 0 });
    const hold = await eventIngestGate.acquire();
    expect(hold).not.toBeNull();
    const before = await countRows();
    const response = await postRaw(serverKey, { events: [exposure({ contextKey: "overload-held" })] });
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("1");
    expect((await response.json()).error.code).toBe("OVERLOADED");
    expect(await countRows()).toEqual(before);
    hold!();
    const retried = await postRaw(serverKey, { events: [exposure({ contextKey: "overload-held" })] });
    expect(retried.status).toBe(202);
  });

  test("a burst beyond the limit: every batch is either fully stored (202) or not at all (503)", async () => {
    eventIngestGate.configure({ maxInFlight: 2, maxQueued: 1, maxWaitMs: 5000 });
    const batches = Array.from({ length: 12 }, (_, b) =>
      Array.from({ length: 50 }, (_, i) => exposure({ flagKey: "banner", variationKey: "blue", contextKey: `burst-${b}-${i % 20}`, timestamp: baseMinute - 7 * MINUTE })),
    );
    const responses = await Promise.all(batches.map((events) => postRaw(serverKey, { events })));
    const statuses = responses.map((r) => r.status);
    expect(statuses.every((s) => s === 202 || s === 503)).toBe(true);
    expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s === 202).length).toBeGreaterThanOrEqual(3);
    for (const r of responses.filter((r) => r.status === 503)) expect(r.headers.get("retry-after")).toBe("1");

    const prisma = getPrisma();
    for (const [b, response] of responses.entries()) {
      const stored = await prisma.exposureEvent.count({ where: { contextKey: { startsWith: `burst-${b}-` } } });
      expect(stored).toBe(response.status === 202 ? 50 : 0);
    }
    const accepted = statuses.filter((s) => s === 202).length;
    const overall = await prisma.exposureRollup.findUniqueOrThrow({
      where: {
        environmentId_flagKey_bucketStart_variationKey_dimension_dimensionValue: {
          environmentId: env.id,
          flagKey: "banner",
          bucketStart: new Date(baseMinute - 7 * MINUTE),
          variationKey: "blue",
          dimension: "",
          dimensionValue: "",
        },
      },
    });
    expect(overall).toMatchObject({ count: accepted * 50, uniqueCount: accepted * 20 });
    expect(eventIngestGate.state).toMatchObject({ inFlight: 0, queued: 0 });
  });
});

test("the OpenAPI document describes POST /api/v1/events with the shared schemas", async () => {
  const document = await (await openapiRoute.GET()).json();
  const operation = document.paths["/api/v1/events"].post;
  expect(operation.requestBody.content["application/json"].schema.$ref).toBe("#/components/schemas/EventBatch");
  expect(Object.keys(operation.responses).sort()).toEqual(["202", "400", "401", "413", "503"]);
  expect(document.components.schemas).toHaveProperty("EventBatchResult");
  expect(document.components.securitySchemes).toHaveProperty("sdkKey");
});
