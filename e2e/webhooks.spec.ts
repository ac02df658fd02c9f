import { createHmac } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { E2E_ADMIN_TOKEN } from "./admin-token";
import { expect, test } from "./fixtures";

// An admin adds a webhook pointing at a receiver this test runs on 127.0.0.1 (the e2e server sets
// WEBHOOK_ALLOW_PRIVATE=1), sends a test, and reads the 200 in the delivery log; then a real event
// (a kill switch pulled through the REST API) reaches the receiver through the background worker.
test.describe.configure({ mode: "serial" });

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

let server: http.Server;
let url: string;
const received: Received[] = [];

test.beforeAll(async () => {
  server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (c: Buffer) => chunks.push(c));
    request.on("end", () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
      response.writeHead(200, { "content-type": "text/plain" }).end("thanks");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/switchyard`;
});

test.afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function verifies(secret: string, request: Received): boolean {
  const timestamp = request.headers["x-switchyard-timestamp"] as string;
  const expected = "sha256=" + createHmac("sha256", secret).update(`${timestamp}.${request.body}`).digest("hex");
  return request.headers["x-switchyard-signature"] === expected;
}

test("an admin creates a webhook, sends a test and sees a 200 in the delivery log; a kill switch reaches the receiver", async ({ page, signInAs, request }) => {
  await signInAs("admin");
  await page.goto("/storefront/development/settings/webhooks");
  await expect(page.getByRole("heading", { name: "Webhooks" })).toBeVisible();
  await page.getByRole("button", { name: "Add webhook" }).click();

  const form = page.getByRole("form", { name: "Add a webhook" });
  await form.getByLabel("Name").fill("Ops receiver");
  await form.getByLabel("URL").fill("ftp://example.com/hook");
  await form.getByLabel("Kill switch pulled").check();
  await form.getByLabel("Change request applied").check();
  await form.getByLabel("Timeout (ms)").fill("3000");
  await form.getByRole("button", { name: "Create webhook" }).click();
  // The browser's own url check lets ftp: through; the server's schema does not.
  await expect(form.getByText("Enter an http:// or https:// URL.")).toBeVisible();
  await form.getByLabel("URL").fill(url);
  await form.getByRole("button", { name: "Create webhook" }).click();

  const secret = (await page.getByTestId("webhook-secret").textContent())!.trim();
  expect(secret).toMatch(/^whsec_/);
  const card = page.getByRole("article", { name: "Webhook Ops receiver" });
  await expect(card).toContainText(url);
  await expect(card).toContainText("Change request applied · Kill switch pulled");

  await card.getByRole("button", { name: "Send test" }).click();
  await expect(card.getByText("Test delivered: the receiver answered 200.")).toBeVisible();
  const log = card.getByRole("table", { name: "Deliveries of Ops receiver" });
  const row = log.getByRole("row").filter({ hasText: "webhook.test" });
  await expect(row).toContainText("succeeded");
  await expect(row.getByRole("cell", { name: "200", exact: true })).toBeVisible();

  const test = received.find((r) => r.headers["x-switchyard-event"] === "webhook.test");
  expect(test).toBeDefined();
  expect(verifies(secret, test!)).toBe(true);

  // A real event, from an action outside the console: the worker sends it within seconds.
  const pulled = await request.post("/api/v1/projects/storefront/environments/development/flags/store-locator-v2/kill", {
    headers: { Authorization: `Bearer ${E2E_ADMIN_TOKEN}` },
    data: { reason: "webhook e2e", action: "turn_off" },
  });
  expect(pulled.status()).toBeLessThan(300);
  await expect.poll(() => received.filter((r) => r.headers["x-switchyard-event"] === "kill_switch.pulled").length, { timeout: 15_000 }).toBe(1);
  const event = received.find((r) => r.headers["x-switchyard-event"] === "kill_switch.pulled")!;
  expect(verifies(secret, event)).toBe(true);
  expect(JSON.parse(event.body)).toMatchObject({ type: "kill_switch.pulled", environmentKey: "development", data: expect.anything() });

  await card.getByRole("button", { name: "Hide deliveries" }).click();
  await card.getByRole("button", { name: "Deliveries" }).click();
  await expect(log.getByRole("row").filter({ hasText: "kill_switch.pulled" })).toContainText("succeeded");
});

test("a viewer sees webhooks but cannot change or test them", async ({ page, signInAs }) => {
  await signInAs("viewer");
  await page.goto("/storefront/development/settings/webhooks");
  await expect(page.getByText("Only project admins can add, change or test webhooks.")).toBeVisible();
  const card = page.getByRole("article", { name: "Webhook Ops receiver" });
  await expect(card).toBeVisible();
  // The path may hold the receiver's secret: a viewer sees the origin only.
  await expect(card).toContainText(/http:\/\/127\.0\.0\.1:\d+\/… \(#[0-9a-f]{8}\)/);
  await expect(card).not.toContainText("/switchyard");
  await expect(card.getByRole("button", { name: "Send test" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Add webhook" })).toHaveCount(0);
});
