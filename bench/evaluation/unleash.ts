/**
 * unleash-client (Node SDK): the workload as an Unleash client API payload
 * (`{version, features, segments}`), bootstrapped into a real `Unleash` instance with polling and
 * metrics off and an in-memory backup store, so it never touches the network or the disk.
 *
 * Translation:
 * - a rule → a `default` strategy whose constraints are the clauses; in W2 the strategy carries one
 *   fixed variant (the rule's variation). `default` rather than `flexibleRollout` at 100 % spares
 *   Unleash a rollout hash it would not need.
 * - the segment → an Unleash segment with one `userId IN [1,000 keys]` constraint, referenced by id.
 * - the W1 25 % rollout → `flexibleRollout` (rollout 25, stickiness default = userId, groupId = flag key).
 * - the W2 split → a `default` strategy with three variable variants 330/330/340 (groupId = flag key).
 * - semver ≥ → `SEMVER_LT` inverted (Unleash's documented operators have no SEMVER_GTE).
 *
 * Caches: none per context (only a regex LRU, unused here); metrics counting is disabled.
 */
import { once } from "node:events";
import { InMemStorageProvider, Unleash } from "unleash-client";
import type { Context as UnleashContext } from "unleash-client";
import type { EngineAdapter, LoadedEngine } from "./adapter";
import { valueWeight } from "./adapter";
import type { BenchContext, NeutralClause, NeutralFlag, Workload } from "./workloads";

interface UnleashConstraint {
  contextName: string;
  operator: string;
  values?: string[];
  value?: string;
  inverted?: boolean;
  caseInsensitive?: boolean;
}

const SEGMENT_ID = 1;

function constraint(clause: Exclude<NeutralClause, { kind: "inSegment" }>): UnleashConstraint {
  switch (clause.kind) {
    case "in":
      return { contextName: clause.attribute, operator: "IN", values: clause.values };
    case "gt":
      return { contextName: clause.attribute, operator: "NUM_GT", value: String(clause.value) };
    case "semverGte":
      return { contextName: clause.attribute, operator: "SEMVER_LT", value: clause.value, inverted: true };
    case "startsWith":
      return { contextName: clause.attribute, operator: "STR_STARTS_WITH", values: [clause.value] };
  }
}

function feature(flag: NeutralFlag, segmentIds: Map<string, number>) {
  const withVariants = flag.valueType === "string";
  const strategies: unknown[] = flag.rules.map((rule) => {
    const constraints: UnleashConstraint[] = [];
    const segments: number[] = [];
    for (const clause of rule.clauses) {
      if (clause.kind === "inSegment") segments.push(segmentIds.get(clause.segment)!);
      else constraints.push(constraint(clause));
    }
    return {
      name: "default",
      parameters: { groupId: flag.key },
      constraints,
      ...(segments.length ? { segments } : {}),
      ...(withVariants
        ? { variants: [{ name: rule.serve, weight: 1000, weightType: "fix", stickiness: "default" }] }
        : {}),
    };
  });
  if (withVariants) {
    strategies.push({
      name: "default",
      parameters: { groupId: flag.key },
      constraints: [],
      variants: flag.fallthrough.map((s) => ({
        name: s.variation,
        weight: s.weight / 100, // Unleash variant weights sum to 1000
        weightType: "variable",
        stickiness: "default",
      })),
    });
  } else {
    // Boolean: the fallthrough is "on" for the first variation's share.
    const on = flag.fallthrough.find((s) => flag.variations.find((v) => v.key === s.variation)?.value === true);
    strategies.push({
      name: "flexibleRollout",
      parameters: { rollout: String((on?.weight ?? 0) / 1000), stickiness: "default", groupId: flag.key },
      constraints: [],
    });
  }
  return { name: flag.key, enabled: true, type: "release", project: "default", strategies, variants: [] };
}

export const unleashAdapter: EngineAdapter<UnleashContext> = {
  id: "unleash",
  packageName: "unleash-client",
  async unavailableReason() {
    return undefined;
  },
  serialize(workload: Workload): string {
    const segmentIds = new Map(workload.segments.map((s, i) => [s.key, SEGMENT_ID + i]));
    return JSON.stringify({
      version: 2,
      features: workload.flags.map((f) => feature(f, segmentIds)),
      segments: workload.segments.map((s, i) => ({
        id: SEGMENT_ID + i,
        name: s.key,
        constraints: [{ contextName: "userId", operator: "IN", values: s.included }],
      })),
    });
  },
  async load(payload: string, workload): Promise<LoadedEngine<UnleashContext>> {
    const data = JSON.parse(payload) as { features: never[]; segments: never[] };
    const unleash = new Unleash({
      appName: "switchyard-bench",
      url: "http://127.0.0.1:9/unused", // never fetched: refreshInterval 0 disables polling
      refreshInterval: 0,
      disableMetrics: true,
      storageProvider: new InMemStorageProvider(),
      bootstrap: { data: data.features, segments: data.segments },
      skipInstanceCountWarning: true,
    });
    unleash.on("error", (e: unknown) => console.error("unleash:", e));
    if (!unleash.isSynchronized()) await once(unleash, "synchronized");
    const boolean = workload.name === "W1";
    return {
      contexts: (cs: BenchContext[]) =>
        cs.map(({ key, ...properties }) => ({ userId: key, properties: { ...properties } })),
      evaluate: boolean
        ? (flagKey, ctx) => unleash.isEnabled(flagKey, ctx)
        : (flagKey, ctx) => unleash.getVariant(flagKey, ctx).name,
      run: boolean
        ? (flagKeys, ctxs, from, to) => {
            let sum = 0;
            for (let c = from; c < to; c++) {
              const ctx = ctxs[c];
              for (let f = 0; f < flagKeys.length; f++) sum += unleash.isEnabled(flagKeys[f], ctx) ? 1 : 0;
            }
            return sum;
          }
        : (flagKeys, ctxs, from, to) => {
            let sum = 0;
            for (let c = from; c < to; c++) {
              const ctx = ctxs[c];
              for (let f = 0; f < flagKeys.length; f++) sum += valueWeight(unleash.getVariant(flagKeys[f], ctx).name);
            }
            return sum;
          },
      close: () => unleash.destroy(),
    };
  },
};
