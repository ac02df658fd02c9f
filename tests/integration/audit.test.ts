/**
 * The audit log: request metadata on every write, the filtered and paginated list, one event's
 * detail, the streamed export (CSV escaping, JSON rows whose hashes recompute, filters, batches
 * pulled only on demand) and chain verification against rows tampered with in the database.
 */
import { beforeAll, describe, expect, test } from "vitest";
import * as verifyRoute from "@/app/api/v1/audit/verify/route";
import * as flagConfigRoute from "@/app/api/v1/projects/[project]/environments/[env]/flags/[key]/route";
import * as auditListRoute from "@/app/api/v1/projects/[project]/audit/route";
import * as auditEventRoute from "@/app/api/v1/projects/[project]/audit/[id]/route";
import * as auditExportRoute from "@/app/api/v1/projects/[project]/audit/export/route";
import * as openapiRoute from "@/app/api/v1/openapi.json/route";
import { recordAuditEvent } from "@/lib/audit/append-audit-event";
import { auditExportStream } from "@/lib/audit/export-audit-events";
import { computeAuditHash } from "@/lib/audit/hash-chain";
import { verifyAuditChainInDatabase } from "@/lib/audit/verify-chain";
import type { AuditEventRow } from "@/lib/data/audit-events";
import { getPrisma } from "@/lib/db";
import { withAppDatabase } from "./helpers/app-database";
import { callRoute, createProjectFixture, type ProjectFixture } from "./helpers/fixtures";

withAppDatabase();

let fx: ProjectFixture;
let other: ProjectFixture;
/** Events appended for the filter tests, by name. */
const ids: Record<string, string> = {};

beforeAll(async () => {
  fx = await createProjectFixture("audit");
  other = await createProjectFixture("audit-other");
  const prisma = getPrisma();
  const envs = await prisma.environment.findMany({ where: { projectId: fx.projectId } });
  const env = (key: string) => envs.find((e) => e.key === key)!.id;
  const base = { projectId: fx.projectId, actorType: "user" as const, actorId: null };
  const events = {
    raise: { ...base, actorLabel: "alice@example.test", action: "flag_config.updated", entityType: "flag", entityKey: "checkout", environmentId: env("development"), reason: "Raise 10% → 20%", createdAt: new Date("2020-01-10T10:00:00Z"), before: { on: false }, after: { on: true } },
    segment: { ...base, actorType: "api_token" as const, actorLabel: "token:ci", action: "segment_config.updated", entityType: "segment", entityKey: "beta_users", environmentId: env("production"), reason: "100_% done", createdAt: new Date("2020-01-11T10:00:00Z") },
    applied: { ...base, actorType: "system" as const, actorLabel: "system:scheduler", action: "change_request.applied", entityType: "change_request", entityKey: "cr-1", environmentId: env("production"), changeRequestId: "cr-1", createdAt: new Date("2020-01-12T23:59:59.999Z") },
    opened: { ...base, actorLabel: "alice@example.test", action: "change_request.opened", entityType: "change_request", entityKey: "cr-1", environmentId: env("production"), changeRequestId: "cr-1", reason: "=HYPERLINK(\"x\"),\n\"quoted\"", createdAt: new Date("2020-01-13T00:00:00Z") },
  };
  for (const [name, event] of Object.entries(events)) ids[name] = (await recordAuditEvent(prisma, event)).id.toString();
  ids.elsewhere = (await recordAuditEvent(prisma, { ...events.raise, projectId: other.projectId, environmentId: null })).id.toString();
});

