import { ErrorCode, OpenFeature, ProviderEvents, ProviderStatus, StandardResolutionReasons, type EventDetails } from "@openfeature/server-sdk";
import { afterEach, describe, expect, it } from "vitest";
import type { MetricEvent } from "../snapshots/wire-format";
import { createClient } from "./client";
import { SwitchyardProvider, toOpenFeatureErrorCode } from "./openfeature-provider";
import { boolFlag, capturingLogger, demoSnapshot, fastOptions, waitFor } from "./test-fixtures";
import { TestServer } from "./test-server";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await OpenFeature.close();
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function startServer() {
  const snapshot = demoSnapshot(4);
  snapshot.flags.push({ key: "broken", kind: "release", valueType: "boolean", variations: [] } as never);
  const server = new TestServer({ snapshot, heartbeatMs: 100 });
  await server.start();
  cleanups.push(() => server.stop());
  return server;
}

describe("SwitchyardProvider", () => {
  it("resolves through OpenFeature with variants, reasons and metadata", async () => {
    const server = await startServer();
    const provider = new SwitchyardProvider(fastOptions(server.url, server.sdkKey, capturingLogger()));
    await OpenFeature.setProviderAndWait(provider);
    const client = OpenFeature.getClient();
    expect(client.providerStatus).toBe(ProviderStatus.READY);
    expect(provider.metadata.name).toBe("switchyard");

    expect(await client.getBooleanDetails("new-checkout", false, { targetingKey: "vip" })).toEqual({
      flagKey: "new-checkout",
      value: true,
      variant: "on",
      reason: StandardResolutionReasons.TARGETING_MATCH,
      flagMetadata: { reason: "TARGET_MATCH", version: 4 },
    });
    const rule = await client.getBooleanDetails("new-checkout", false, { targetingKey: "u", plan: "pro" });
    expect(rule.flagMetadata).toEqual({ reason: "RULE_MATCH", ruleId: "pro-users", ruleIndex: 0, version: 4 });
    expect((await client.getBooleanDetails("split", false, { targetingKey: "u" })).reason).toBe(StandardResolutionReasons.SPLIT);
    expect((await client.getBooleanDetails("killed", true, { targetingKey: "u" })).reason).toBe(StandardResolutionReasons.DISABLED);
    expect(await client.getNumberDetails("max-items", 0, { targetingKey: "u" })).toMatchObject({ value: 10, reason: StandardResolutionReasons.STATIC });
    expect(await client.getStringValue("banner-text", "", { targetingKey: "beta-1" })).toBe("Welcome, beta tester");
    expect(await client.getObjectValue("theme", {}, { targetingKey: "u" })).toEqual({ color: "blue", dense: false });
  });

  it.each([
    ["an unknown flag", (c: ReturnType<typeof OpenFeature.getClient>) => c.getBooleanDetails("nope", true, { targetingKey: "u" }), ErrorCode.FLAG_NOT_FOUND, true],
    ["the wrong type", (c: ReturnType<typeof OpenFeature.getClient>) => c.getNumberDetails("new-checkout", 7, { targetingKey: "u" }), ErrorCode.TYPE_MISMATCH, 7],
    ["an object from a string flag", (c: ReturnType<typeof OpenFeature.getClient>) => c.getObjectDetails("banner-text", { d: 1 }, { targetingKey: "u" }), ErrorCode.TYPE_MISMATCH, { d: 1 }],
    ["a rollout without targetingKey", (c: ReturnType<typeof OpenFeature.getClient>) => c.getBooleanDetails("split", true, {}), ErrorCode.TARGETING_KEY_MISSING, true],
    ["a malformed flag", (c: ReturnType<typeof OpenFeature.getClient>) => c.getBooleanDetails("broken", true, { targetingKey: "u" }), ErrorCode.PARSE_ERROR, true],
  ] as const)("answers %s with the default and an error code", async (_name, call, code, dflt) => {
    const server = await startServer();
    await OpenFeature.setProviderAndWait(new SwitchyardProvider(fastOptions(server.url, server.sdkKey, capturingLogger())));
    const d = await call(OpenFeature.getClient());
    expect(d).toMatchObject({ value: dflt, reason: StandardResolutionReasons.ERROR, errorCode: code });
    expect(d.errorMessage).toBeTruthy();
  });

  it("maps every Switchyard error code", () => {
    expect(toOpenFeatureErrorCode("MISSING_BUCKET_KEY")).toBe(ErrorCode.INVALID_CONTEXT);
    expect(toOpenFeatureErrorCode("MALFORMED_FLAG")).toBe(ErrorCode.PARSE_ERROR);
    expect(toOpenFeatureErrorCode("CLIENT_NOT_READY")).toBe(ErrorCode.PROVIDER_NOT_READY);
    expect(toOpenFeatureErrorCode("PREREQUISITE_CYCLE")).toBe(ErrorCode.GENERAL);
    expect(toOpenFeatureErrorCode("GENERAL")).toBe(ErrorCode.GENERAL);
  });

  it("emits ConfigurationChanged with the changed flag keys", async () => {
    const server = await startServer();
    await OpenFeature.setProviderAndWait("changes", new SwitchyardProvider(fastOptions(server.url, server.sdkKey, capturingLogger())));
    const client = OpenFeature.getClient("changes");
    const seen: EventDetails[] = [];
    client.addHandler(ProviderEvents.ConfigurationChanged, (d) => seen.push(d!));
    await waitFor(() => server.streamClients === 1);
    server.publish({ upsertFlags: [boolFlag("new-checkout", "on")] });
    await waitFor(() => seen.length === 1, 5_000, "ConfigurationChanged");
    expect(seen[0].flagsChanged).toEqual(["new-checkout"]);
    expect(await client.getBooleanValue("new-checkout", false, { targetingKey: "u" })).toBe(true);
  });

  it("tracks through OpenFeature and flushes on OpenFeature.close()", async () => {
    const server = await startServer();
    const provider = new SwitchyardProvider(fastOptions(server.url, server.sdkKey, capturingLogger()));
    await OpenFeature.setProviderAndWait("track", provider);
    const client = OpenFeature.getClient("track");
    client.track("purchase", { targetingKey: "u1", plan: "pro" }, { value: 25 });
    await client.getBooleanValue("new-checkout", false, { targetingKey: "u1" });
    await OpenFeature.close();
    expect(provider.client.status).toBe("closed");
    const metric = server.events.find((e): e is MetricEvent => e.kind === "metric");
    expect(metric).toMatchObject({ metricKey: "purchase", value: 25, contextKey: "u1", attributes: { plan: "pro" } });
    expect(server.events.some((e) => e.kind === "exposure")).toBe(true);
  });

  it("a refused key makes the provider FATAL", async () => {
    const server = await startServer();
    const provider = new SwitchyardProvider(fastOptions(server.url, "wrong", capturingLogger()));
    await expect(OpenFeature.setProviderAndWait("fatal", provider)).rejects.toThrow(/refused/);
    const client = OpenFeature.getClient("fatal");
    expect(client.providerStatus).toBe(ProviderStatus.FATAL);
    expect(await client.getBooleanDetails("new-checkout", true)).toMatchObject({ value: true, errorCode: ErrorCode.PROVIDER_FATAL });
  });

  it("times out into ERROR, becomes READY when the server appears, STALE when it goes, READY when it returns", async () => {
    const server = await startServer();
    const url = server.url;
    await server.stop();
    const sdk = createClient(fastOptions(url, server.sdkKey, capturingLogger()));
    const provider = new SwitchyardProvider(sdk, { initTimeoutMs: 200 });
    await expect(OpenFeature.setProviderAndWait("late", provider)).rejects.toThrow(/No snapshot within 200 ms/);
    const client = OpenFeature.getClient("late");
    expect(client.providerStatus).toBe(ProviderStatus.ERROR);
    expect(await client.getBooleanDetails("new-checkout", true, { targetingKey: "vip" })).toMatchObject({
      value: true,
      errorCode: ErrorCode.PROVIDER_NOT_READY,
    });

    await server.start();
    await waitFor(() => client.providerStatus === ProviderStatus.READY, 5_000, "READY");
    expect(await client.getBooleanValue("new-checkout", false, { targetingKey: "vip" })).toBe(true);

    await server.stop();
    await waitFor(() => client.providerStatus === ProviderStatus.STALE, 5_000, "STALE");
    expect(await client.getBooleanValue("new-checkout", false, { targetingKey: "vip" })).toBe(true);

    await server.start();
    await waitFor(() => client.providerStatus === ProviderStatus.READY, 5_000, "READY again");
  });

  it("initialises from a bootstrap without any server", async () => {
    const provider = new SwitchyardProvider({ baseUrl: "", sdkKey: "", offline: true, bootstrap: demoSnapshot(9), logger: capturingLogger() });
    await OpenFeature.setProviderAndWait("offline", provider);
    expect(await OpenFeature.getClient("offline").getBooleanDetails("new-checkout", false, { targetingKey: "vip" })).toMatchObject({
      value: true,
      flagMetadata: { version: 9 },
    });
  });
});
