import { E2E_ADMIN_TOKEN } from "./admin-token";
import { createSdkKey } from "./api";
import { expect, signIn, test } from "./fixtures";

// Production requires review: an editor's save files a change request, the author cannot approve
// it, an approver does, it is applied, and OFREP serves the new value. A second request made
// against the same base version then conflicts.
test.describe.configure({ mode: "serial" });

const FLAG = "dark-mode-storefront";
const admin = { Authorization: `Bearer ${E2E_ADMIN_TOKEN}` };

test("editor proposes → diff reads right → author cannot approve → approver approves and applies → OFREP serves it; a stale request conflicts", async ({ page, browser, request, signInAs }) => {
  const { key } = await createSdkKey(request, "production", "server");
  const evaluate = async () => {
    const response = await request.post(`/ofrep/v1/evaluate/flags/${FLAG}`, { headers: { Authorization: `Bearer ${key}` }, data: { context: { targetingKey: "someone" } } });
    return (await response.json()) as { variant?: string; reason?: string };
  };
  const before = await evaluate();
  expect(before.reason).not.toBe("DISABLED");

  // A second proposal against the same base, through the REST API (applied later: it will conflict).
  const configPath = `/api/v1/projects/storefront/environments/production/flags/${FLAG}`;
  const live = await (await request.get(configPath, { headers: admin })).json();
  const stale = await request.post(`/api/v1/projects/storefront/environments/production/change-requests`, {
    headers: admin,
    data: { title: "Stale tweak", changes: [{ entityType: "flag", key: FLAG, baseVersion: live.version, config: { ...live.config, offVariation: live.config.offVariation } , }] },
  });
  // The same configuration changes nothing: refused clearly.
  expect(stale.status()).toBe(400);
  const staleRequest = await request.post(`/api/v1/projects/storefront/environments/production/change-requests`, {
    headers: admin,
    data: { title: "Stale tweak", changes: [{ entityType: "flag", key: FLAG, baseVersion: live.version, config: { ...live.config, targets: [{ variation: live.config.offVariation, values: ["stale-user"] }] } }] },
  });
  expect(staleRequest.status()).toBe(201);
  const staleNumber = (await staleRequest.json()).number as number;

  await signInAs("editor");
  await page.goto(`/storefront/production/flags/${FLAG}`);
  await expect(page.getByText("Production requires review")).toBeVisible();
  await page.getByRole("switch", { name: "Flag is on in Production" }).click();
  await page.getByRole("button", { name: "Review and save…" }).click();
  const dialog = page.getByRole("dialog", { name: `Propose a change to ${FLAG} in Production` });
  await expect(dialog).toContainText("Turns the flag off.");
  await dialog.getByLabel("Change request title").fill("Dark mode off in production");
  await dialog.getByRole("button", { name: "File change request" }).click();
  const filed = page.getByText(/Change request #\d+ filed/);
  await expect(filed).toBeVisible();
  // Nothing is live yet.
  expect((await evaluate()).reason).not.toBe("DISABLED");

  await page.getByRole("link", { name: /Open change request #\d+/ }).click();
  await expect(page.getByRole("heading", { name: /Dark mode off in production/ })).toBeVisible();
  await expect(page.getByRole("list", { name: "Summary of changes" })).toContainText("Turns the flag off.");
  await expect(page.getByText("You wrote this request: an approver other than you has to approve it.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Approve" })).toHaveCount(0);
  const url = page.url();

  const approverContext = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const approver = await approverContext.newPage();
  await signIn(approver, "approver@example.com");
  await expect(approver).toHaveURL(/\/storefront\/[^/]+\/flags/);
  await approver.goto(url);
  await approver.getByRole("button", { name: "Approve" }).click();
  await expect(approver.getByText("Approved.", { exact: true })).toBeVisible();
  await expect(approver.getByText(/approvals 1 of 1/)).toBeVisible();
  await approver.getByRole("button", { name: "Apply now" }).click();
  await expect(approver.getByText("Applied to Production. SDKs and OFREP serve it now.")).toBeVisible();
  await expect.poll(async () => (await evaluate()).reason).toBe("DISABLED");

  // The stale request was made against the version before: applying it conflicts and changes nothing.
  await approver.goto(`/storefront/production/change-requests/${staleNumber}`);
  await approver.getByRole("button", { name: "Approve" }).click();
  await expect(approver.getByText("Approved.", { exact: true })).toBeVisible();
  await approver.getByRole("button", { name: "Apply now" }).click();
  await expect(approver.getByText("Not applied: it conflicts with changes made since.")).toBeVisible();
  await approver.reload();
  await expect(approver.getByText("Conflicted: the live configuration moved since this was proposed")).toBeVisible();
  await expect(approver.getByLabel(`Versions of ${FLAG}`)).toBeVisible();
  expect((await evaluate()).reason).toBe("DISABLED");

  // The list shows what awaits review and what was applied.
  await approver.goto("/storefront/production/change-requests?view=all&status=applied");
  await expect(approver.getByRole("link", { name: /Dark mode off in production/ })).toBeVisible();
  await approverContext.close();
});

test("compare a flag across environments and promote staging to production as a change request", async ({ page, signInAs }) => {
  const flag = "store-locator-v2";
  await signInAs("editor");
  await page.goto(`/storefront/production/flags/${flag}`);
  await page.getByRole("link", { name: "Compare and promote" }).click();
  await expect(page.getByRole("heading", { name: "Compare and promote Store locator v2" })).toBeVisible();
  // Staging (the environment before production) is the default source; both sides read in plain words.
  await expect(page.getByLabel("Copy from")).toHaveValue("staging");
  await expect(page.getByRole("region", { name: "Production configuration" })).toContainText("Europe first");
  await expect(page.getByRole("region", { name: "Staging configuration" })).not.toContainText("Europe first");

  // Chosen parts with nothing chosen: nothing to propose.
  await page.getByRole("radio", { name: "Chosen rules and parts" }).check();
  await expect(page.getByText("Nothing: Production already has what would be copied.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Propose change request in Production" })).toBeDisabled();

  // Only the default rule: staging serves `on` to everyone else.
  await page.getByLabel("Default rule (fallthrough)").check();
  const summary = page.getByRole("region", { name: "What changes in Production" }).getByRole("list", { name: "Summary of changes" });
  await expect(summary).toContainText("Default rule");
  await expect(summary).not.toContainText("Removes");

  // Everything: the Europe rule goes too.
  await page.getByRole("radio", { name: /^Everything/ }).check();
  await expect(summary).toContainText("Removes");
  await page.getByRole("button", { name: "Propose change request in Production" }).click();
  await expect(page.getByRole("heading", { name: `Promote ${flag} from Staging to Production` })).toBeVisible();
  await expect(page.getByRole("list", { name: "Summary of changes" })).toContainText("Removes");
  await expect(page.getByText("You wrote this request: an approver other than you has to approve it.")).toBeVisible();
});

test("a viewer compares but cannot propose", async ({ page, signInAs }) => {
  await signInAs("viewer");
  await page.goto("/storefront/production/flags/store-locator-v2/compare");
  await expect(page.getByRole("region", { name: "What changes in Production" })).toBeVisible();
  await expect(page.getByText("Viewers can compare; proposing a promotion needs the editor role.")).toBeVisible();
  await expect(page.getByRole("button", { name: /Propose change request/ })).toHaveCount(0);
});