function get<P>(route: (request: Request, context: { params: Promise<P> }) => Promise<Response>, path: string, params: P, token?: string) {
  const request = new Request(`http://localhost${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return route(request, { params: Promise.resolve(params) });
}

async function list(query: Record<string, string>, token = fx.byRole.viewer.serviceToken) {
  const response = await get(auditListRoute.GET, `/api/v1/projects/${fx.projectKey}/audit?${new URLSearchParams(query)}`, { project: fx.projectKey }, token);
  return { status: response.status, body: await response.json() };
}

const mine = (body: { events: { id: string }[] }) => body.events.map((e) => e.id).filter((id) => Object.values(ids).includes(id));

describe("request metadata", () => {
  test("a REST write records the caller's address, user agent and request id, and answers the id", async () => {
    const path = `/api/v1/projects/${fx.projectKey}/environments/development/flags/checkout`;
    const current = (await callRoute(flagConfigRoute.GET, { method: "GET", path, token: fx.rootToken, params: { project: fx.projectKey, env: "development", key: "checkout" } })).body;
    const request = new Request(`http://localhost${path}`, {
      method: "PUT",
      headers: {
        authorization: `Bearer ${fx.byRole.editor.serviceToken}`,
        "content-type": "application/json",
        "user-agent": "deploy-bot/1.2",
        "x-forwarded-for": "203.0.113.7, 10.0.0.2",
        "x-request-id": "req-abc-123",
      },
      body: JSON.stringify({ version: current.version, config: { ...current.config, on: !current.config.on } }),
    });
    const response = await flagConfigRoute.PUT(request, { params: Promise.resolve({ project: fx.projectKey, env: "development", key: "checkout" }) });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-request-id")).toBe("req-abc-123");
    const event = await getPrisma().auditEvent.findFirstOrThrow({ where: { projectId: fx.projectId, action: "flag_config.updated", entityKey: "checkout", actorLabel: "token:editor service" }, orderBy: { id: "desc" } });
    expect(event.requestMeta).toEqual({ ip: "203.0.113.7", userAgent: "deploy-bot/1.2", requestId: "req-abc-123" });
  });

  test("a request without an id gets a fresh one, on errors too", async () => {
    const ok = await get(auditListRoute.GET, `/api/v1/projects/${fx.projectKey}/audit`, { project: fx.projectKey }, fx.rootToken);
    expect(ok.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const refused = await get(auditListRoute.GET, `/api/v1/projects/${fx.projectKey}/audit`, { project: fx.projectKey }, "");
    expect(refused.status).toBe(401);
    expect(refused.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("list", () => {
  test("newest first, a page at a time through cursors, every event once", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { status: number; body: { events: { id: string }[]; nextCursor: string | null } } = await list({ limit: "2", ...(cursor ? { cursor } : {}) });
      expect(page.status).toBe(200);
      seen.push(...page.body.events.map((e) => e.id));
      cursor = page.body.nextCursor;
      pages += 1;
    } while (cursor && pages < 100);
    const all = await getPrisma().auditEvent.findMany({ where: { projectId: fx.projectId }, select: { id: true }, orderBy: { id: "desc" } });
    expect(seen).toEqual(all.map((e) => e.id.toString()));
    expect(seen).not.toContain(ids.elsewhere);
  });

  test.each([
    ["actor", { actor: "alice@example.test" }, ["opened", "raise"]],
    ["entity type and key", { entityType: "change_request", entityKey: "cr-1" }, ["opened", "applied"]],
    ["an action", { action: "segment_config.updated" }, ["segment"]],
    ["a kind of action", { action: "change_request.*" }, ["opened", "applied"]],
    ["an environment", { environment: "production" }, ["opened", "applied", "segment"]],
    ["a time range (dates are whole UTC days)", { from: "2020-01-11", to: "2020-01-12" }, ["applied", "segment"]],
    ["a time range to the millisecond", { from: "2020-01-10T10:00:00.001Z", to: "2020-01-12T23:59:59.999Z" }, ["segment"]],
    ["text in a reason, % taken literally", { q: "10%" }, ["raise"]],
    ["text in an entity key, _ taken literally", { q: "a_u" }, ["segment"]],
    ["text in an actor label, any case", { q: "TOKEN:CI" }, ["segment"]],
    ["text in an action, combined with a filter", { q: "opened", environment: "production" }, ["opened"]],
  ])("filters by %s", async (_name, query, expected) => {
    const { status, body } = await list(query as Record<string, string>);
    expect(status).toBe(200);
    expect(mine(body)).toEqual(expected.map((name) => ids[name]));
  });

  test("a time range finds events written out of time order, in the list and the export, and an empty range finds none", async () => {
    // Appended last (the highest id) but dated inside 2020-01-11: ids are bounded by the range's
    // own min and max id, never guessed from their order.
    const late = (await recordAuditEvent(getPrisma(), { projectId: fx.projectId, actorType: "system", actorLabel: "system:import", action: "flag.imported", entityType: "flag", entityKey: "late", createdAt: new Date("2020-01-11T12:00:00Z") })).id.toString();
    ids.late = late;
    const { body } = await list({ from: "2020-01-11", to: "2020-01-11" });
    expect(mine(body)).toEqual([late, ids.segment]);
    const response = await get(auditExportRoute.GET, `/api/v1/projects/${fx.projectKey}/audit/export?format=ndjson&from=2020-01-11&to=2020-01-11`, { project: fx.projectKey }, fx.byRole.viewer.serviceToken);
    const exported = (await response.text()).trimEnd().split("\n").map((line) => JSON.parse(line).id);
    expect(exported).toEqual([ids.segment, late]);
    expect(mine((await list({ from: "2019-01-01", to: "2019-01-02" })).body)).toEqual([]);
    expect((await list({ from: "2019-01-01", to: "2019-01-02" })).body.events).toEqual([]);
  });

  test.each([
    [{ environment: "nowhere" }, "environment"],
    [{ from: "2020-02-01", to: "2020-01-01" }, "to"],
    [{ from: "yesterday" }, "from"],
    [{ action: "DROP TABLE" }, "action"],
    [{ cursor: "not-a-cursor" }, "cursor"],
    [{ cursor: Buffer.from(JSON.stringify({ k: "99999999999999999999" })).toString("base64url") }, "cursor"],
    [{ limit: "0" }, "limit"],
  ])("answers 400 naming the parameter for %j", async (query, field) => {
    const { status, body } = await list(query as Record<string, string>);
    expect(status).toBe(400);
    expect(body.error.details.fields).toHaveProperty(field);
  });

  test("needs a token of a member; another project's token sees nothing", async () => {
    expect((await list({}, "")).status).toBe(401);
    expect((await list({}, other.byRole.admin.serviceToken)).status).toBe(404);
  });
});

describe("detail", () => {
  test("has before, after, reason and hashes; other projects' events and bad ids are not found", async () => {
    const response = await get(auditEventRoute.GET, "/", { project: fx.projectKey, id: ids.raise }, fx.byRole.viewer.serviceToken);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: ids.raise, environment: "development", before: { on: false }, after: { on: true }, reason: "Raise 10% → 20%", hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    for (const id of [ids.elsewhere, "abc", "99999999999999999999", "0"]) {
      expect((await get(auditEventRoute.GET, "/", { project: fx.projectKey, id }, fx.byRole.viewer.serviceToken)).status).toBe(404);
    }
  });
});

describe("export", () => {
  async function download(query: Record<string, string>) {
    const response = await get(auditExportRoute.GET, `/api/v1/projects/${fx.projectKey}/audit/export?${new URLSearchParams(query)}`, { project: fx.projectKey }, fx.byRole.viewer.serviceToken);
    return { response, text: await response.text() };
  }

  test("CSV: a header, one line per event oldest first, cells escaped and formula-guarded", async () => {
    const { response, text } = await download({ format: "csv", action: "change_request.*" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(new RegExp(`^attachment; filename="audit-${fx.projectKey}-\\d{8}-\\d{6}\\.csv"$`));
    expect(text.startsWith("id,createdAt,actorType,actorId,actorLabel,action,entityType,entityKey,environment,reason,changeRequestId,ip,userAgent,requestId,before,after,diff,prevHash,hash\r\n")).toBe(true);
    const lines = text.split("\r\n").filter(Boolean);
    expect(lines).toHaveLength(3);
    expect(lines[1].startsWith(`${ids.applied},2020-01-12T23:59:59.999Z,system,,system:scheduler,change_request.applied,change_request,cr-1,production,,cr-1,`)).toBe(true);
    // The reason `=HYPERLINK("x"),\n"quoted"` is quoted, its quotes doubled, and guarded against running as a formula.
    expect(text).toContain(`,"'=HYPERLINK(""x""),\n""quoted""",cr-1,`);
  });

  test("JSON is one array whose rows carry their hash inputs (each hash recomputes); NDJSON is a line per row", async () => {
    const json = await download({ format: "json" });
    expect(json.response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const rows = JSON.parse(json.text) as { id: string; prevHash: string; hash: string }[];
    const count = await getPrisma().auditEvent.count({ where: { projectId: fx.projectId } });
    expect(rows).toHaveLength(count);
    expect(rows.map((r) => BigInt(r.id))).toEqual([...rows.map((r) => BigInt(r.id))].sort((a, b) => (a < b ? -1 : 1)));
    for (const row of rows) expect(computeAuditHash(row.prevHash, row as never)).toBe(row.hash);

    const ndjson = await download({ format: "ndjson", entityType: "flag" });
    const lines = ndjson.text.trimEnd().split("\n").map((line) => JSON.parse(line));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((row) => row.entityType === "flag")).toBe(true);

    const empty = await download({ format: "json", entityKey: "no-such-thing" });
    expect(JSON.parse(empty.text)).toEqual([]);
  });

  test("bad filters are a 400 before any byte is sent", async () => {
    const { response, text } = await download({ format: "xml" });
    expect(response.status).toBe(400);
    expect(JSON.parse(text).error.details.fields).toHaveProperty("format");
  });

  test("the stream reads the next batch only when the consumer has read the previous one", async () => {
    const reads: bigint[] = [];
    const row = (id: number): AuditEventRow => ({
      id: BigInt(id), projectId: "p", environmentId: null, actorType: "system", actorId: null, actorLabel: "system:x", action: "a.b", entityType: "flag", entityKey: `k${id}`,
      before: null, after: null, diff: null, reason: null, changeRequestId: null, requestMeta: null, createdAt: new Date(0), prevHash: "0", hash: "1",
    });
    const total = 10_000;
    const stream = auditExportStream(async (afterId, limit) => {
      reads.push(afterId);
      return Array.from({ length: Math.max(0, Math.min(limit, total - Number(afterId))) }, (_, i) => row(Number(afterId) + i + 1));
    }, "ndjson", { idOf: () => undefined, keyOf: () => null }, 100);
    const reader = stream.getReader();
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Created, not read: at most the one batch that fills the queue.
    expect(reads.length).toBeLessThanOrEqual(1);
    await reader.read();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(reads.length).toBeLessThanOrEqual(2);
    let lines = 1;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      lines += new TextDecoder().decode(value).split("\n").length - 1;
    }
    expect(reads).toHaveLength(101);
    expect(lines).toBeGreaterThan(total - 100);
  });
});

describe("verify", () => {
  async function verifyVia(token: string) {
    const response = await get(verifyRoute.GET, "/api/v1/audit/verify", {}, token);
    return { status: response.status, body: await response.json() };
  }

  test("an untampered chain verifies, across batch boundaries, with every event counted", async () => {
    const total = await getPrisma().auditEvent.count();
    expect(await verifyAuditChainInDatabase({ batchSize: 3 })).toMatchObject({ ok: true, checked: total });
    const { status, body } = await verifyVia(fx.rootToken);
    expect(status).toBe(200);
    expect(body).toMatchObject({ ok: true, checked: total, lastHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  test("a field changed by SQL is reported at exactly that event as changed content", async () => {
    const prisma = getPrisma();
    const original = await prisma.auditEvent.findUniqueOrThrow({ where: { id: BigInt(ids.segment) } });
    await prisma.$executeRawUnsafe(`UPDATE audit_events SET reason = 'nothing to see' WHERE id = ${ids.segment}`);
    try {
      const result = await verifyAuditChainInDatabase({ batchSize: 4 });
      const before = await prisma.auditEvent.count({ where: { id: { lt: BigInt(ids.segment) } } });
      expect(result).toMatchObject({ ok: false, brokenAt: ids.segment, problem: "content_changed", checked: before, missingIds: null });
      expect(result.ok === false && result.message).toContain(`Event ${ids.segment} was changed`);
    } finally {
      await prisma.auditEvent.update({ where: { id: original.id }, data: { reason: original.reason } });
    }
    expect(await verifyAuditChainInDatabase()).toMatchObject({ ok: true });
  });

  test("a row deleted in the middle is reported as missing, at the event after it, with the missing ids", async () => {
    const prisma = getPrisma();
    const victim = await prisma.auditEvent.findUniqueOrThrow({ where: { id: BigInt(ids.applied) } });
    const next = await prisma.auditEvent.findFirstOrThrow({ where: { id: { gt: victim.id } }, orderBy: { id: "asc" } });
    const previous = await prisma.auditEvent.findFirstOrThrow({ where: { id: { lt: victim.id } }, orderBy: { id: "desc" } });
    await prisma.$executeRawUnsafe(`DELETE FROM audit_events WHERE id = ${victim.id}`);
    try {
      const { status, body } = await verifyVia(fx.byRole.approver.serviceToken);
      expect(status).toBe(200);
      expect(body).toMatchObject({
        ok: false,
        brokenAt: next.id.toString(),
        previousId: previous.id.toString(),
        problem: "missing_rows",
        missingIds: { from: victim.id.toString(), to: victim.id.toString() },
        expected: previous.hash,
        actual: victim.hash,
      });
    } finally {
      await prisma.auditEvent.create({ data: { ...victim, before: undefined, after: undefined, diff: undefined, requestMeta: undefined } });
    }
    expect(await verifyAuditChainInDatabase()).toMatchObject({ ok: true });
  });

  test("a rewritten link without a gap is a broken link", async () => {
    const prisma = getPrisma();
    const victim = await prisma.auditEvent.findUniqueOrThrow({ where: { id: BigInt(ids.opened) } });
    await prisma.$executeRawUnsafe(`UPDATE audit_events SET "prevHash" = '${"f".repeat(64)}' WHERE id = ${victim.id}`);
    try {
      expect(await verifyAuditChainInDatabase({ batchSize: 2 })).toMatchObject({ ok: false, brokenAt: victim.id.toString(), problem: "broken_link" });
    } finally {
      await prisma.auditEvent.update({ where: { id: victim.id }, data: { prevHash: victim.prevHash } });
    }
  });

  test("approvers and admins of any project may verify (scoped tokens too); editors and viewers may not", async () => {
    expect((await verifyVia(fx.byRole.admin.serviceToken)).status).toBe(200);
    expect((await verifyVia(other.byRole.approver.serviceToken)).status).toBe(200);
    for (const role of ["viewer", "editor"] as const) {
      const { status, body } = await verifyVia(fx.byRole[role].serviceToken);
      expect(status).toBe(403);
      expect(body.error.code).toBe("FORBIDDEN");
    }
    expect((await verifyVia("")).status).toBe(401);
  });
});

test("the OpenAPI document lists the audit routes", async () => {
  const document = await openapiRoute.GET().json();
  for (const path of ["/api/v1/projects/{project}/audit", "/api/v1/projects/{project}/audit/{id}", "/api/v1/projects/{project}/audit/export", "/api/v1/audit/verify"]) {
    expect(document.paths[path]?.get, path).toBeDefined();
  }
});
