import { OFREPWebProvider } from "@openfeature/ofrep-web-provider";
import { OpenFeature } from "@openfeature/web-sdk";
import { createSdkKey } from "./api";
import { expect, test } from "./fixtures";

// The client-side (static context) OpenFeature SDK with the OFREP web provider, using the bulk
// endpoint with a client key: only client-visible flags, evaluated results only.
test("the OFREP web provider evaluates client-visible flags from the bulk endpoint", async ({ request }, info) => {
  const { key } = await createSdkKey(request, "production", "client", "web-provider");
  await OpenFeature.setContext({ targetingKey: "web-user", plan: "pro", region: "north-america" });
  await OpenFeature.setProviderAndWait(
    new OFREPWebProvider({ baseUrl: info.project.use.baseURL!, headers: [["Authorization", `Bearer ${key}`]], disableVisibilityRefresh: true }),
  );
  const client = OpenFeature.getClient();
  expect(client.getBooleanDetails("new-search", false)).toMatchObject({ value: true, variant: "on", reason: "TARGETING_MATCH" });
  // saved-carts exists but is not client-visible: a client key cannot see it.
  expect(client.getBooleanDetails("saved-carts", true)).toMatchObject({ value: true, errorCode: "FLAG_NOT_FOUND" });
  await OpenFeature.setContext({ targetingKey: "web-user", plan: "free", region: "europe" });
  expect(client.getBooleanValue("new-search", true)).toBe(false);
  await OpenFeature.close();
});
