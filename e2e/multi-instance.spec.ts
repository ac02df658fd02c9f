import { E2E_ADMIN_TOKEN } from "./admin-token";
import { expect, test } from "./fixtures";
import { createDatabase, startInstance, type Instance } from "./instances";

// Two app instances on one PostgreSQL database: a change made through one is served by the
// other (LISTEN/NOTIFY), and evaluation keeps serving when the database goes away.
test.describe.configure({ mode: "serial", timeout: 180_000 });

const admin = { Authorization: `Bearer ${E2E_ADMIN_TOKEN}`, "Content-Type": "application/json" };
let database: Awaited<ReturnType<typeof createDatabase>>;
let a: Instance;
let b: Instance;
let sdkKey: string;

test.beforeAll(async () => {
  database = await createDatabase();
  a = await startInstance(3201, { DATABASE_URL: database.url });
  b = await startInstance(3202, { DATABASE_URL: database.url });
  const created = await fetch(`${a.url}/api/v1/projects/storefront/environments/development/sdk-keys`, {
    method: "POST",
    headers: admin,
    body: JSON.stringify({ kind: "server", name: "multi-instance" }),
  });
  expect(created.status).toBe(201);
  sdkKey = (await created.json()).key;
});

test.afterAll(async () => {
  await Promise.allSettled([a?.stop(), b?.stop()]);
  await database?.restore().catch(() => undefined);
  await database?.drop();
});

async function evaluate(instance: Instance, flag = "new-search") {
  const response = await fetch(`${instance.url}/ofrep/v1/evaluate/flags/${flag}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${sdkKey}`, "Content-Type": "application/json" },
    body: JSON.stringify({ context: { targetingKey: "u-1", plan: "pro", region: "north-america" } }),
  });
  return { status: response.status, body: response.status === 200 ? await response.json() : null };
}

async function setOn(on: boolean) {
  const path = `${a.url}/api/v1/projects/storefront/environments/development/flags/new-search`;
  const current = await (await fetch(path, { headers: admin })).json();
  const saved = await fetch(path, { method: "PUT", headers: admin, body: JSON.stringify({ version: current.version, config: { ...current.config, on } }) });
  expect(saved.status).toBe(200);
}

test("a change through instance A is served by instance B within a second", async () => {
  expect((await evaluate(b)).body).toMatchObject({ value: true });
  const changedAt = Date.now();
  await setOn(false);
  await expect.poll(async () => (await evaluate(b)).body?.reason, { timeout: 5_000, intervals: [50] }).toBe("DISABLED");
  expect(Date.now() - changedAt).toBeLessThan(1_000);
  await setOn(true);
  await expect.poll(async () => (await evaluate(b)).body?.value, { timeout: 5_000, intervals: [50] }).toBe(true);
});

test("without the database, both instances keep serving the last snapshot and report degraded", async () => {
  // Both instances have served this key and environment before the outage.
  for (const instance of [a, b]) expect((await evaluate(instance)).status).toBe(200);
  await database.cutOff();
  try {
    for (const instance of [a, b]) {
      const result = await evaluate(instance);
      expect(result.status).toBe(200);
      expect(result.body).toMatchObject({ value: true });
    }
    await expect
      .poll(async () => (await (await fetch(`${b.url}/api/health`)).json()).status, { timeout: 15_000 })
      .toBe("degraded");
  } finally {
    await database.restore();
  }
  await expect.poll(async () => (await (await fetch(`${b.url}/api/health`)).json()).status, { timeout: 20_000 }).toBe("ok");
  // And changes flow again once it is back.
  await setOn(false);
  await expect.poll(async () => (await evaluate(b)).body?.reason, { timeout: 5_000, intervals: [100] }).toBe("DISABLED");
});
