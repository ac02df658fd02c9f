import { OFREPProvider } from "@openfeature/ofrep-provider";
import { OpenFeature, type Client } from "@openfeature/server-sdk";
import { createSdkKey, editFlagConfig, revokeSdkKey } from "./api";
import { expect, test } from "./fixtures";

// Real OpenFeature clients from npm against the running production build.
test.describe.configure({ mode: "serial" });

let client: Client;
let baseURL: string;

test.beforeAll(async ({ request }, info) => {
  baseURL = info.project.use.baseURL!;
  const { key } = await createSdkKey(request, "production", "server");
  await OpenFeature.setProviderAndWait("production", new OFREPProvider({ baseUrl: baseURL, headers: [["Authorization", `Bearer ${key}`]] }));
  client = OpenFeature.getClient("production");
});

test.afterAll(async () => {
  await OpenFeature.close();
});

const paidNorthAmerica = { targetingKey: "user-1", plan: "pro", region: "north-america" };

test("boolean: a segment rule matches paid North American users", async () => {
  const details = await client.getBooleanDetails("new-search", false, paidNorthAmerica);
  expect(details).toMatchObject({ value: true, variant: "on", reason: "TARGETING_MATCH" });
  expect(details.flagMetadata).toMatchObject({ ruleId: "rule-paid-na" });
  const other = await client.getBooleanDetails("new-search", true, { targetingKey: "user-2", plan: "free", region: "europe" });
  expect(other).toMatchObject({ value: false, variant: "off" });
  expect(other.errorCode).toBeUndefined();
});

test("string, number and object flags resolve with their types", async () => {
  const variant = await client.getStringDetails("checkout-redesign", "fallback", { targetingKey: "shopper-42" });
  expect(variant.errorCode).toBeUndefined();
  expect(typeof variant.value).toBe("string");
  expect(variant.value).not.toBe("fallback");
  const threshold = await client.getNumberValue("free-shipping-threshold", -1, { targetingKey: "shopper-42" });
  expect(threshold).toBeGreaterThan(0);
  const banner = await client.getObjectValue("promo-banner-config", { fallback: true }, { targetingKey: "shopper-42" });
  expect(banner).toHaveProperty("enabled");
});

test("an unknown flag is FLAG_NOT_FOUND and the code default is used", async () => {
  const details = await client.getBooleanDetails("does-not-exist", true, paidNorthAmerica);
  expect(details).toMatchObject({ value: true, errorCode: "FLAG_NOT_FOUND" });
});

test("a type mismatch is reported by the client, not served", async () => {
  const details = await client.getNumberDetails("new-search", 7, paidNorthAmerica);
  expect(details).toMatchObject({ value: 7, errorCode: "TYPE_MISMATCH" });
});

test("a revoked key is refused", async ({ request }) => {
  const { id, key } = await createSdkKey(request, "production", "server", "short-lived");
  await revokeSdkKey(request, "production", id);
  await new Promise((resolve) => setTimeout(resolve, 1100));
  const provider = new OFREPProvider({ baseUrl: baseURL, headers: [["Authorization", `Bearer ${key}`]] });
  await OpenFeature.setProviderAndWait("revoked", provider).catch(() => undefined);
  const details = await OpenFeature.getClient("revoked").getBooleanDetails("new-search", false, paidNorthAmerica);
  expect(details.value).toBe(false);
  expect(details.errorCode).toBeDefined();
  const raw = await request.post("/ofrep/v1/evaluate/flags/new-search", { headers: { Authorization: `Bearer ${key}` }, data: { context: paidNorthAmerica } });
  expect(raw.status()).toBe(401);
});

test("bulk evaluation answers 304 until a change affects the caller", async ({ request }) => {
  const { key } = await createSdkKey(request, "development", "client", "web");
  const headers = { Authorization: `Bearer ${key}` };
  const context = { context: { targetingKey: "bulk-user", plan: "pro" } };
  const first = await request.post("/ofrep/v1/evaluate/flags", { headers, data: context });
  expect(first.status()).toBe(200);
  const body = await first.json();
  const keys = body.flags.map((flag: { key: string }) => flag.key);
  expect(keys).toContain("new-search");
  expect(keys).not.toContain("saved-carts"); // not client-visible
  const etag = first.headers()["etag"];
  expect((await request.post("/ofrep/v1/evaluate/flags", { headers: { ...headers, "If-None-Match": etag }, data: context })).status()).toBe(304);
  await editFlagConfig(request, "development", "new-search", (config) => ({ ...config, on: false }));
  const after = await request.post("/ofrep/v1/evaluate/flags", { headers: { ...headers, "If-None-Match": etag }, data: context });
  expect(after.status()).toBe(200);
  expect((await after.json()).flags.find((flag: { key: string }) => flag.key === "new-search")).toMatchObject({ value: false, reason: "DISABLED" });
  await editFlagConfig(request, "development", "new-search", (config) => ({ ...config, on: true }));
});

test("Unicode flag keys are URL-encoded in the path", async ({ request }) => {
  const { key } = await createSdkKey(request, "production", "server");
  const response = await request.post(`/ofrep/v1/evaluate/flags/${encodeURIComponent("überflag-ß")}`, { headers: { Authorization: `Bearer ${key}` }, data: { context: {} } });
  expect(response.status()).toBe(404);
  expect(await response.json()).toEqual({ key: "überflag-ß", errorCode: "FLAG_NOT_FOUND", errorDetails: expect.any(String) });
});
