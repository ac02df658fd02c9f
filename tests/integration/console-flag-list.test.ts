/**
 * The console's flags list (lib/flags/list-flags.ts → listFlagsPage): search, filters on the
 * definition and on the environment's configuration, staleness, sorts with keyset pagination
 * that neither skips nor repeats, and the row summaries.
 */
import { beforeAll, describe, expect, test } from "vitest";
import { requireProjectPermission, type ProjectAccess } from "@/lib/auth/access";
import { getPrisma, type Prisma } from "@/lib/db";
import type { FlagConfig } from "@/lib/evaluation/types";
import { createFlag } from "@/lib/flags/create-flag";
import { listFlagRows } from "@/lib/flags/list-flags";
import { consoleFlagListQuerySchema, createFlagBodySchema } from "@/lib/schemas/flag";
import { withAppDatabase } from "./helpers/app-database";
import { createProjectFixture, type ProjectFixture } from "./helpers/fixtures";

withAppDatabase();

const NOW = new Date("2026-11-20T12:00:00Z");
const DAY = 86_400_000;
const ago = (days: number) => new Date(NOW.getTime() - days * DAY);

let fx: ProjectFixture;
let access: ProjectAccess;

async function configure(key: string, env: string, config: Partial<FlagConfig>, updatedAt = NOW) {
  const row = await getPrisma().flagEnvironmentConfig.findFirstOrThrow({ where: { flag: { projectId: fx.projectId, key }, environment: { key: env } } });
  await getPrisma().flagEnvironmentConfig.update({ where: { id: row.id }, data: { config: { ...(row.config as object), ...config } as Prisma.InputJsonValue, updatedAt } });
}

async function age(key: string, createdAt: Date, updatedAt = createdAt) {
  await getPrisma().$executeRaw`UPDATE flags SET "createdAt" = ${createdAt}, "updatedAt" = ${updatedAt} WHERE "projectId" = ${fx.projectId} AND key = ${key}`;
  await getPrisma().$executeRaw`UPDATE flag_environment_configs SET "updatedAt" = ${updatedAt} WHERE "flagId" = (SELECT id FROM flags WHERE "projectId" = ${fx.projectId} AND key = ${key})`;
}

function list(query: Record<string, string>, env = "development") {
  return listFlagRows(access, env, consoleFlagListQuerySchema.parse(query), NOW);
}

async function keys(query: Record<string, string>, env = "development") {
  return (await list(query, env)).flags.map((f) => f.key);
}

/** Every key in order, walking pages of `limit` through the cursors. */
async function walk(query: Record<string, string>, limit: number) {
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const page = await list({ ...query, limit: String(limit), ...(cursor ? { cursor } : {}) });
    expect(page.flags.length).toBeLessThanOrEqual(limit);
    seen.push(...page.flags.map((f) => f.key));
    cursor = page.nextCursor;
  } while (cursor);
  return seen;
}

beforeAll(async () => {
  fx = await createProjectFixture("flaglist");
  access = await requireProjectPermission(fx.byRole.admin.user, fx.projectKey, "flags:write");
  const make = (key: string, more: Record<string, unknown> = {}) =>
    createFlag(access, createFlagBodySchema.parse({ key: `l-${key}`, name: `Flag ${key}`, kind: "release", ...more }), new Date(NOW.getTime() - 60 * DAY));
  await make("alpha", { name: "Zebra crossing", description: "Pays with 100% discount", tags: ["checkout"] });
  await make("bravo", { name: "Apple pie", kind: "experiment", tags: ["checkout", "growth"], ownerEmail: fx.byRole.editor.user.email });
  await make("charlie", { name: "Middle_name", description: "", kind: "operational", expiresAt: "2026-11-25T00:00:00Z" });
  await make("delta", { name: "Delta", expiresAt: "2026-12-30T00:00:00Z" });
  await make("echo", { name: "Echo" });
  // Configurations in development: alpha on with a 20 % rollout, bravo on with a rule, others off.
  await configure("l-alpha", "development", {
    on: true,
    fallthrough: { rollout: { weights: [{ variation: "on", weight: 20_000 }, { variation: "off", weight: 80_000 }] } },
  });
  await configure("l-bravo", "development", {
    on: true,
    fallthrough: { variation: "on" },
    rules: [{ id: "r1", clauses: [{ attribute: "plan", op: "in", values: ["pro"] }], serve: { variation: "on" } }],
  });
  await configure("l-bravo", "production", { on: true });
  // Ages: alpha and bravo changed today; charlie past expiry; delta and echo unchanged for 40 days.
  await age("l-alpha", ago(50), NOW);
  await age("l-bravo", ago(45), ago(1));
  await age("l-charlie", ago(40), ago(35));
  await age("l-delta", ago(40), ago(40));
  await age("l-echo", ago(10), ago(10));
  await getPrisma().$executeRaw`UPDATE flags SET "expiresAt" = ${ago(2)} WHERE "projectId" = ${fx.projectId} AND key = 'l-charlie'`;
});

