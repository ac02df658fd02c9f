import pg from "pg";
import { E2E_ADMIN_TOKEN } from "./admin-token";
import { createSdkKey } from "./api";
import { expect, test } from "./fixtures";
import { createDatabase, startInstance, type Instance } from "./instances";

// The audit log's "Done when" (issue 6): a kill switch turns a flag off at once and appears in
// the audit log; a row tampered with directly in the database is caught by "Verify integrity".
// Tampering needs the database, so this spec runs its own server on a throwaway PostgreSQL
// database (the default e2e server's PGlite lives inside its process).
test.describe.configure({ mode: "serial", timeout: 180_000 });

const PORT = 3351;
const FLAG = "product-video-gallery";
const REASON = "Gallery leaks memory on Safari 17";
const MOBILE = { targetingKey: "shopper-7", device: "mobile", appVersion: "5.2.0" };

let database: Awaited<ReturnType<typeof createDatabase>>;
let instance: Instance;
/** The id of the kill switch's audit entry, read from the incident's link. */
let pulledEntryId: string;

test.use({ baseURL: `http://127.0.0.1:${PORT}` });

test.beforeAll(async () => {
  database = await createDatabase();
  instance = await startInstance(PORT, { DATABASE_URL: database.url, SWITCHYARD_DEMO: "1" });
});

test.afterAll(async () => {
  await instance?.stop();
  await database?.drop();
});

async function sql(text: string, params: unknown[] = []) {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    return await client.query(text, params);
  } finally {
    await client.end();
  }
}

test("the kill switch turns a flag off at once and its entry is one click from the incident", async ({ page, signInAs, request }) => {
  const { key } = await createSdkKey(request, "production", "server", "audit-e2e");
  const evaluate = async () => (await request.post(`/ofrep/v1/evaluate/flags/${FLAG}`, { headers: { Authorization: `Bearer ${key}` }, data: { context: MOBILE } })).json();
  expect(await evaluate()).toMatchObject({ value: true });

  await signInAs("editor");
  await page.goto(`/storefront/production/flags/${FLAG}`);
  await page.getByRole("region", { name: "Kill switch" }).getByRole("button", { name: "Turn off in Production" }).click();
  const dialog = page.getByRole("dialog", { name: `Kill switch: ${FLAG} in Production` });
  await dialog.getByLabel("Reason (required)").fill(REASON);
  await dialog.getByLabel("Type “production” to confirm").fill("production");
  await dialog.getByRole("button", { name: "Turn off in Production" }).click();
  await expect(dialog).toBeHidden();
  expect(await evaluate()).toMatchObject({ value: false, reason: "DISABLED" });

  // The banner links to the entry; so does the incident.
  const banner = page.getByRole("alert").filter({ hasText: "Kill switch pulled in Production" });
  await expect(banner.getByRole("link", { name: /^Audit entry #\d+$/ })).toBeVisible();
  await page.goto("/storefront/production/incidents");
  const card = page.getByRole("article", { name: `Kill switch on ${FLAG} in Production` });
  const link = card.getByRole("link", { name: /^Audit entry #\d+$/ });
  pulledEntryId = /#(\d+)/.exec((await link.textContent()) ?? "")![1];
  await link.click();

  // The audit log, filtered to the flag in production, with the pull's entry open beside it.
  await expect(page).toHaveURL(new RegExp(`/storefront/production/audit\\?.*entityKey=${FLAG}.*entry=${pulledEntryId}`));
  const drawer = page.getByRole("dialog", { name: `Entry #${pulledEntryId}` });
  await expect(drawer).toContainText("kill_switch.pulled");
  await expect(drawer).toContainText(REASON);
  await expect(drawer).toContainText("editor@example.com");
  const table = page.getByRole("table");
  await expect(table.getByRole("row").filter({ hasText: "kill_switch.pulled" })).toHaveCount(1);
  await expect(table.getByRole("row").filter({ hasText: "kill_switch.pulled" })).toContainText(REASON);
});

test("a row changed in the database is reported by Verify integrity, in the console and the API", async ({ page, signInAs, request }) => {
  const verifyApi = async () => (await request.get("/api/v1/audit/verify", { headers: { Authorization: `Bearer ${E2E_ADMIN_TOKEN}` } })).json();
  expect(await verifyApi()).toMatchObject({ ok: true });

  await signInAs("approver");
  await page.goto("/storefront/production/audit");
  await page.getByRole("button", { name: "Verify integrity" }).click();
  await expect(page.getByText("The audit log is intact")).toBeVisible();

  // Someone with database access rewrites the reason of the kill switch's entry.
  const updated = await sql(`UPDATE audit_events SET reason = $1 WHERE id = $2`, ["Routine maintenance", pulledEntryId]);
  expect(updated.rowCount).toBe(1);

  await page.reload();
  await page.getByRole("button", { name: "Verify integrity" }).click();
  const alarm = page.getByText(`Tampering detected at entry #${pulledEntryId}`);
  await expect(alarm).toBeVisible();
  await expect(page.getByText(`Event ${pulledEntryId} was changed after it was written`)).toBeVisible();
  await page.getByRole("button", { name: `Open entry #${pulledEntryId}` }).click();
  await expect(page.getByRole("dialog", { name: `Entry #${pulledEntryId}` })).toContainText("Routine maintenance");

  expect(await verifyApi()).toMatchObject({ ok: false, brokenAt: pulledEntryId, problem: "content_changed" });
});

test("a change request's history links to its audit entries", async ({ page, signInAs, request }) => {
  const admin = { Authorization: `Bearer ${E2E_ADMIN_TOKEN}` };
  const flag = "new-search";
  const live = await (await request.get(`/api/v1/projects/storefront/environments/production/flags/${flag}`, { headers: admin })).json();
  const opened = await request.post(`/api/v1/projects/storefront/environments/production/change-requests`, {
    headers: admin,
    data: { title: "Audit link check", changes: [{ entityType: "flag", key: flag, baseVersion: live.version, config: { ...live.config, targets: [{ variation: live.config.offVariation, values: ["audit-user"] }] } }] },
  });
  expect(opened.status()).toBe(201);
  const number = (await opened.json()).number as number;

  await signInAs("editor");
  await page.goto(`/storefront/production/change-requests/${number}`);
  const history = page.getByRole("list", { name: "State history" });
  await history.getByRole("link", { name: /^Audit entries of / }).first().click();
  await expect(page).toHaveURL(new RegExp(`/storefront/production/audit\\?entityType=change_request&entityKey=%23${number}&from=.+&to=.+`));
  const rows = page.getByRole("table").getByRole("row").filter({ hasText: `#${number}` });
  await expect(rows.filter({ hasText: "change_request.created" })).toHaveCount(1);

  await page.goBack();
  await page.getByRole("link", { name: `Audit log of #${number}` }).click();
  await expect(page).toHaveURL(new RegExp(`/storefront/production/audit\\?entityType=change_request&entityKey=%23${number}$`));
  await expect(page.getByRole("table").getByRole("row").filter({ hasText: "change_request.created" })).toHaveCount(1);
});
