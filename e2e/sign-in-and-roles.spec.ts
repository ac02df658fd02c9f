import { expect, signIn, test } from "./fixtures";

test.describe("signing in", () => {
  test("a wrong password is refused with a clear message", async ({ page }) => {
    await signIn(page, "editor@example.com", "not-the-password");
    await expect(page.getByText("Wrong email or password.")).toBeVisible();
    await expect(page).toHaveURL(/\/login/);
  });

  test("repeated failures for one account are rate-limited", async ({ page }) => {
    for (let attempt = 0; attempt < 5; attempt++) {
      await signIn(page, "nobody@example.com", `guess-${attempt}`);
      await expect(page.getByText("Wrong email or password.")).toBeVisible();
    }
    await signIn(page, "nobody@example.com", "guess-final");
    await expect(page.getByText(/Too many failed sign-ins/)).toBeVisible();
  });

  test("signed-out visitors are sent to sign in, and sign-out ends the session", async ({ page, signInAs }) => {
    await page.goto("/storefront/production/settings");
    await expect(page).toHaveURL(/\/login\?callbackUrl=/);
    await signInAs("viewer");
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login/);
    await page.goto("/storefront/production/flags");
    await expect(page).toHaveURL(/\/login/);
  });
});

test.describe("each demo user sees what the role allows", () => {
  test("admin manages members and API tokens", async ({ page, signInAs }) => {
    await signInAs("admin");
    await expect(page.getByRole("banner").getByText("admin", { exact: true })).toBeVisible();
    await page.getByRole("link", { name: "Settings" }).first().click();
    await page.getByRole("link", { name: "Members" }).click();
    await expect(page.getByRole("form", { name: "Add a member" })).toBeVisible();
    await expect(page.getByLabel("Role of viewer@example.com")).toHaveValue("viewer");
    await page.getByRole("link", { name: "API tokens" }).click();
    await expect(page.getByRole("form", { name: "Create an API token" })).toBeVisible();
  });

  for (const role of ["editor", "approver", "viewer"] as const) {
    test(`${role} sees members read-only and no API tokens`, async ({ page, signInAs }) => {
      await signInAs(role);
      await expect(page.getByRole("banner").getByText(role, { exact: true })).toBeVisible();
      await expect(page.getByRole("cell", { name: /new-search/ })).toBeVisible();
      await page.goto("/storefront/production/settings/members");
      await expect(page.getByText("Only admins can change members and roles.")).toBeVisible();
      await expect(page.getByRole("form", { name: "Add a member" })).toHaveCount(0);
      await expect(page.getByRole("cell", { name: /admin@example.com/ })).toBeVisible();
      await page.goto("/storefront/production/settings/api-tokens");
      await expect(page.getByText("Only project admins can see and manage API tokens.")).toBeVisible();
    });
  }
});

test("an admin adds a member, changes the role, and cannot remove the last admin", async ({ page, signInAs }) => {
  await signInAs("admin");
  await page.goto("/storefront/development/settings/members");
  const addForm = page.getByRole("form", { name: "Add a member" });
  await addForm.getByLabel("Email").fill("not-registered@example.com");
  await addForm.getByRole("button", { name: "Add member" }).click();
  await expect(page.getByText(/No account uses not-registered@example.com/)).toBeVisible();

  page.once("dialog", (dialog) => dialog.accept());
  await page.getByRole("button", { name: "Remove admin@example.com" }).click();
  await expect(page.getByText("A project needs at least one admin. Make someone else an admin first.")).toBeVisible();

  await page.getByLabel("Role of approver@example.com").selectOption("editor");
  await expect(page.getByText("approver@example.com is now editor.")).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("Role of approver@example.com")).toHaveValue("editor");
  await page.getByLabel("Role of approver@example.com").selectOption("approver");
  await expect(page.getByText("approver@example.com is now approver.")).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("Role of approver@example.com")).toHaveValue("approver");
});

test("an API token created in Settings works on the REST API until revoked", async ({ page, signInAs, request }) => {
  await signInAs("admin");
  await page.goto("/storefront/development/settings/api-tokens");
  const form = page.getByRole("form", { name: "Create an API token" });
  await form.getByLabel("Token name").fill("e2e automation");
  await form.getByLabel("Role", { exact: true }).selectOption("viewer");
  await form.getByRole("button", { name: "Create token" }).click();
  const secret = (await page.getByTestId("new-token-secret").textContent())?.trim() ?? "";
  expect(secret).toMatch(/^sy_api_/);

  const headers = { Authorization: `Bearer ${secret}` };
  const list = await request.get("/api/v1/projects", { headers });
  expect(list.status()).toBe(200);
  expect((await list.json()).projects.map((p: { key: string }) => p.key)).toContain("storefront");
  const create = await request.post("/api/v1/projects", { headers, data: { key: "from-viewer", name: "Nope" } });
  expect(create.status()).toBe(403);
  expect((await create.json()).error.code).toBe("FORBIDDEN");

  page.once("dialog", (dialog) => dialog.accept());
  await page.getByRole("button", { name: "Revoke e2e automation" }).click();
  await expect(page.getByRole("row", { name: /e2e automation/ }).getByText("revoked")).toBeVisible();
  const after = await request.get("/api/v1/projects", { headers });
  expect(after.status()).toBe(401);
});

