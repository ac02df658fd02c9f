import { createSdkKey } from "./api";
import { expect, test } from "./fixtures";

// The kill switch on a production flag: an editor pulls it (no change request), OFREP serves the
// off variation at once, the flag shows a banner, and the follow-up review an approver records
// clears the navigation's count. Runs against a fresh demo database.
test.describe.configure({ mode: "serial" });

const FLAG = "product-video-gallery";
const PAGE = `/storefront/production/flags/${FLAG}`;
// Matches the flag's production rule (mobile apps on 5.1.1 or later), so it gets `on` until the switch.
const MOBILE = { targetingKey: "shopper-7", device: "mobile", appVersion: "5.2.0" };
const REASON = "Video player crashes the iOS app on launch";

test("an editor pulls the kill switch on a production flag; OFREP serves off at once; an approver reviews it", async ({ page, signInAs, request }) => {
  const { key } = await createSdkKey(request, "production", "server", "kill-switch-e2e");
  const evaluate = async () => {
    const response = await request.post(`/ofrep/v1/evaluate/flags/${FLAG}`, { headers: { Authorization: `Bearer ${key}` }, data: { context: MOBILE } });
    expect(response.status()).toBe(200);
    return response.json();
  };
  expect(await evaluate()).toMatchObject({ value: true, variant: "on" });

  await signInAs("editor");
  await page.goto(PAGE);
  await expect(page.getByRole("heading", { name: "Product video gallery", level: 1 })).toBeVisible();
  await page.getByRole("region", { name: "Kill switch" }).getByRole("button", { name: "Turn off in Production" }).click();

  const dialog = page.getByRole("dialog", { name: `Kill switch: ${FLAG} in Production` });
  await expect(dialog).toContainText("without the review Production normally requires");
  const confirm = dialog.getByRole("button", { name: "Turn off in Production" });
  await dialog.getByLabel("Reason (required)").fill(REASON);
  // Production requires review: the environment must be typed, exactly.
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel("Type “production” to confirm").fill("Production");
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel("Type “production” to confirm").fill("production");
  await confirm.click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText(`${FLAG} in Production is off`)).toBeVisible();

  // Served at once: no polling, the very next evaluation.
  expect(await evaluate()).toMatchObject({ value: false, variant: "off", reason: "DISABLED" });

  // The banner, the switch in the editor, the history (the audit entry) and the navigation count.
  const banner = page.getByRole("alert").filter({ hasText: "Kill switch pulled in Production" });
  await expect(banner).toContainText(`by Eli Editor (editor@example.com) at`);
  await expect(banner).toContainText(REASON);
  await expect(page.getByRole("switch", { name: "Flag is on in Production" })).not.toBeChecked();
  const history = page.getByRole("list", { name: "Changes, newest first" });
  await expect(history.getByRole("listitem").first()).toContainText("Pulled the kill switch");
  await expect(history.getByRole("listitem").first()).toContainText(`Reason: ${REASON}`);
  const incidentsLink = page.getByRole("navigation", { name: "Sections" }).or(page.getByRole("list", { name: "Sections" })).getByRole("link", { name: /Incidents/ }).first();
  await expect(incidentsLink).toContainText("1 override awaiting follow-up review");

  // The editor cannot review it (and nobody may review their own).
  await incidentsLink.click();
  const card = page.getByRole("article", { name: `Kill switch on ${FLAG} in Production` });
  await expect(card).toContainText("Awaiting review");
  await expect(card).toContainText("An approver records the follow-up review.");
  await expect(card.getByRole("button", { name: "Record review" })).toHaveCount(0);

  // Reverting is a normal change request: the editor proposes the configuration from before.
  await card.getByRole("button", { name: "Revert via change request" }).click();
  await expect(page.getByRole("heading", { name: `Revert kill switch on ${FLAG} in Production` })).toBeVisible();
  await expect(page.getByRole("list", { name: "Summary of changes" })).toContainText("Turns the flag on.");
  const revertUrl = page.url();
  expect(await evaluate()).toMatchObject({ value: false });

  // An approver reviews it after the fact; the count clears.
  await page.context().clearCookies();
  await signInAs("approver");
  await page.goto("/storefront/production/incidents");
  const open = page.getByRole("article", { name: `Kill switch on ${FLAG} in Production` });
  await expect(open).toContainText(REASON);
  await expect(page.getByRole("link", { name: /Incidents.*awaiting follow-up review/ }).first()).toBeVisible();
  await open.getByLabel("Review note").fill("Crash confirmed in 5.2.0; off until the player fix ships. Revert planned as a change request.");
  await open.getByRole("button", { name: "Record review" }).click();
  await expect(page.getByRole("heading", { name: "Awaiting review (0)" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Reviewed (1)" })).toBeVisible();
  await expect(page.getByRole("article", { name: `Kill switch on ${FLAG} in Production` })).toContainText("by Ana Approver (approver@example.com)");
  await expect(page.getByRole("link", { name: /awaiting follow-up review/ })).toHaveCount(0);

  // The approver (flags:write) acknowledges the banner on the flag; it goes away.
  await page.goto(PAGE);
  const reviewed = page.getByRole("alert").filter({ hasText: "Kill switch pulled in Production" });
  await expect(reviewed).toContainText("Reviewed by Ana Approver");
  await reviewed.getByRole("button", { name: "Acknowledge" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Kill switch pulled in Production" })).toHaveCount(0);
  expect(await evaluate()).toMatchObject({ value: false });

  // The incident links to its revert; the approver approves and applies it; OFREP serves `on` again.
  await page.goto("/storefront/production/incidents");
  await page.getByRole("link", { name: /Revert proposed in change request #\d+ \(open\)/ }).click();
  await expect(page).toHaveURL(revertUrl);
  await page.getByRole("button", { name: "Approve" }).click();
  await expect(page.getByText("Approved.", { exact: true })).toBeVisible();
  await page.getByRole("button", { name: "Apply now" }).click();
  await expect(page.getByText("Applied to Production. SDKs and OFREP serve it now.")).toBeVisible();
  await expect.poll(async () => (await evaluate()).variant).toBe("on");
});

test("the flags list turns a flag off from its row", async ({ page, signInAs }) => {
  await signInAs("editor");
  await page.goto("/storefront/staging/flags?query=one-click-reorder");
  const row = page.getByRole("row").filter({ hasText: "one-click-reorder" });
  await expect(row.getByRole("listitem").filter({ hasText: "Staging" })).toContainText("On");
  await row.getByRole("button", { name: "Turn off" }).click();
  const dialog = page.getByRole("dialog", { name: "Kill switch: one-click-reorder in Staging" });
  // Staging does not require review: no environment to type.
  await expect(dialog.getByLabel(/to confirm/)).toHaveCount(0);
  await dialog.getByLabel("Reason (required)").fill("Reorder double-charges in staging tests");
  await dialog.getByRole("button", { name: "Turn off in Staging" }).click();
  await expect(row.getByRole("status")).toContainText("one-click-reorder in Staging is off");
  await expect(row.getByRole("listitem").filter({ hasText: "Staging" })).toContainText("Off");
  await expect(row.getByRole("button", { name: /Turn off/ })).toHaveCount(0);
});
