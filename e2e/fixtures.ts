import { test as base, expect, type Page } from "@playwright/test";

export const DEMO_PASSWORD = "switchyard";
export type DemoRole = "admin" | "editor" | "approver" | "viewer";

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

/** `signInAs("editor")` signs in the demo user of that role and waits for the console. */
export const test = base.extend<{ signInAs: (role: DemoRole) => Promise<void> }>({
  signInAs: async ({ page }, use) => {
    await use(async (role) => {
      await signIn(page, `${role}@example.com`);
      // Sign-in lands in the person's first project; an earlier spec may have created another one.
      await expect(page).toHaveURL(/\/[^/]+\/[^/]+\/flags/);
      if (!new URL(page.url()).pathname.startsWith("/storefront/")) await page.goto("/storefront");
      await expect(page).toHaveURL(/\/storefront\/[^/]+\/flags/);
    });
  },
});

export { expect };
