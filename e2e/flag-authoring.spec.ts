import { E2E_ADMIN_TOKEN } from "./admin-token";
import { createSdkKey } from "./api";
import { expect, test } from "./fixtures";

// The flag page's previews and definition edits: the impact of an edit on recently seen contexts,
// recent contexts in Evaluate as…, the dependency graph and the warning when turning a flag off,
// the variations editor, and archiving with its confirmation. Runs against a fresh demo database.
test.describe.configure({ mode: "serial" });

const admin = { Authorization: `Bearer ${E2E_ADMIN_TOKEN}` };
// Six shoppers seen in development: three business, three free, in two regions. (Not pro or
// enterprise: the segments spec counts who its "plan is pro or enterprise" rule adds there.)
const SHOPPERS = [
  { key: "shopper-a", plan: "business", region: "north-america" },
  { key: "shopper-b", plan: "business", region: "europe" },
  { key: "shopper-c", plan: "business", region: "north-america" },
  { key: "shopper-d", plan: "free", region: "europe" },
  { key: "shopper-e", plan: "free", region: "north-america" },
  { key: "shopper-f", plan: "free", region: "europe" },
];

test.beforeAll(async ({ request }) => {
  const sdk = await createSdkKey(request, "development", "server", "authoring-exposures");
  const now = Date.now();
  const events = SHOPPERS.map((s, i) => ({
    kind: "exposure",
    flagKey: "saved-carts",
    variationKey: "on",
    contextKey: s.key,
    // email is private: ingestion drops it, and nothing below may show it.
    attributes: { plan: s.plan, region: s.region, email: `${s.key}@example.test` },
    timestamp: now - (i + 1) * 60_000,
  }));
  const response = await request.post("/api/v1/events", { headers: { Authorization: `Bearer ${sdk.key}` }, data: { events } });
  expect(response.status(), await response.text()).toBe(202);
});

test("the impact panel, recent contexts, dependencies and the turning-off warning on saved-carts", async ({ page, signInAs }) => {
  await signInAs("editor");
  await page.goto("/storefront/development/flags/saved-carts");
  await expect(page.getByRole("heading", { name: "Saved carts", level: 1 })).toBeVisible();

  // Dependencies both ways: one-click-reorder needs saved-carts.
  const dependencies = page.getByRole("region", { name: "Dependencies in Development" });
  await expect(dependencies.getByRole("list", { name: "Flags that need saved-carts" }).getByRole("link", { name: "One-click reorder" })).toBeVisible();
  await expect(dependencies.getByText("None.")).toBeVisible();

  // Nothing edited yet: nothing to replay.
  const impact = page.getByRole("region", { name: "Impact in Development" });
  await expect(impact).toContainText("Edit the configuration");

  // Recently seen contexts in Evaluate as…, without the private email.
  const evaluate = page.getByRole("region", { name: "Evaluate as…" });
  const recent = evaluate.getByLabel("Recently seen context");
  await expect(recent.locator("option", { hasText: "shopper-a" })).toHaveCount(1);
  await recent.selectOption({ label: "shopper-a · plan=business, region=north-america" });
  const contextText = await evaluate.getByLabel("Context (JSON)").inputValue();
  expect(JSON.parse(contextText)).toEqual({ targetingKey: "shopper-a", plan: "business", region: "north-america" });

  // Turning it off: the dependent is named, and the impact counts every shopper, by plan and region.
  await page.getByRole("switch", { name: "Flag is on in Development" }).uncheck();
  await expect(page.getByRole("list", { name: "Dependents whose results would change" }).first()).toContainText("One-click reorder");
  await expect(impact.getByTestId("impact-result")).toContainText("6 contexts of the 6 contexts seen in the last 7 days would get another variation.");
  await expect(impact.getByRole("list", { name: "Variation changes" })).toContainText("on → off: 6");
  const byPlan = impact.getByRole("table", { name: "Changed by plan" });
  await expect(byPlan.getByRole("row", { name: /business/ })).toContainText("3");
  await expect(impact.getByRole("table", { name: "Changed by region" })).toBeVisible();
  await expect(impact.getByRole("link", { name: "One-click reorder" })).toBeVisible();
  await expect(impact).not.toContainText("@example.test");

  // A narrower edit: back on, but free shoppers get off → only the three free ones change.
  await page.getByRole("switch", { name: "Flag is on in Development" }).check();
  await page.getByRole("button", { name: "Add rule" }).click();
  const rule = page.getByRole("group", { name: "Rule 1", exact: true });
  const condition = rule.getByRole("group", { name: "Condition 1", exact: true });
  await condition.getByLabel("Condition 1 attribute").selectOption("plan");
  await condition.getByRole("checkbox", { name: "free", exact: true }).check();
  await rule.getByLabel("Rule 1 serves: variation").selectOption("off");
  await expect(impact.getByTestId("impact-result")).toContainText("3 contexts of the 6 contexts");
  await expect(impact.getByRole("table", { name: "Changed by plan" }).getByRole("row", { name: /free/ })).toContainText("3");
});

