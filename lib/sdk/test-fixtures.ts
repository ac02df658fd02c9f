/** Flags, snapshots and helpers shared by the SDK's tests. */
import type { Flag, FlagConfig, Segment, Variation } from "../evaluation/types";
import type { EnvironmentSnapshot } from "../snapshots/wire-format";
import type { ClientOptions, SdkLogger } from "./types";

export function flag(key: string, variations: Variation[], config: Partial<FlagConfig> = {}, extra: Partial<Flag> = {}): Flag {
  const valueType = typeof variations[0].value === "object" ? "json" : (typeof variations[0].value as "boolean" | "string" | "number");
  return {
    key,
    kind: "release",
    valueType,
    variations,
    config: {
      on: true,
      offVariation: variations[variations.length - 1].key,
      targets: [],
      rules: [],
      prerequisites: [],
      fallthrough: { variation: variations[0].key },
      ...config,
    },
    ...extra,
  };
}

export const boolVars: Variation[] = [
  { key: "on", value: true },
  { key: "off", value: false },
];

export function boolFlag(key: string, fallthrough: "on" | "off" = "on", config: Partial<FlagConfig> = {}): Flag {
  return flag(key, boolVars, { fallthrough: { variation: fallthrough }, ...config });
}

export const betaSegment: Segment = { key: "beta", included: ["beta-1"], excluded: [], rules: [{ id: "beta-domain", clauses: [{ attribute: "email", op: "endsWith", values: ["@beta.test"] }] }] };

/** A flag set covering each value type, targeting, a segment, a rollout and an experiment. */
export function demoFlags(): Flag[] {
  return [
    boolFlag("new-checkout", "off", {
      targets: [{ variation: "on", values: ["vip"] }],
      rules: [{ id: "pro-users", clauses: [{ attribute: "plan", op: "in", values: ["pro"] }], serve: { variation: "on" } }],
    }),
    flag("banner-text", [
      { key: "default", value: "Welcome" },
      { key: "beta", value: "Welcome, beta tester" },
    ], { rules: [{ id: "beta-seg", clauses: [{ attribute: "", op: "inSegment", values: ["beta"] }], serve: { variation: "beta" } }] }),
    flag("max-items", [
      { key: "ten", value: 10 },
      { key: "twenty", value: 20 },
    ]),
    flag("theme", [
      { key: "blue", value: { color: "blue", dense: false } },
      { key: "red", value: { color: "red", dense: true } },
    ]),
    flag("split", boolVars, {
      fallthrough: { rollout: { weights: [{ variation: "on", weight: 50_000 }, { variation: "off", weight: 50_000 }] } },
    }),
    flag(
      "exp",
      [
        { key: "control", value: "A" },
        { key: "treatment", value: "B" },
      ],
      { fallthrough: { rollout: { weights: [{ variation: "control", weight: 0 }, { variation: "treatment", weight: 100_000 }] } } },
      { kind: "experiment", controlVariation: "control" },
    ),
    boolFlag("killed", "on", { on: false }),
  ];
}

export function demoSnapshot(version = 1): EnvironmentSnapshot {
  return {
    projectKey: "demo",
    environmentKey: "production",
    version,
    publishedAt: new Date(0).toISOString(),
    optOutAttribute: "experimentOptOut",
    flags: demoFlags(),
    segments: [betaSegment],
  };
}

export interface CapturingLogger extends Required<SdkLogger> {
  lines: { level: string; message: string }[];
  has(level: string, pattern: RegExp): boolean;
}

/** A logger that records instead of printing (set SDK_TEST_LOG=1 to print as well). */
export function capturingLogger(): CapturingLogger {
  const lines: { level: string; message: string }[] = [];
  const log = (level: string) => (message: string) => {
    lines.push({ level, message });
    if (process.env.SDK_TEST_LOG) console.log(`${level}: ${message}`);
  };
  return {
    lines,
    debug: log("debug"),
    info: log("info"),
    warn: log("warn"),
    error: log("error"),
    has: (level, pattern) => lines.some((l) => l.level === level && pattern.test(l.message)),
  };
}

/** Fast timings so that reconnects, polls and flushes happen within a test's time budget. */
export function fastOptions(url: string, sdkKey: string, logger: SdkLogger): ClientOptions {
  return {
    baseUrl: url,
    sdkKey,
    logger,
    streamRetryDelayMs: 50,
    streamMaxRetryDelayMs: 200,
    pollIntervalMs: 200,
    eventsFlushIntervalMs: 50,
    requestTimeoutMs: 2_000,
    closeTimeoutMs: 2_000,
  };
}

/** Resolves when `predicate` holds; polls every 10 ms; fails after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, timeoutMs = 5_000, what = "condition"): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
