import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { OpenFeature } from "@openfeature/server-sdk";
import { createClient, SwitchyardProvider, type SwitchyardClient } from "../lib/sdk";
import { E2E_ADMIN_TOKEN } from "./admin-token";
import { expect, test } from "./fixtures";
import { startInstance, type Instance } from "./instances";

// The local-evaluation SDK and its OpenFeature provider against a real server that we can stop
// and start again on the same embedded database.
test.describe.configure({ mode: "serial", timeout: 180_000 });

const PORT = 3301;
const admin = { Authorization: `Bearer ${E2E_ADMIN_TOKEN}`, "Content-Type": "application/json" };
const dataDir = mkdtempSync(path.join(tmpdir(), "switchyard-sdk-e2e-"));
const user = { targetingKey: "user-7", plan: "pro", region: "north-america" };
let server: Instance;
let sdk: SwitchyardClient;

async function setOn(on: boolean) {
  const url = `${server.url}/api/v1/projects/storefront/environments/development/flags/new-search`;
  const current = await (await fetch(url, { headers: admin })).json();
  const saved = await fetch(url, { method: "PUT", headers: admin, body: JSON.stringify({ version: current.version, config: { ...current.config, on } }) });
  expect(saved.status).toBe(200);
}

test.beforeAll(async () => {
  server = await startInstance(PORT, { SWITCHYARD_DATA_DIR: dataDir });
  const created = await fetch(`${server.url}/api/v1/projects/storefront/environments/development/sdk-keys`, {
    method: "POST",
    headers: admin,
    body: JSON.stringify({ kind: "server", name: "sdk-e2e" }),
  });
  const { key } = await created.json();
  sdk = createClient({ baseUrl: server.url, sdkKey: key, eventsFlushIntervalMs: 200 });
});

test.afterAll(async () => {
  await sdk?.close();
  await OpenFeature.close();
  await server?.stop();
});

test("initialises from the stream and evaluates locally", async () => {
  const init = await sdk.waitForInitialization(10_000);
  expect(init).toMatchObject({ initialized: true, status: "ready" });
  expect(sdk.boolVariationDetail("new-search", user, false)).toMatchObject({ value: true, variationKey: "on" });
});

test("a change made through the API reaches the SDK over the stream", async () => {
  const changed = new Promise<string[]>((resolve) => {
    const off = sdk.on("change", (event: { flagKeys: string[] }) => {
      off();
      resolve(event.flagKeys);
    });
  });
  await setOn(false);
  expect(await changed).toContain("new-search");
  expect(sdk.boolVariationDetail("new-search", user, true)).toMatchObject({ value: false, reason: "OFF" });
});

test("the OpenFeature provider wraps the same client", async () => {
  await OpenFeature.setProviderAndWait("sdk-e2e", new SwitchyardProvider(sdk));
  const details = await OpenFeature.getClient("sdk-e2e").getBooleanDetails("new-search", true, user);
  expect(details).toMatchObject({ value: false, reason: "DISABLED" });
});

test("keeps serving while the server is away and catches up when it returns", async () => {
  await server.stop({ crash: true });
  await expect.poll(() => sdk.status, { timeout: 30_000 }).toBe("stale");
  expect(sdk.boolVariation("new-search", user, true)).toBe(false);
  server = await startInstance(PORT, { SWITCHYARD_DATA_DIR: dataDir });
  await setOn(true);
  await expect.poll(() => sdk.boolVariation("new-search", user, false), { timeout: 60_000 }).toBe(true);
  expect(sdk.status).toBe("ready");
});