test("the environment switcher keeps the page and every section says what it is", async ({ page, signInAs }) => {
  await signInAs("editor");
  await page.goto("/storefront/development/settings");
  await page.getByLabel("Environment").selectOption("production");
  await expect(page).toHaveURL(/\/storefront\/production\/settings$/);
  for (const section of ["Segments", "Change requests", "Rollouts", "Dashboards", "Audit log"]) {
    await page.getByRole("link", { name: section }).first().click();
    await expect(page.getByRole("heading", { name: section, level: 1 })).toBeVisible();
    await expect(page).toHaveURL(/\/storefront\/production\//);
  }
});

test("an SDK key created in Settings evaluates flags until revoked", async ({ page, signInAs, request }) => {
  await signInAs("admin");
  await page.goto("/storefront/staging/settings/sdk-keys");
  const form = page.getByRole("form", { name: "Create an SDK key" });
  await form.getByLabel("Key name").fill("storefront web");
  await form.getByLabel("Kind").selectOption("client");
  await form.getByRole("button", { name: "Create key" }).click();
  const key = (await page.getByTestId("new-sdk-key").textContent())?.trim() ?? "";
  expect(key).toMatch(/^sy_cli_/);
  const evaluate = () => request.post("/ofrep/v1/evaluate/flags", { headers: { "X-API-Key": key }, data: { context: { targetingKey: "e2e" } } });
  expect((await evaluate()).status()).toBe(200);
  page.once("dialog", (dialog) => dialog.accept());
  await page.getByRole("button", { name: "Revoke storefront web" }).click();
  await expect(page.getByRole("row", { name: /storefront web/ }).getByText("revoked")).toBeVisible();
  await expect.poll(async () => (await evaluate()).status(), { timeout: 5_000 }).toBe(401);
});

test("an admin creates a project from the console; it has three environments", async ({ page, signInAs }) => {
  await signInAs("admin");
  await page.getByLabel("Project").selectOption({ label: "New project…" });
  await expect(page).toHaveURL(/\/projects\/new$/);
  await page.getByLabel("Name").fill("Mobile app");
  await page.getByLabel("Key").fill("Mobile App");
  await page.getByRole("button", { name: "Create project" }).click();
  await expect(page.getByText(/Use lowercase letters, digits and dashes/)).toBeVisible();
  await page.getByLabel("Key").fill("mobile-app");
  await page.getByRole("button", { name: "Create project" }).click();
  await expect(page).toHaveURL(/\/mobile-app\/development\/flags$/);
  await expect(page.getByLabel("Environment").locator("option")).toHaveText(["Development", "Staging", "Production (review required)"]);
});

test("a viewer cannot create projects", async ({ page, signInAs }) => {
  await signInAs("viewer");
  await page.goto("/projects/new");
  await expect(page.getByText("Only project admins can create projects.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Create project" })).toHaveCount(0);
});

test("an admin edits an environment's policy; bad values are refused at the field; others see it read-only", async ({ page, signInAs }) => {
  // Not signInAs: after the project-creation test the admin lands in the new project.
  await signIn(page, "admin@example.com");
  await expect(page).toHaveURL(/\/flags/);
  await page.goto("/storefront/staging/settings");
  const stagingRow = page.getByRole("row").filter({ hasText: "Staging" });
  await stagingRow.getByRole("button", { name: "Edit Staging policy" }).click();
  const form = page.getByRole("form", { name: "Policy of Staging" });
  await form.getByLabel("Colour").fill("orange");
  await form.getByLabel("Max flag lifetime (days)").fill("120");
  await form.getByRole("button", { name: "Save Staging policy" }).click();
  await expect(form.getByText("Use a hex colour such as #dc2626.")).toBeVisible();
  await form.getByLabel("Colour").fill("#d97706");
  await form.getByRole("button", { name: "Save Staging policy" }).click();
  await expect(form).toHaveCount(0);
  await expect(stagingRow).toContainText("(max 120 days)");

  await page.context().clearCookies();
  await signInAs("editor");
  await page.goto("/storefront/staging/settings");
  await expect(page.getByRole("row").filter({ hasText: "Staging" })).toContainText("(max 120 days)");
  await expect(page.getByRole("button", { name: /Edit .* policy/ })).toHaveCount(0);
});
