import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as bulkRoute from "@/app/ofrep/v1/evaluate/flags/route";
import * as singleRoute from "@/app/ofrep/v1/evaluate/flags/[key]/route";
import { requireProjectPermission } from "@/lib/auth/access";
import { readFlagConfig } from "@/lib/flags/read-flag-config";
import { updateFlagConfig } from "@/lib/flags/update-flag-config";
import { createSdkKey } from "@/lib/sdk-keys/manage-sdk-keys";
import { serveEvaluation } from "@/lib/server/evaluation-fast-path";
import { withAppDatabase } from "./helpers/app-database";
import { createProjectFixture } from "./helpers/fixtures";

/*
 * The production server answers OFREP from node:http (lib/server/evaluation-fast-path.ts) instead
 * of the Next route files. Both call the same handlers; this checks that what reaches the client is
 * the same: status, the headers OFREP clients read, and the body, for successes and every refusal.
 */

withAppDatabase();

let serverKey: string;
let base: string;
let server: http.Server;

beforeAll(async () => {
  const fx = await createProjectFixture("fastpath");
  const editor = await requireProjectPermission(fx.byRole.editor.user, fx.projectKey, "flags:write");
  const admin = await requireProjectPermission(fx.byRole.admin.user, fx.projectKey, "sdkkeys:write");
  serverKey = (await createSdkKey(admin, { environmentKey: "development", kind: "server", name: "server" })).key;
  const { version } = await readFlagConfig(editor, "development", "checkout");
  await updateFlagConfig(editor, {
    environmentKey: "development",
    flagKey: "checkout",
    expectedVersion: version,
    config: {
      on: true,
      offVariation: "off",
      targets: [],
      rules: [{ id: "pro", clauses: [{ attribute: "plan", op: "in", values: ["pro"] }], serve: { variation: "on" } }],
      fallthrough: { rollout: { weights: [{ variation: "on", weight: 50_000 }, { variation: "off", weight: 50_000 }] } },
      prerequisites: [],
    },
  });
  server = http.createServer((req, res) => {
    if (serveEvaluation(req, res)) return;
    res.writeHead(418);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const READ_HEADERS = ["content-type", "cache-control", "etag", "retry-after"];

async function both(path: string, init: { headers?: Record<string, string>; body?: string }) {
  const headers = { "content-type": "application/json", ...init.headers };
  const viaNode = await fetch(`${base}${path}`, { method: "POST", headers, body: init.body });
  const request = new Request(`${base}${path}`, { method: "POST", headers, body: init.body });
  const key = path.match(/\/flags\/([^?]+)/)?.[1];
  const viaRoute = key
    ? await singleRoute.POST(request, { params: Promise.resolve({ key: decodeURIComponent(key) }) })
    : await bulkRoute.POST(request);
  const shape = async (response: Response) => ({
    status: response.status,
    headers: Object.fromEntries(READ_HEADERS.map((name) => [name, response.headers.get(name)])),
    body: await response.text(),
  });
  return { node: await shape(viaNode), route: await shape(viaRoute) };
}

describe("OFREP over the node:http fast path answers as the route handlers do", () => {
  const auth = () => ({ authorization: `Bearer ${serverKey}` });
  test.each([
    ["bulk", "/ofrep/v1/evaluate/flags", { targetingKey: "u1", plan: "pro" }],
    ["bulk, rollout", "/ofrep/v1/evaluate/flags", { targetingKey: "u2", plan: "free" }],
    ["single, rule", "/ofrep/v1/evaluate/flags/checkout", { targetingKey: "u1", plan: "pro" }],
    ["single, no targeting key", "/ofrep/v1/evaluate/flags/checkout", { plan: "free" }],
    ["single, unknown flag", "/ofrep/v1/evaluate/flags/nope", { targetingKey: "u1" }],
  ])("%s", async (_label, path, context) => {
    const { node, route } = await both(path, { headers: auth(), body: JSON.stringify({ context }) });
    expect(node.status).toBeLessThan(500);
    expect(node).toEqual(route);
  });

  test("bulk with a matching If-None-Match is 304 on both", async () => {
    const body = JSON.stringify({ context: { targetingKey: "u3" } });
    const first = await both("/ofrep/v1/evaluate/flags", { headers: auth(), body });
    expect(first.node.headers.etag).toBeTruthy();
    const again = await both("/ofrep/v1/evaluate/flags", { headers: { ...auth(), "if-none-match": first.node.headers.etag! }, body });
    expect(again.node.status).toBe(304);
    expect(again.node).toEqual(again.route);
  });

  test.each([
    ["no key", {}, '{"context":{}}', 401],
    ["unknown key", { authorization: "Bearer sy_srv_nope" }, '{"context":{}}', 401],
    ["X-API-Key", "x-api-key", '{"context":{"targetingKey":"u4"}}', 200],
    ["invalid JSON", "auth", "{oops", 400],
    ["context not an object", "auth", '{"context":[1]}', 400],
    // An empty body is an empty context: the rollout then needs the missing targeting key.
    ["empty body", "auth", "", 400],
    ["body with a BOM", "auth", '\uFEFF{"context":{"targetingKey":"u5"}}', 200],
  ] as const)("%s", async (_label, headerSpec, body, status) => {
    const headers: Record<string, string> =
      headerSpec === "auth" ? auth() : headerSpec === "x-api-key" ? { "x-api-key": serverKey } : { ...headerSpec };
    const { node, route } = await both("/ofrep/v1/evaluate/flags/checkout", { headers, body });
    expect(node.status).toBe(status);
    expect(node).toEqual(route);
  });

  test("a body over the limit is refused with 413 without evaluating", async () => {
    const response = await fetch(`${base}/ofrep/v1/evaluate/flags`, {
      method: "POST",
      headers: { "content-type": "application/json", ...auth() },
      body: JSON.stringify({ context: { targetingKey: "x".repeat(300 * 1024) } }),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ errorCode: "PARSE_ERROR" });
  });

  test("other paths and methods are left to Next", async () => {
    expect((await fetch(`${base}/ofrep/v1/evaluate/flags`, { method: "GET" })).status).toBe(418);
    expect((await fetch(`${base}/api/health`, { method: "POST" })).status).toBe(418);
  });
});

describe("event batches over the node:http fast path", () => {
  const post = (body: string, headers: Record<string, string> = { authorization: `Bearer ${serverKey}` }) =>
    fetch(`${base}/api/v1/events`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });

  test("a batch is stored (202 with the route's result); bad input is 400, no key 401", async () => {
    const event = { kind: "exposure", flagKey: "checkout", variationKey: "on", contextKey: "u1", timestamp: Date.now() };
    const accepted = await post(JSON.stringify({ events: [event, { ...event, contextKey: "u2" }] }));
    expect(accepted.status).toBe(202);
    expect(await accepted.json()).toMatchObject({ received: 2, accepted: 2 });
    const invalid = await post("{oops");
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ error: { code: "BAD_REQUEST" } });
    expect((await post(JSON.stringify({ events: [] }), {})).status).toBe(401);
  });
});
