/**
 * Before anything is timed: each endpoint must answer correctly. A pro/US context gets `on` for
 * every W1 flag from both servers, and for random contexts each server's answers equal its own
 * engine evaluated locally on the same W1 definitions (Switchyard's lib/evaluation for OFREP,
 * unleash-client for the proxy), which checks the rollout half too.
 */
import type { EvaluationContext } from "@/lib/evaluation/types";
import type { Context as UnleashContext } from "unleash-client";
import type { LoadedEngine } from "../evaluation/adapter";
import { randomContext, type BenchContextInput } from "./load";

const SAMPLES = 25;
const PRO_US: BenchContextInput = { targetingKey: "user-verify", plan: "pro", country: "US" };

async function post(url: string, sdkKey: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(url, {
    method: "POST",
    headers: { Authorization: `Bearer ${sdkKey}`, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

function fail(what: string, detail: unknown): never {
  throw new Error(`verification failed: ${what}: ${JSON.stringify(detail).slice(0, 400)}`);
}

interface OfrepFlag {
  key: string;
  value?: unknown;
  reason?: string;
  variant?: string;
  errorCode?: string;
}

export async function verifyOfrep(origin: string, sdkKey: string, flagKeys: string[], engine: LoadedEngine<EvaluationContext>): Promise<string> {
  const bulk = await post(`${origin}/ofrep/v1/evaluate/flags`, sdkKey, { context: PRO_US });
  const flags = (bulk.json as { flags?: OfrepFlag[] }).flags ?? [];
  if (bulk.status !== 200 || flags.length !== flagKeys.length) fail("OFREP bulk for pro/US", { status: bulk.status, count: flags.length });
  const wrong = flags.find((f) => f.value !== true || f.variant !== "on" || f.reason !== "TARGETING_MATCH");
  if (wrong) fail("OFREP bulk: a pro/US context must get `on` (TARGETING_MATCH) for every flag", wrong);

  for (let i = 0; i < SAMPLES; i++) {
    const context = randomContext();
    const answer = await post(`${origin}/ofrep/v1/evaluate/flags`, sdkKey, { context });
    const byKey = new Map(((answer.json as { flags: OfrepFlag[] }).flags ?? []).map((f) => [f.key, f]));
    for (const key of flagKeys) {
      const expected = await engine.evaluate(key, context);
      if (byKey.get(key)?.value !== expected) fail(`OFREP bulk ${key} for ${JSON.stringify(context)} (expected ${expected})`, byKey.get(key));
    }
  }

  const single = await post(`${origin}/ofrep/v1/evaluate/flags/${flagKeys[0]}`, sdkKey, { context: PRO_US });
  const one = single.json as OfrepFlag;
  if (single.status !== 200 || one.value !== true || one.reason !== "TARGETING_MATCH") fail("OFREP single for pro/US", single);
  for (let i = 0; i < SAMPLES; i++) {
    const context = randomContext();
    const key = flagKeys[Math.floor(Math.random() * flagKeys.length)];
    const answer = await post(`${origin}/ofrep/v1/evaluate/flags/${key}`, sdkKey, { context });
    const expected = await engine.evaluate(key, context);
    if ((answer.json as OfrepFlag).value !== expected) fail(`OFREP single ${key} for ${JSON.stringify(context)} (expected ${expected})`, answer.json);
  }
  return `OFREP bulk and single: pro/US → on for all ${flagKeys.length} flags; ${SAMPLES} random contexts each equal lib/evaluation locally`;
}

export function proxyQuery(context: BenchContextInput): string {
  return `userId=${encodeURIComponent(context.targetingKey)}&properties%5Bplan%5D=${context.plan}&properties%5Bcountry%5D=${context.country}`;
}

export function toUnleashContext(context: BenchContextInput): UnleashContext {
  return { userId: context.targetingKey, properties: { plan: context.plan, country: context.country } };
}

interface ProxyToggle {
  name: string;
  enabled: boolean;
}

async function proxyGet(origin: string, clientKey: string, path: string): Promise<ProxyToggle[]> {
  const response = await fetch(`${origin}${path}`, { headers: { Authorization: clientKey } });
  if (response.status !== 200) fail(`GET ${path}`, { status: response.status, body: await response.text() });
  return ((await response.json()) as { toggles: ProxyToggle[] }).toggles;
}

export async function verifyProxy(origin: string, clientKey: string, flagKeys: string[], engine: LoadedEngine<UnleashContext>): Promise<string> {
  const enabled = await proxyGet(origin, clientKey, `/proxy?${proxyQuery(PRO_US)}`);
  if (enabled.length !== flagKeys.length || enabled.some((t) => !t.enabled)) fail("proxy /proxy: a pro/US context must get every flag enabled", enabled.length);
  const all = await proxyGet(origin, clientKey, `/proxy/all?${proxyQuery(PRO_US)}`);
  if (all.length !== flagKeys.length || all.some((t) => !t.enabled)) fail("proxy /proxy/all for pro/US", all.length);

  for (let i = 0; i < SAMPLES; i++) {
    const context = randomContext();
    const expected: string[] = [];
    for (const key of flagKeys) if ((await engine.evaluate(key, toUnleashContext(context))) === true) expected.push(key);
    const got = (await proxyGet(origin, clientKey, `/proxy?${proxyQuery(context)}`)).map((t) => t.name).sort();
    if (got.join() !== [...expected].sort().join()) fail(`proxy /proxy for ${JSON.stringify(context)}`, { expected: expected.length, got: got.length });
    const everything = await proxyGet(origin, clientKey, `/proxy/all?${proxyQuery(context)}`);
    const allEnabled = everything.filter((t) => t.enabled).map((t) => t.name).sort();
    if (everything.length !== flagKeys.length || allEnabled.join() !== got.join()) fail(`proxy /proxy/all for ${JSON.stringify(context)}`, everything.length);
  }
  return `Unleash proxy /proxy and /proxy/all: pro/US → all ${flagKeys.length} enabled; ${SAMPLES} random contexts each equal unleash-client locally`;
}
