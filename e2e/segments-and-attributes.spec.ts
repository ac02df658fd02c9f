import type { APIRequestContext } from "@playwright/test";
import { E2E_ADMIN_TOKEN } from "./admin-token";
import { createSdkKey, editFlagConfig } from "./api";
import { expect, test } from "./fixtures";

/**
 * The flags list, the segments console and the attribute catalog, as product managers use them:
 * an editor finds flags, builds a segment from pasted keys and a rule, reads its impact on
 * recently seen contexts and saves it; deleting a segment in use is refused with the flags named;
 * an admin trying to forbid an attribute that rules use is shown those rules; a viewer reads all
 * of it without a way to change it.
 */

const admin = { Authorization: `Bearer ${E2E_ADMIN_TOKEN}` };

/** Exposures from an SDK in development, so the impact preview has recently seen contexts to replay. */
async function reportExposures(request: APIRequestContext, contexts: { key: string; plan: string }[]) {
  const { key } = await createSdkKey(request, "development", "server", `e2e-impact-${Date.now()}`);
  const response = await request.post("/api/v1/events", {
    headers: { Authorization: `Bearer ${key}` },
    data: {
      events: contexts.map((c) => ({ kind: "exposure", flagKey: "wishlist-sharing", variationKey: "off", contextKey: c.key, attributes: { plan: c.plan }, timestamp: new Date().toISOString() })),
    },
  });
  expect(response.status()).toBeLessThan(300);
}

