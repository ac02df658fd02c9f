import { bucketFor } from "../lib/evaluation/bucketing";
import { createSdkKey, editFlagConfig } from "./api";
import { expect, test } from "./fixtures";

// The flag page as a product manager uses it: the builder, Evaluate as…, test cases, saving, and
// what the evaluation service serves afterwards. Runs against a fresh demo database.
test.describe.configure({ mode: "serial" });

const FLAG = "dark-mode-storefront";
const PAGE = `/storefront/development/flags/${FLAG}`;

// A free shopper outside the 10 % rollout (bucketing is deterministic: seed and flag key are the flag's key).
const outsideKey = Array.from({ length: 100 }, (_, i) => `shopper-${i}`).find((k) => bucketFor(FLAG, FLAG, k) >= 20_000)!;
const proNorthAmerica = { targetingKey: "pro-na-1", plan: "pro", region: "north-america" };
const freeEurope = { targetingKey: outsideKey, plan: "free", region: "europe" };

test("an editor builds “pro or enterprise in North America → on, else 10 %”, checks two personas, saves, and OFREP serves it", async ({ page, signInAs, request }) => {
  await signInAs("editor");
  await page.goto("/storefront/development/flags");
  await page.getByRole("link", { name: "Dark mode" }).click();
  await expect(page.getByRole("heading", { name: "Dark mode", level: 1 })).toBeVisible();

  // Two saved personas (test cases), with what they should get in development.
  for (const [name, context, expected] of [
    ["Pro in North America", proNorthAmerica, "on"],
    ["Free in Europe", freeEurope, "off"],
  ] as const) {
    await page.getByRole("button", { name: "Add test case" }).click();
    const form = page.getByRole("form", { name: "New test case" });
    await form.getByLabel("Test case name").fill(name);
    await form.getByLabel("Test context (JSON)").fill(JSON.stringify(context));
    await form.getByLabel("Expected in Development").selectOption(expected);
    await form.getByRole("button", { name: "Add test case" }).click();
    await expect(page.getByText(`Added “${name}”.`)).toBeVisible();
  }

  // Rule 1: plan is pro or enterprise AND region is north-america → on.
  await page.getByRole("button", { name: "Add rule" }).click();
  const rule = page.getByRole("group", { name: "Rule 1", exact: true });
  await rule.getByLabel("Rule 1 description").fill("Paid plans in North America");
  const plan = rule.getByRole("group", { name: "Condition 1", exact: true });
  await plan.getByLabel("Condition 1 attribute").selectOption("plan");
  await expect(plan.getByLabel("Condition 1 operator")).toHaveValue("in");
  await plan.getByRole("checkbox", { name: "pro", exact: true }).check();
  await plan.getByRole("checkbox", { name: "enterprise", exact: true }).check();
  await rule.getByRole("button", { name: "Add condition to rule 1" }).click();
  const region = rule.getByRole("group", { name: "Condition 2", exact: true });
  await region.getByLabel("Condition 2 attribute").selectOption("region");
  await region.getByRole("checkbox", { name: "north-america" }).check();
  await expect(rule.getByLabel("Rule 1 matches when")).toHaveValue("all");
  await rule.getByLabel("Rule 1 serves: variation").selectOption("on");

  // Everyone else: a 10 % rollout; the other share follows to keep 100 %.
  const fallthrough = page.getByRole("group", { name: "Default rule serves" });
  await fallthrough.getByLabel("A percentage rollout").check();
  await fallthrough.getByLabel("Default rule serves: percentage for on").fill("10");
  await expect(fallthrough.getByLabel("Default rule serves: percentage for off")).toHaveValue("90");
  await expect(fallthrough.getByText("Total: 100 %")).toBeVisible();

  // Coverage: the new rule is reached by a test case, and none would break.
  await expect(rule.getByText("reached by 1 test case")).toBeVisible();
  await expect(page.getByText(/would break/)).toHaveCount(0);

  // Evaluate as… both personas, saved configuration and the edit side by side.
  const evaluate = page.getByRole("region", { name: "Evaluate as…" });
  const saved = evaluate.getByRole("region", { name: "Saved" });
  const edited = evaluate.getByRole("region", { name: /Your edit/ });
  await evaluate.getByLabel("Test persona").selectOption({ label: "Pro in North America" });
  await expect(edited).toContainText("Served on because rule 1 (Paid plans in North America) matched: plan is one of pro, enterprise (it is pro) AND region is north-america");
  await expect(saved).toContainText("Served on to everyone: the flag has no targeting.");
  await expect(rule.getByText("matches the Evaluate as… context")).toBeVisible();
  await evaluate.getByLabel("Test persona").selectOption({ label: "Free in Europe" });
  await expect(edited).toContainText("Served off because no rule matched, so the default rule applies; in the 90 % rollout");
  await expect(page.getByRole("region", { name: "Default rule" }).getByText("matches the Evaluate as… context")).toBeVisible();

  // Save, with the summary of changes and a reason.
  await page.getByRole("button", { name: "Review and save…" }).click();
  const dialog = page.getByRole("dialog", { name: `Save ${FLAG} in Development` });
  await expect(dialog.getByRole("list", { name: "Summary of changes" })).toContainText("Adds rule 1 (Paid plans in North America)");
  await expect(dialog.getByRole("list", { name: "Summary of changes" })).toContainText("Default rule serves a rollout of 10 % on, 90 % off instead of on");
  await dialog.getByLabel(/Reason for the change/).fill("Paid North America first, 10 % of everyone else");
  await dialog.getByRole("button", { name: "Save to Development" }).click();
  await expect(page.getByText(/Saved version \d+ in Development/)).toBeVisible();
  await expect(page.getByText("No unsaved changes")).toBeVisible();
  const history = page.getByRole("list", { name: "Changes, newest first" });
  await expect(history.getByRole("listitem").first()).toContainText("Reason: Paid North America first, 10 % of everyone else");

  // The evaluation service serves the saved configuration.
  const { key } = await createSdkKey(request, "development", "server");
  const evaluateRemote = async (context: object) => {
    const response = await request.post(`/ofrep/v1/evaluate/flags/${FLAG}`, { headers: { Authorization: `Bearer ${key}` }, data: { context } });
    expect(response.status()).toBe(200);
    return response.json();
  };
  expect(await evaluateRemote(proNorthAmerica)).toMatchObject({ key: FLAG, value: true, variant: "on", reason: "TARGETING_MATCH" });
  expect(await evaluateRemote({ ...proNorthAmerica, plan: "enterprise" })).toMatchObject({ value: true, reason: "TARGETING_MATCH" });
  expect(await evaluateRemote(freeEurope)).toMatchObject({ value: false, variant: "off", reason: "SPLIT" });

  // Breaking a test case needs an explicit confirmation, which the history records.
  await rule.getByLabel("Rule 1 serves: variation").selectOption("off");
  await expect(page.getByText("1 test case would break").first()).toBeVisible();
  await page.getByRole("button", { name: "Review and save…" }).click();
  await expect(dialog.getByText("“Pro in North America” expects on, gets off")).toBeVisible();
  const confirmSave = dialog.getByRole("button", { name: "Save to Development" });
  await expect(confirmSave).toBeDisabled();
  await dialog.getByLabel(/Save anyway/).check();
  await confirmSave.click();
  await expect(history.getByRole("listitem").first()).toContainText("Saved with 1 failing test case: “Pro in North America” expects on, gets off.");
  expect(await evaluateRemote(proNorthAmerica)).toMatchObject({ value: false, reason: "TARGETING_MATCH" });
});

