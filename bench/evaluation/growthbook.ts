/**
 * @growthbook/growthbook: the workload as a GrowthBook SDK payload (`{features, savedGroups}`),
 * loaded with `GrowthBookClient.initSync` (the multi-user server client: one instance, a user
 * context per call; no streaming, no polling, no network).
 *
 * Translation:
 * - a rule → a `force` rule whose `condition` holds the clauses in order (object keys keep their
 *   insertion order, and GrowthBook evaluates them in that order).
 * - in → `$in`; gt → `$gt`; semver ≥ → `$vgte`; startsWith → `$regex` anchored with `^` and the
 *   prefix escaped (GrowthBook has no prefix operator; compiled regexes are cached by GrowthBook).
 * - the segment → a saved group (list of ids) tested with `$inGroup` on the `id` attribute.
 * - the W1 25 % rollout → a `force: true` rule with `coverage: 0.25` on `id` (hashVersion 2).
 * - the W2 split → an experiment rule, variations a/b/c, weights .33/.33/.34, coverage 1, on `id`.
 *
 * Caches: `GrowthBookClient.evalFeature` keeps no per-user state (the deduplication sets live on
 * scoped instances, which the benchmark does not use). GrowthBook's core reads
 * `process.env.NODE_ENV` on every evaluation and logs in development: the driver runs with
 * NODE_ENV=production, as a server would.
 */
import { GrowthBookClient } from "@growthbook/growthbook";
import type { EngineAdapter, LoadedEngine } from "./adapter";
import { valueWeight } from "./adapter";
import type { BenchContext, NeutralClause, NeutralFlag, Workload } from "./workloads";
import { escapeRegExp, WEIGHT_TOTAL } from "./workloads";

interface GrowthBookUser {
  attributes: Record<string, string | number>;
}

function condition(clauses: NeutralClause[]): Record<string, unknown> {
  const cond: Record<string, unknown> = {};
  for (const clause of clauses) {
    switch (clause.kind) {
      case "in":
        cond[clause.attribute] = { $in: clause.values };
        break;
      case "gt":
        cond[clause.attribute] = { $gt: clause.value };
        break;
      case "semverGte":
        cond[clause.attribute] = { $vgte: clause.value };
        break;
      case "startsWith":
        cond[clause.attribute] = { $regex: `^${escapeRegExp(clause.value)}` };
        break;
      case "inSegment":
        cond.id = { $inGroup: clause.segment };
        break;
    }
  }
  if (Object.keys(cond).length !== clauses.length) {
    throw new Error("growthbook adapter: two clauses on one attribute would need $and");
  }
  return cond;
}

function valueOf(flag: NeutralFlag, variation: string) {
  return flag.variations.find((v) => v.key === variation)!.value;
}

function feature(flag: NeutralFlag) {
  const rules: unknown[] = flag.rules.map((rule) => ({
    id: rule.id,
    condition: condition(rule.clauses),
    force: valueOf(flag, rule.serve),
  }));
  if (flag.valueType === "boolean") {
    const on = flag.fallthrough.find((s) => valueOf(flag, s.variation) === true);
    rules.push({
      id: "rollout",
      force: true,
      coverage: (on?.weight ?? 0) / WEIGHT_TOTAL,
      hashAttribute: "id",
      seed: flag.key,
      hashVersion: 2,
    });
    return { defaultValue: false, rules };
  }
  rules.push({
    id: "split",
    key: flag.key,
    seed: flag.key,
    hashAttribute: "id",
    hashVersion: 2,
    coverage: 1,
    variations: flag.fallthrough.map((s) => valueOf(flag, s.variation)),
    weights: flag.fallthrough.map((s) => s.weight / WEIGHT_TOTAL),
    meta: flag.fallthrough.map((s) => ({ key: s.variation })),
  });
  return { defaultValue: valueOf(flag, flag.offVariation), rules };
}

export const growthbookAdapter: EngineAdapter<GrowthBookUser> = {
  id: "growthbook",
  packageName: "@growthbook/growthbook",
  async unavailableReason() {
    return undefined;
  },
  serialize(workload: Workload): string {
    return JSON.stringify({
      features: Object.fromEntries(workload.flags.map((f) => [f.key, feature(f)])),
      savedGroups: Object.fromEntries(workload.segments.map((s) => [s.key, s.included])),
    });
  },
  async load(payload: string, workload): Promise<LoadedEngine<GrowthBookUser>> {
    const client = new GrowthBookClient().initSync({ payload: JSON.parse(payload), streaming: false });
    const boolean = workload.name === "W1";
    return {
      contexts: (cs: BenchContext[]) => cs.map(({ key, ...rest }) => ({ attributes: { id: key, ...rest } })),
      evaluate: (flagKey, user) => client.evalFeature(flagKey, user).value as boolean | string,
      run: boolean
        ? (flagKeys, users, from, to) => {
            let sum = 0;
            for (let c = from; c < to; c++) {
              const user = users[c];
              for (let f = 0; f < flagKeys.length; f++) sum += client.evalFeature(flagKeys[f], user).on ? 1 : 0;
            }
            return sum;
          }
        : (flagKeys, users, from, to) => {
            let sum = 0;
            for (let c = from; c < to; c++) {
              const user = users[c];
              for (let f = 0; f < flagKeys.length; f++) sum += valueWeight(client.evalFeature(flagKeys[f], user).value);
            }
            return sum;
          },
      close: () => client.destroy(),
    };
  },
};