test("an editor searches and filters the flags list", async ({ page, signInAs }) => {
  await signInAs("editor");
  await page.goto("/storefront/development/flags");
  await page.getByLabel("Search", { exact: true }).fill("checkout");
  await expect(page.getByRole("link", { name: "Checkout redesign" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Legacy checkout fallback" })).toBeVisible();
  await expect(page.getByRole("link", { name: "New search experience" })).toHaveCount(0);
  await expect(page).toHaveURL(/query=checkout/);

  await page.getByLabel("Kind", { exact: true }).selectOption("experiment");
  await expect(page.getByText("1 flag match")).toBeVisible();
  const row = page.getByRole("row", { name: /Checkout redesign/ });
  await expect(row.getByText("experiment")).toBeVisible();
  await expect(row.getByText("Development", { exact: true })).toBeVisible();

  await page.getByLabel("Kind", { exact: true }).selectOption("");
  await page.getByLabel("Search", { exact: true }).fill("");
  await page.getByLabel("Tag", { exact: true }).selectOption("cleanup");
  await expect(page.getByRole("link", { name: "Legacy checkout fallback" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Checkout redesign" })).toHaveCount(0);
  await page.getByLabel("State in Development").selectOption("on");
  await page.getByLabel("Sort by").selectOption("name");
  await expect(page).toHaveURL(/tag=cleanup.*state=on.*sort=name/);

  await page.getByRole("button", { name: "Clear filters" }).click();
  await expect(page.getByRole("link", { name: "New search experience" })).toBeVisible();
  await page.getByRole("link", { name: "Checkout redesign" }).click();
  await expect(page).toHaveURL(/\/storefront\/development\/flags\/checkout-redesign$/);
});

test("an editor creates a segment from pasted keys and a rule, sees its impact, and saves", async ({ page, signInAs, request }) => {
  await signInAs("editor");
  await page.goto("/storefront/development/segments");
  await page.getByRole("button", { name: "New segment" }).click();
  const form = page.getByRole("form", { name: "New segment" });
  await form.getByLabel("Name").fill("E2E VIP shoppers");
  await expect(form.getByLabel("Key")).toHaveValue("e2e-vip-shoppers");
  await form.getByRole("button", { name: "Create segment" }).click();
  await expect(page).toHaveURL(/\/storefront\/development\/segments\/e2e-vip-shoppers$/);
  await expect(page.getByRole("heading", { name: "E2E VIP shoppers", level: 1 })).toBeVisible();

  // A flag starts using the segment in development, and an SDK reports who it saw there.
  await editFlagConfig(request, "development", "wishlist-sharing", (config) => ({
    ...config,
    on: true,
    rules: [{ id: "e2e-vips", clauses: [{ attribute: "targetingKey", op: "inSegment", values: ["e2e-vip-shoppers"] }], serve: { variation: "on" } }],
    fallthrough: { variation: "off" },
  }));
  await reportExposures(request, [
    { key: "shopper-pro", plan: "pro" },
    { key: "shopper-enterprise", plan: "enterprise" },
    { key: "shopper-free", plan: "free" },
    { key: "shopper-business", plan: "business" },
  ]);
  await page.reload();
  await expect(page.getByRole("link", { name: "Share wishlists" })).toBeVisible();

  await page.getByLabel("Paste included keys").fill("vip-1\nvip-2\nvip-1, shopper-free");
  await page.getByRole("button", { name: "Add included keys" }).click();
  await expect(page.getByText("Added 3 keys; 1 duplicate ignored.")).toBeVisible();
  await expect(page.getByRole("list", { name: "Included keys, page 1" }).getByRole("listitem")).toHaveCount(3);

  await page.getByRole("button", { name: "Add rule" }).click();
  const rule = page.getByRole("group", { name: "Rule 1", exact: true });
  await rule.getByLabel("Condition 1 attribute").selectOption("plan");
  await expect(rule.getByLabel("Condition 1 operator")).toHaveValue("in");
  const values = rule.getByRole("group", { name: "Condition 1 values" });
  await values.getByLabel("pro", { exact: true }).check();
  await values.getByLabel("enterprise", { exact: true }).check();

  await page.getByRole("button", { name: "Preview impact" }).click();
  const impact = page.getByRole("region", { name: "Impact of this edit" });
  await expect(impact.getByText("Impact in Development")).toBeVisible();
  await expect(impact.getByText(/In the segment: 0 now, 3 after the edit \(3 join, 0 leave\)/)).toBeVisible();
  const flagRow = impact.getByRole("row", { name: /Share wishlists/ });
  await expect(flagRow.getByText(/^3 of \d+$/)).toBeVisible();
  await expect(flagRow.getByText(/off → on: 3/)).toBeVisible();

  await page.getByLabel("Reason for the change (optional)").fill("VIP pilot");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("Saved version 2 in Development.")).toBeVisible();
  await expect(page.getByRole("button", { name: /Preview impact/ })).toHaveCount(0);

  const saved = await request.get("/api/v1/projects/storefront/environments/development/segments/e2e-vip-shoppers", { headers: admin });
  expect(await saved.json()).toMatchObject({ version: 2, included: ["vip-1", "vip-2", "shopper-free"], rules: [{ clauses: [{ attribute: "plan", op: "in", values: ["pro", "enterprise"] }] }] });
});

test("100,000 pasted keys are de-duplicated, saved and listed by pages", async ({ page, signInAs, request }) => {
  expect((await request.post("/api/v1/projects/storefront/segments", { headers: admin, data: { key: "e2e-bulk", name: "E2E bulk" } })).status()).toBe(201);
  await signInAs("editor");
  await page.goto("/storefront/development/segments/e2e-bulk");
  const keys = Array.from({ length: 100_000 }, (_, i) => `customer-${String(i).padStart(6, "0")}`);
  // 1.6 MB typed key by key would take minutes; set it as a paste does, in one input event.
  await page.getByLabel("Paste included keys").evaluate((element, text) => {
    Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, "value")!.set!.call(element, text);
    element.dispatchEvent(new Event("input", { bubbles: true }));
  }, [...keys, ...keys.slice(0, 500)].join("\n"));
  await page.getByRole("button", { name: "Add included keys" }).click();
  await expect(page.getByText("Added 100,000 keys; 500 duplicates ignored.")).toBeVisible();
  await expect(page.getByText("Keys 1–50 of 100,000")).toBeVisible();
  await page.getByRole("button", { name: "Preview impact" }).click();
  await expect(page.getByRole("region", { name: "Impact of this edit" })).toBeVisible();
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("Saved version 2 in Development.")).toBeVisible();

  await page.reload();
  await expect(page.getByRole("heading", { name: "Included keys (100,000)" })).toBeVisible();
  await page.getByLabel("Find included keys").fill("customer-099999");
  await expect(page.getByRole("list", { name: "Included keys, page 1" }).getByRole("listitem")).toHaveText(["customer-099999Remove"]);
});

test("a rule the engine refuses is marked at its field before saving", async ({ page, signInAs }) => {
  await signInAs("editor");
  await page.goto("/storefront/development/segments/internal-staff");
  await page.getByRole("button", { name: "Add rule" }).click();
  const rule = page.getByRole("group", { name: "Rule 2", exact: true });
  await rule.getByLabel("Condition 1 attribute").selectOption("email");
  await rule.getByLabel("Condition 1 operator").selectOption("matches");
  await rule.getByLabel("Condition 1 values").fill("(a+)+$");
  await rule.getByLabel("Condition 1 values").press("Enter");
  await expect(rule.getByRole("alert").filter({ hasText: /pattern “\(a\+\)\+\$”/ })).toBeVisible();
  // The condition has no usable value yet, which the engine refuses too: nothing can be saved.
  await expect(rule.getByRole("alert").filter({ hasText: "has no values to compare with" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Preview impact" })).toBeDisabled();
});

test("deleting a segment that flags use is refused, naming them", async ({ page, signInAs }) => {
  await signInAs("editor");
  await page.goto("/storefront/development/segments/beta-testers");
  await expect(page.getByRole("link", { name: "Dark mode" })).toBeVisible();
  page.once("dialog", (dialog) => dialog.accept());
  await page.getByRole("button", { name: "Delete segment" }).click();
  const refusal = page.getByRole("alert").filter({ hasText: "cannot be deleted" });
  await expect(refusal).toContainText(
    "Segment “beta-testers” cannot be deleted: it is used by flags “beta-program-access” (development, staging, production), “dark-mode-storefront” (production). Remove it from their rules first.",
  );
  await expect(refusal.getByRole("link", { name: "flag dark-mode-storefront" })).toHaveAttribute("href", "/storefront/production/flags/dark-mode-storefront");
  await page.goto("/storefront/development/segments");
  await expect(page.getByRole("link", { name: "Beta testers" })).toBeVisible();
});

test("an admin who marks an attribute forbidden is shown the rules that use it", async ({ page, signInAs }) => {
  await signInAs("admin");
  await page.goto("/storefront/development/settings");
  await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Attributes" }).click();
  await expect(page.getByRole("heading", { name: "Attributes", level: 1 })).toBeVisible();
  await page.getByRole("button", { name: "Edit country" }).click();
  const form = page.getByRole("form", { name: "Edit attribute country" });
  await form.getByLabel("Sensitivity").selectOption("forbidden");
  await form.getByRole("button", { name: "Save attribute" }).click();
  await expect(form.getByRole("alert")).toContainText(/Marking as forbidden “country” would break \d+ rules in .*flag “free-shipping-threshold” \(Production\).* Change those rules first\./);
  const rules = form.getByRole("list", { name: "Rules that use this attribute" });
  await expect(rules.getByRole("link", { name: "Flag free-shipping-threshold" })).toHaveAttribute("href", "/storefront/production/flags/free-shipping-threshold");
  await expect(rules.getByText(/rule 1 \(Outside the US: current threshold\)/)).toBeVisible();
  await form.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByRole("row", { name: /^country / }).getByText("public", { exact: true })).toBeVisible();

  // A change that breaks nothing goes through.
  await page.getByRole("button", { name: "Edit accountId" }).click();
  const edit = page.getByRole("form", { name: "Edit attribute accountId" });
  await edit.getByLabel("Description").fill("Business account of the shopper (bucket by it for whole companies).");
  await edit.getByRole("button", { name: "Save attribute" }).click();
  await expect(page.getByText("Saved “accountId”.")).toBeVisible();
  await expect(page.getByText("Business account of the shopper (bucket by it for whole companies).")).toBeVisible();
});

test("a viewer reads flags, segments and attributes without a way to change them", async ({ page, signInAs }) => {
  await signInAs("viewer");
  await page.goto("/storefront/development/flags");
  await expect(page.getByRole("link", { name: "New search experience" })).toBeVisible();
  await expect(page.getByRole("link", { name: "New flag" })).toHaveCount(0);

  await page.goto("/storefront/development/segments");
  await expect(page.getByRole("link", { name: "Beta testers" })).toBeVisible();
  await expect(page.getByRole("button", { name: "New segment" })).toHaveCount(0);
  await page.getByRole("link", { name: "Beta testers" }).click();
  await expect(page.getByText("You can read this segment; changing it needs the editor role.")).toBeVisible();
  await expect(page.getByText("dev-tester-1")).toBeVisible();
  await expect(page.getByText(/Rule 1:.*betaOptIn/)).toBeVisible();
  await expect(page.getByLabel("Paste included keys")).toHaveCount(0);
  await expect(page.getByRole("button", { name: /Remove|Add rule|Delete segment|Preview impact/ })).toHaveCount(0);

  await page.goto("/storefront/development/settings/attributes");
  await expect(page.getByText("Only admins can change the catalog.")).toBeVisible();
  await expect(page.getByRole("row", { name: /dateOfBirth/ }).getByText("forbidden", { exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: /Add attribute|Edit|Remove/ })).toHaveCount(0);
});

test("the stale flags report lists flags stale somewhere, with why per environment, and downloads as CSV", async ({ page, signInAs }) => {
  await signInAs("viewer");
  await page.goto("/storefront/production/flags");
  await page.getByRole("link", { name: "Stale flags report" }).click();
  await expect(page.getByRole("heading", { name: "Stale flags" })).toBeVisible();
  const row = page.getByRole("table", { name: "Stale flags" }).getByRole("row").filter({ hasText: "address-autocomplete" });
  await expect(row).toContainText("one variation to everyone");
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download CSV" }).click();
  expect((await download).suggestedFilename()).toBe("storefront-stale-flags.csv");
});