test("a viewer sees the same page read-only", async ({ page, signInAs }) => {
  await signInAs("viewer");
  await page.goto(PAGE);
  await expect(page.getByRole("heading", { name: "Dark mode", level: 1 })).toBeVisible();
  const rule = page.getByRole("group", { name: "Rule 1", exact: true });
  await expect(rule).toContainText("plan is one of pro, enterprise");
  await expect(rule).toContainText("region is north-america");
  await expect(page.getByRole("region", { name: "Default rule" })).toContainText("a rollout of 10 % on, 90 % off");
  for (const name of ["Add rule", "Review and save…", "Add test case", "Add individual targets", "Move rule 1 up", "Delete rule 1"]) {
    await expect(page.getByRole("button", { name })).toHaveCount(0);
  }
  await expect(page.getByRole("combobox", { name: /Condition 1/ })).toHaveCount(0);
  await expect(page.getByRole("switch")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Edit test case Pro in North America" })).toHaveCount(0);
  // Evaluate as… still works for viewers.
  const evaluate = page.getByRole("region", { name: "Evaluate as…" });
  await evaluate.getByLabel("Test persona").selectOption({ label: "Free in Europe" });
  await expect(evaluate.getByRole("region", { name: "Saved" })).toContainText("Served off");
  await page.goto("/storefront/development/flags/new");
  await expect(page.getByText(/only editors and above can create flags/)).toBeVisible();
});

test("an invalid regex and weights not adding up to 100 % are refused inline; rules reorder from the keyboard", async ({ page, signInAs }) => {
  await signInAs("editor");
  await page.goto("/storefront/development/flags/wishlist-sharing");
  await page.getByRole("button", { name: "Add rule" }).click();
  const rule = page.getByRole("group", { name: "Rule 1", exact: true });
  const condition = rule.getByRole("group", { name: "Condition 1", exact: true });
  await condition.getByLabel("Condition 1 attribute").selectOption("email");
  await expect(condition.getByText("private: never stored or shown")).toBeVisible();
  await condition.getByLabel("Condition 1 operator").selectOption("matches");
  const values = condition.getByLabel("Condition 1 values");
  await values.fill("(a+)+$");
  await expect(condition.getByRole("alert").filter({ hasText: "The pattern “(a+)+$”" })).toBeVisible();
  await values.press("Enter");
  await expect(condition.getByRole("button", { name: "Remove (a+)+$" })).toHaveCount(0);
  await values.fill("^.+@storefront\\.example$");
  await expect(condition.getByRole("alert").filter({ hasText: "The pattern" })).toHaveCount(0);
  await values.press("Enter");
  await expect(condition.getByRole("button", { name: "Remove ^.+@storefront\\.example$" })).toBeVisible();
  await expect(condition.getByRole("alert")).toHaveCount(0);
  // The forbidden attribute is not offered.
  await expect(condition.getByLabel("Condition 1 attribute").locator("option", { hasText: "dateOfBirth" })).toHaveCount(0);

  // Weights typed without balancing must add up to 100 %.
  const fallthrough = page.getByRole("group", { name: "Default rule serves" });
  await fallthrough.getByLabel("A percentage rollout").check();
  await fallthrough.getByLabel("Keep the total at 100 %").uncheck();
  await fallthrough.getByLabel("Default rule serves: percentage for on").fill("60");
  await fallthrough.getByLabel("Default rule serves: percentage for off").fill("30");
  await expect(fallthrough.getByRole("alert")).toContainText("add up to 90 %; they must add up to exactly 100 %");
  await expect(page.getByRole("button", { name: "Review and save…" })).toBeDisabled();
  await expect(page.getByRole("region", { name: "Changes" })).toContainText("1 problem to fix");
  await fallthrough.getByLabel("Keep the total at 100 %").check();
  await fallthrough.getByLabel("Default rule serves: percentage for on").fill("65");
  await expect(fallthrough.getByLabel("Default rule serves: percentage for off")).toHaveValue("35");
  await expect(fallthrough.getByRole("alert")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Review and save…" })).toBeEnabled();

  // Reorder with the keyboard path: duplicate, describe, move the copy up.
  await rule.getByLabel("Rule 1 description").fill("Staff");
  await page.getByRole("button", { name: "Duplicate rule 1" }).click();
  await page.getByRole("group", { name: "Rule 2", exact: true }).getByLabel("Rule 2 description").fill("Copy");
  await page.getByRole("button", { name: "Move rule 2 up" }).click();
  await expect(page.getByRole("group", { name: "Rule 1", exact: true }).getByLabel("Rule 1 description")).toHaveValue("Copy");
  await expect(page.getByText("Rule 2 is now rule 1.")).toBeAttached();
  // …and by dragging a rule's handle onto another rule.
  await page.getByRole("button", { name: "Drag rule 2 to reorder" }).dragTo(page.getByRole("heading", { name: "Rule 1", exact: true }));
  await expect(page.getByRole("group", { name: "Rule 1", exact: true }).getByLabel("Rule 1 description")).toHaveValue("Staff");
  // …and with the arrow keys on a focused handle.
  await page.getByRole("button", { name: "Drag rule 1 to reorder" }).press("ArrowDown");
  await expect(page.getByRole("group", { name: "Rule 2", exact: true }).getByLabel("Rule 2 description")).toHaveValue("Staff");
  await page.getByRole("button", { name: "Discard changes" }).click();
  await expect(page.getByRole("group", { name: "Rule 1", exact: true })).toHaveCount(0);
});

test("a concurrent save is a conflict: the editor sees the other change and can reload it", async ({ page, signInAs, request }) => {
  await signInAs("editor");
  await page.goto("/storefront/development/flags/wishlist-sharing");
  const onSwitch = page.getByRole("switch", { name: "Flag is on in Development" });
  await onSwitch.click();
  // Meanwhile, automation changes the same configuration.
  await editFlagConfig(request, "development", "wishlist-sharing", (config) => ({ ...config, offVariation: "on" }));
  await page.getByRole("button", { name: "Review and save…" }).click();
  const dialog = page.getByRole("dialog", { name: "Save wishlist-sharing in Development" });
  await dialog.getByRole("button", { name: "Save to Development" }).click();
  await expect(dialog.getByText("Not saved: someone else saved first")).toBeVisible();
  await expect(dialog).toContainText("Serves on instead of off while off.");
  await dialog.getByRole("button", { name: "Reload their version (discard my edits)" }).click();
  await expect(page.getByText("No unsaved changes")).toBeVisible();
  await expect(page.getByLabel("Served when off")).toHaveValue("on");
  await expect(onSwitch).toBeChecked();
});

test("an editor creates a flag with the wizard: key suggested and checked live, policy asks for an expiry", async ({ page, signInAs }) => {
  await signInAs("editor");
  await page.goto("/storefront/development/flags");
  await page.getByRole("link", { name: "New flag" }).click();
  await page.getByLabel("Name", { exact: true }).fill("Express checkout button");
  const key = page.getByLabel("Key", { exact: true });
  await expect(key).toHaveValue("express-checkout-button");
  await key.fill("new-search");
  await expect(page.getByText("A flag with the key “new-search” already exists")).toBeVisible();
  await key.fill("express-checkout-button");
  await expect(page.getByText("Available.")).toBeVisible();
  await page.getByLabel("Description", { exact: true }).fill("A one-tap checkout button on product pages.");
  await page.getByRole("radio", { name: /Release/ }).check();
  await page.getByRole("button", { name: "Next" }).click();

  await expect(page.getByLabel("Value type")).toHaveValue("boolean");
  await expect(page.getByLabel("Variation 1 key")).toHaveValue("on");
  await expect(page.getByLabel("Variation 2 key")).toHaveValue("off");
  await page.getByRole("button", { name: "Next" }).click();

  await expect(page.getByLabel("Owner", { exact: true })).toHaveValue("editor@example.com");
  await page.getByLabel("Tags", { exact: true }).fill("checkout");
  await page.getByLabel("Tags", { exact: true }).press("Enter");
  await page.getByRole("button", { name: "Next" }).click();
  await expect(page.getByText("Production requires release flags to have an expiry date.")).toBeVisible();
  const inThirtyDays = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  await page.getByLabel(/Expiry date/).fill(inThirtyDays);
  await page.getByLabel("Visible to client-side SDKs").check();
  await page.getByRole("button", { name: "Next" }).click();

  const review = page.getByRole("definition").filter({ hasText: "express-checkout-button" });
  await expect(review).toBeVisible();
  await page.getByRole("button", { name: "Create flag" }).click();
  await expect(page).toHaveURL(/\/storefront\/development\/flags\/express-checkout-button/);
  await expect(page.getByText("Flag created")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Express checkout button", level: 1 })).toBeVisible();
  await expect(page.getByText("client-visible")).toBeVisible();
  await expect(page.getByRole("switch", { name: "Flag is on in Development" })).not.toBeChecked();

  // Settings (all environments) change in place; the header follows.
  await page.locator("summary").filter({ hasText: "name, owner, tags" }).click();
  const settings = page.getByRole("form", { name: "Flag settings" });
  await settings.getByLabel("Lifecycle stage").selectOption("rolling_out");
  await settings.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("rolling out", { exact: true })).toBeVisible();
  await expect(page.getByRole("list", { name: "Changes, newest first" }).getByRole("listitem").first()).toContainText("Changed the flag's settings");
});