test("an environment without exposures explains that the preview needs them", async ({ page, signInAs }) => {
  await signInAs("editor");
  await page.goto("/storefront/staging/flags/saved-carts");
  await page.getByRole("switch", { name: "Flag is on in Staging" }).uncheck();
  await expect(page.getByRole("region", { name: "Impact in Staging" }).getByTestId("impact-empty")).toContainText("once SDKs report exposures here");
  await expect(page.getByRole("region", { name: "Evaluate as…" })).toContainText("None in the last 7 days");
});

test("the variations editor adds, describes and removes a variation; used ones cannot be removed", async ({ page, signInAs }) => {
  await signInAs("editor");
  await page.goto("/storefront/development/flags/promo-banner-config");
  const section = page.getByRole("region", { name: "Variations" });
  await expect(section.getByRole("button", { name: "Remove black-friday" })).toBeDisabled();
  await expect(section.getByRole("button", { name: "Remove free-returns" })).toBeDisabled();

  await section.getByRole("button", { name: "Add variation" }).click();
  await section.getByLabel("Key of variation 4").fill("spring-sale");
  await section.getByLabel("Value of spring-sale").fill("{not json");
  await expect(section.getByText("Enter valid JSON.")).toBeVisible();
  await expect(section.getByRole("button", { name: "Save variations…" })).toBeDisabled();
  await section.getByLabel("Value of spring-sale").fill('{"enabled": true, "headline": "Spring sale"}');
  await section.getByLabel("Name of spring-sale").fill("Spring sale");
  await section.getByLabel("Description of black-friday").fill("November campaign");
  await section.getByRole("button", { name: "Save variations…" }).click();

  const dialog = page.getByRole("dialog", { name: "Change the variations of promo-banner-config" });
  await expect(dialog.getByRole("list", { name: "Variation changes" })).toContainText("Adds “spring-sale”");
  await expect(dialog.getByRole("list", { name: "Variation changes" })).toContainText("“black-friday”: description changed");
  await dialog.getByLabel("Reason (recorded in the history)").fill("Spring campaign");
  await dialog.getByRole("button", { name: "Save variations" }).click();
  await expect(dialog).toBeHidden();
  // Saved: the new key is no longer editable, and it can be removed (nothing uses it).
  await expect(section.getByLabel("Key of variation 4")).toHaveCount(0);
  await expect(section.getByLabel("Description of black-friday")).toHaveValue("November campaign");
  await expect(section.getByRole("button", { name: "Save variations…" })).toBeDisabled();
  await section.getByRole("button", { name: "Remove spring-sale" }).click();
  await section.getByRole("button", { name: "Save variations…" }).click();
  await expect(dialog.getByRole("list", { name: "Variation changes" })).toContainText("Removes “spring-sale”");
  await dialog.getByRole("button", { name: "Save variations" }).click();
  await expect(dialog).toBeHidden();
  await expect(section.getByLabel("Name of spring-sale")).toHaveCount(0);
  await expect(page.getByRole("region", { name: "History" })).toContainText(/variations|Spring campaign/);
});

test("archiving asks for confirmation, naming the environments that still evaluate the flag", async ({ page, signInAs, request }) => {
  // saved-carts: on everywhere and required by one-click-reorder, so archiving is blocked.
  await signInAs("editor");
  await page.goto("/storefront/development/flags/saved-carts");
  await page.getByRole("button", { name: "Archive flag…" }).click();
  let dialog = page.getByRole("dialog", { name: "Archive saved-carts?" });
  const still = dialog.getByRole("list", { name: "Environments still evaluating the flag" });
  await expect(still).toContainText("Development: on, evaluated");
  await expect(still).toContainText("Production: on");
  await expect(dialog.getByText("Remove it from the prerequisites of one-click-reorder")).toBeVisible();
  await expect(dialog.getByRole("button", { name: /^Archive/ })).toBeDisabled();
  await dialog.getByRole("button", { name: "Cancel" }).click();

  // A new flag, off everywhere and never evaluated: archived after the confirmation.
  const created = await request.post("/api/v1/projects/storefront/flags", { headers: admin, data: { key: "retire-me", name: "Retire me", kind: "operational", ownerEmail: "editor@example.com" } });
  expect(created.status(), await created.text()).toBe(201);
  await page.goto("/storefront/development/flags/retire-me");
  await page.getByRole("button", { name: "Archive flag…" }).click();
  dialog = page.getByRole("dialog", { name: "Archive retire-me?" });
  await expect(dialog).toContainText("No environment has it on or has evaluated it in the last 30 days.");
  await dialog.getByLabel("Reason (recorded in the history)").fill("Never shipped");
  await dialog.getByRole("button", { name: "Archive", exact: true }).click();
  await expect(page).toHaveURL(/\/storefront\/development\/flags$/);
  const flag = await (await request.get("/api/v1/projects/storefront/flags/retire-me", { headers: admin })).json();
  expect(flag.lifecycle).toBe("archived");
});