describe("search and filters", () => {
  test.each([
    [{ query: "zebra" }, ["l-alpha"]],
    [{ query: "APPLE" }, ["l-bravo"]],
    [{ query: "100%" }, ["l-alpha"]],
    // `_` and `%` match themselves, not any character.
    [{ query: "e_n" }, ["l-charlie"]],
    [{ query: "%" }, ["l-alpha"]],
    [{ query: "l-", kind: "experiment" }, ["l-bravo"]],
    [{ query: "l-", tag: "checkout" }, ["l-alpha", "l-bravo"]],
    [{ query: "l-", owner: "EDITOR" }, ["l-bravo"]],
    [{ query: "l-", state: "on" }, ["l-alpha", "l-bravo"]],
    [{ query: "l-", state: "off" }, ["l-charlie", "l-delta", "l-echo"]],
  ])("%j", async (filter, expected) => {
    const query: Record<string, string> = { ...filter };
    if (query.owner) query.owner = fx.byRole.editor.user.email.toUpperCase();
    expect(await keys(query)).toEqual(expected);
  });

  test("on/off looks at the list's environment", async () => {
    expect(await keys({ query: "l-", state: "on" }, "production")).toEqual(["l-bravo"]);
    expect(await keys({ query: "l-", state: "on" }, "staging")).toEqual([]);
  });

  test("the total counts every match, not just the page", async () => {
    const page = await list({ query: "l-", limit: "2" });
    expect(page.flags).toHaveLength(2);
    expect(page.total).toBe(5);
    expect(page.nextCursor).not.toBeNull();
  });

  test("an unknown environment is a 404", async () => {
    await expect(list({}, "nowhere")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("staleness", () => {
  test("past expiry, or one variation for everyone for 30 days; without exposure data, not being evaluated proves nothing", async () => {
    const page = await list({ query: "l-" });
    const reasons = Object.fromEntries(page.flags.map((f) => [f.key, f.staleReasons]));
    expect(reasons).toEqual({
      "l-alpha": [],
      "l-bravo": [],
      "l-charlie": ["past its expiry date", "serving one variation to everyone for 30 days"],
      "l-delta": ["serving one variation to everyone for 30 days"],
      "l-echo": [],
    });
    expect(await keys({ query: "l-", stale: "true" })).toEqual(["l-charlie", "l-delta"]);
  });

  test("once the environment reports exposures, flags older than 30 days without any are stale", async () => {
    const staging = await getPrisma().environment.findFirstOrThrow({ where: { projectId: fx.projectId, key: "staging" } });
    await getPrisma().exposureRollup.create({ data: { environmentId: staging.id, flagKey: "l-bravo", bucketStart: ago(3), variationKey: "on", count: 5, uniqueCount: 5 } });
    // Staging: everything is off and unchanged for over 30 days except echo (10 days) and alpha/bravo (changed recently).
    const page = await list({ query: "l-" }, "staging");
    const reasons = Object.fromEntries(page.flags.map((f) => [f.key, f.staleReasons]));
    expect(reasons["l-alpha"]).toEqual(["no evaluations in 30 days"]);
    expect(reasons["l-bravo"]).toEqual([]);
    expect(reasons["l-echo"]).toEqual([]);
    expect(await keys({ query: "l-", stale: "true" }, "staging")).toEqual(["l-alpha", "l-charlie", "l-delta"]);
  });
});

describe("sorting and pagination", () => {
  test.each([
    ["key", ["l-alpha", "l-bravo", "l-charlie", "l-delta", "l-echo"]],
    ["name", ["l-bravo", "l-delta", "l-echo", "l-charlie", "l-alpha"]],
    ["updated", ["l-alpha", "l-bravo", "l-echo", "l-charlie", "l-delta"]],
    ["created", ["l-echo", "l-charlie", "l-delta", "l-bravo", "l-alpha"]],
  ])("by %s, page by page, every flag exactly once", async (sort, expected) => {
    expect(await keys({ query: "l-", sort })).toEqual(expected);
    expect(await walk({ query: "l-", sort }, 2)).toEqual(expected);
  });

  test("ties in the sort value are broken by key", async () => {
    await getPrisma().$executeRaw`UPDATE flags SET "createdAt" = ${ago(40)} WHERE "projectId" = ${fx.projectId} AND key IN ('l-charlie', 'l-delta', 'l-echo')`;
    expect(await walk({ query: "l-", sort: "created" }, 1)).toEqual(["l-charlie", "l-delta", "l-echo", "l-bravo", "l-alpha"]);
  });
});

describe("rows", () => {
  test("state in every environment, the rollout here, expiry and last change", async () => {
    const page = await list({ query: "l-" });
    const alpha = page.flags.find((f) => f.key === "l-alpha")!;
    expect(alpha.environments).toEqual([
      { key: "development", on: true },
      { key: "staging", on: false },
      { key: "production", on: false },
    ]);
    expect(alpha.current).toMatchObject({ on: true, ruleCount: 0, fallthrough: { servedPercent: 20_000, split: [{ variation: "on", weight: 20_000 }, { variation: "off", weight: 80_000 }] } });
    expect(alpha.lastChangedAt).toBe(NOW.toISOString());
    const bravo = page.flags.find((f) => f.key === "l-bravo")!;
    expect(bravo.current).toMatchObject({ on: true, ruleCount: 1, fallthrough: { servedPercent: 100_000, variation: "on", split: null } });
    expect(bravo.owner).toEqual({ email: fx.byRole.editor.user.email, name: fx.byRole.editor.user.name });
    const delta = page.flags.find((f) => f.key === "l-delta")!;
    expect(delta.current).toMatchObject({ on: false });
    expect(delta.expiringSoon).toBe(false);
    expect(page.flags.find((f) => f.key === "l-charlie")!.expiringSoon).toBe(false);
  });

  test("a flag expiring within 14 days is marked", async () => {
    await getPrisma().$executeRaw`UPDATE flags SET "expiresAt" = ${new Date(NOW.getTime() + 5 * DAY)} WHERE "projectId" = ${fx.projectId} AND key = 'l-delta'`;
    const delta = (await list({ query: "l-delta" })).flags[0];
    expect(delta.expiringSoon).toBe(true);
    expect(delta.staleReasons).toEqual(["serving one variation to everyone for 30 days"]);
  });
});
