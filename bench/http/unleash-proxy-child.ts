/**
 * The peer: `@unleash/proxy` serving the 100 W1 flags on its frontend endpoint, in its own process
 * (so it has an event loop of its own, like our server). Started by run.ts as
 * `tsx bench/http/unleash-proxy-child.ts` with PORT, CLIENT_KEY and UPSTREAM_URL in the
 * environment; prints `ready <port>` once it serves.
 *
 * No upstream, and nothing fetched or sent. `createApp`'s options alone cannot ensure that (read in
 * node_modules/@unleash/proxy/dist): `createProxyConfig` turns `refreshInterval: 0` into the
 * 5 s default (`option.refreshInterval || …`), hard-codes `disableMetrics: false` (its Metrics
 * would register and post usage to `unleashUrl`), and takes bootstrap data only as `expBootstrap`.
 * So this file builds the proxy's `Client` itself, exactly as the proxy's `createNewClient` does
 * but with an `Unleash` that has `refreshInterval: 0` (its polling fetcher returns before any
 * request), the W1 payload as `bootstrap.data`, an in-memory storage provider (no backup file), and
 * a `Metrics` with `disableMetrics: true`, and hands that client to `createApp`. Every URL option
 * points at UPSTREAM_URL on 127.0.0.1, where run.ts listens and counts requests: it must see none.
 */
import { createRequire } from "node:module";
import { Client, createApp, createProxyConfig } from "@unleash/proxy";
import { InMemStorageProvider, Unleash } from "unleash-client";
import type MetricsClass from "unleash-client/lib/metrics";
import { unleashAdapter } from "../evaluation/unleash";
import { buildW1 } from "../evaluation/workloads";

const port = Number(process.env.PORT);
const clientKey = process.env.CLIENT_KEY ?? "";
const upstream = process.env.UPSTREAM_URL ?? "";
if (!port || !clientKey || !upstream.startsWith("http://127.0.0.1:")) {
  console.error("unleash-proxy-child: PORT, CLIENT_KEY and UPSTREAM_URL (http://127.0.0.1:…) are required");
  process.exit(2);
}

// A CommonJS module whose class is `exports.default`: ESM's default import would be the module object.
const Metrics = (createRequire(import.meta.url)("unleash-client/lib/metrics") as { default: typeof MetricsClass }).default;

const payload = JSON.parse(unleashAdapter.serialize(buildW1())) as { features: never[]; segments: never[] };

const options = {
  unleashUrl: `${upstream}/api/`,
  unleashApiToken: "bench-unused",
  unleashAppName: "switchyard-bench-proxy",
  unleashInstanceId: "bench",
  clientKeys: [clientKey],
  enableAllEndpoint: true,
};
const config = createProxyConfig(options);

const unleash = new Unleash({
  url: config.unleashUrl,
  appName: config.unleashAppName,
  instanceId: config.unleashInstanceId,
  refreshInterval: 0,
  disableMetrics: true,
  bootstrap: { data: payload.features, segments: payload.segments },
  storageProvider: new InMemStorageProvider(),
  customHeadersFunction: async () => ({ Authorization: config.unleashApiToken }),
  skipInstanceCountWarning: true,
});
const metrics = new Metrics({
  disableMetrics: true,
  appName: config.unleashAppName,
  instanceId: config.unleashInstanceId,
  connectionId: `${config.unleashInstanceId}-bench`,
  strategies: [],
  metricsInterval: 0,
  url: config.unleashUrl,
});
// Constructed at once, like createNewClient: it must be listening when Unleash emits `ready`.
const client = new Client(config, unleash, metrics);

const app = createApp(options, client);
// As the proxy's own `start()` does (default server settings), on loopback only.
const server = app.listen(port, "127.0.0.1", () => {
  console.log(`ready ${port}`);
});

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    client.destroy();
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 1_000).unref();
  });
}
