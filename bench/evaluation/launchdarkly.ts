/**
 * @launchdarkly/node-server-sdk: the workload in LaunchDarkly's flag/segment data model
 * (`{flags, segments}`, the format of its streaming "put" and of its file data source), loaded by
 * a real `LDClient` whose data source is the SDK's `FileDataSourceFactory`, with events and
 * diagnostics off. Nothing leaves the machine: the file data source replaces streaming/polling,
 * and `sendEvents: false` installs the null event processor. The SDK key is a placeholder.
 *
 * Translation:
 * - rules → LD rules with the clauses in order (`in`, `greaterThan`, `semVerLessThan` negated for
 *   semver ≥ since LD has no `semVerGreaterThanOrEqual`, `startsWith`), serving a variation index.
 * - the segment → an LD segment with 1,000 `included` keys (LD turns long lists into a Set at
 *   load), tested with a `segmentMatch` clause.
 * - splits → a percentage rollout in the same 0.001 % units, bucketed by `key` (SHA-1, LD's scheme).
 *
 * Evaluation goes through the public API, `client.variation(...)`, which returns a Promise: each
 * evaluation is awaited in turn, as an application would. Caches: none per context (the only LRU
 * is for Big Segments membership, unused here).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { basicLogger, init } from "@launchdarkly/node-server-sdk";
import type { LDContext } from "@launchdarkly/node-server-sdk";
import { FileDataSourceFactory } from "@launchdarkly/node-server-sdk/integrations";
import type { EngineAdapter, LoadedEngine } from "./adapter";
import { valueWeight } from "./adapter";
import type { BenchContext, NeutralClause, NeutralFlag, Workload } from "./workloads";

function clause(c: NeutralClause) {
  switch (c.kind) {
    case "in":
      return { contextKind: "user", attribute: c.attribute, op: "in", values: c.values, negate: false };
    case "gt":
      return { contextKind: "user", attribute: c.attribute, op: "greaterThan", values: [c.value], negate: false };
    case "semverGte":
      return { contextKind: "user", attribute: c.attribute, op: "semVerLessThan", values: [c.value], negate: true };
    case "startsWith":
      return { contextKind: "user", attribute: c.attribute, op: "startsWith", values: [c.value], negate: false };
    case "inSegment":
      return { attribute: "", op: "segmentMatch", values: [c.segment], negate: false };
  }
}

function flagModel(flag: NeutralFlag) {
  const index = (key: string) => flag.variations.findIndex((v) => v.key === key);
  return {
    key: flag.key,
    version: 1,
    on: true,
    salt: flag.key,
    variations: flag.variations.map((v) => v.value),
    offVariation: index(flag.offVariation),
    targets: [],
    contextTargets: [],
    prerequisites: [],
    rules: flag.rules.map((rule) => ({
      id: rule.id,
      clauses: rule.clauses.map(clause),
      variation: index(rule.serve),
      trackEvents: false,
    })),
    fallthrough: {
      rollout: {
        kind: "rollout",
        contextKind: "user",
        bucketBy: "key",
        variations: flag.fallthrough.map((s) => ({ variation: index(s.variation), weight: s.weight })),
      },
    },
    trackEvents: false,
    trackEventsFallthrough: false,
    clientSide: false,
  };
}

let staged = 0;

function stageFile(payload: string): string {
  const file = path.join(os.tmpdir(), `switchyard-bench-ld-${process.pid}-${staged++}.json`);
  fs.writeFileSync(file, payload);
  return file;
}

export const launchdarklyAdapter: EngineAdapter<LDContext> = {
  id: "launchdarkly",
  packageName: "@launchdarkly/node-server-sdk",
  async unavailableReason() {
    // Runs offline with the file data source; the probe in run.ts reports if that ever fails.
    return undefined;
  },
  serialize(workload: Workload): string {
    return JSON.stringify({
      flags: Object.fromEntries(workload.flags.map((f) => [f.key, flagModel(f)])),
      segments: Object.fromEntries(
        workload.segments.map((s) => [
          s.key,
          { key: s.key, version: 1, salt: s.key, included: s.included, excluded: [], includedContexts: [], excludedContexts: [], rules: [] },
        ]),
      ),
    });
  },
  /** The file data source reads a file: write it before the load is timed. */
  stage: stageFile,
  async load(payloadOrFile: string, workload): Promise<LoadedEngine<LDContext>> {
    // A staged file is ours (see stage): it is removed once the client has read it.
    const file = payloadOrFile.startsWith("{") ? stageFile(payloadOrFile) : payloadOrFile;
    const client = init("sdk-00000000-0000-0000-0000-000000000000", {
      updateProcessor: new FileDataSourceFactory({ paths: [file], autoUpdate: false }).getFactory(),
      sendEvents: false,
      diagnosticOptOut: true,
      logger: basicLogger({ level: "warn" }),
    });
    try {
      await client.waitForInitialization({ timeout: 60 });
    } finally {
      fs.rmSync(file, { force: true });
    }
    const fallback = workload.name === "W1" ? false : "";
    return {
      contexts: (cs: BenchContext[]) => cs.map((c) => ({ kind: "user", ...c })),
      evaluate: async (flagKey, ctx) => (await client.variation(flagKey, ctx, fallback)) as boolean | string,
      run: async (flagKeys, ctxs, from, to) => {
        let sum = 0;
        for (let c = from; c < to; c++) {
          const ctx = ctxs[c];
          for (let f = 0; f < flagKeys.length; f++) sum += valueWeight(await client.variation(flagKeys[f], ctx, fallback));
        }
        return sum;
      },
      close: () => client.close(),
    };
  },
};
