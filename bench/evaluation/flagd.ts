/**
 * @openfeature/flagd-core: the workload as a flagd flag-set JSON document, loaded with
 * `FlagdCore.setConfigurations` (in-process evaluation, as flagd's in-process providers do; the
 * targeting is compiled by json-logic-engine, the default "compilation mode").
 *
 * Translation:
 * - rules → one `if` chain: `{"if": [cond0, "rule-0", …, {"$ref": segment}, "segment", split]}`,
 *   each condition an `and` of the clauses in order.
 * - in → `in` against a literal array; gt → `>`; semver ≥ → `sem_ver` with `>=`; startsWith →
 *   `starts_with`.
 * - the segment → a shared `$evaluators` entry `{"in": [{"var": "targetingKey"}, [1,000 keys]]}`
 *   referenced with `$ref`. flagd resolves `$ref` by pasting the evaluator's JSON text into every
 *   flag that references it, so each flag carries its own copy of the 1,000 keys.
 * - splits (the W1 25 % rollout and the W2 split) → `fractional` with the same integer weights,
 *   bucketed by flag key + targeting key (flagd's default).
 *
 * Caches: none per context; `resolve*Evaluation` copies the context and adds `$flagd` properties
 * on every call.
 */
import { FlagdCore } from "@openfeature/flagd-core";
import type { EngineAdapter, LoadedEngine } from "./adapter";
import { valueWeight } from "./adapter";
import type { BenchContext, NeutralClause, NeutralFlag, Workload } from "./workloads";

type FlagdContext = Record<string, string | number>;

function logic(clause: NeutralClause): unknown {
  switch (clause.kind) {
    case "in":
      return { in: [{ var: clause.attribute }, clause.values] };
    case "gt":
      return { ">": [{ var: clause.attribute }, clause.value] };
    case "semverGte":
      return { sem_ver: [{ var: clause.attribute }, ">=", clause.value] };
    case "startsWith":
      return { starts_with: [{ var: clause.attribute }, clause.value] };
    case "inSegment":
      return { $ref: clause.segment };
  }
}

function flagDocument(flag: NeutralFlag) {
  const chain: unknown[] = [];
  for (const rule of flag.rules) {
    const conds = rule.clauses.map(logic);
    chain.push(conds.length === 1 ? conds[0] : { and: conds }, rule.serve);
  }
  chain.push({ fractional: flag.fallthrough.map((s) => [s.variation, s.weight]) });
  return {
    state: "ENABLED",
    defaultVariant: flag.offVariation,
    variants: Object.fromEntries(flag.variations.map((v) => [v.key, v.value])),
    targeting: { if: chain },
  };
}

export const flagdAdapter: EngineAdapter<FlagdContext> = {
  id: "flagd",
  packageName: "@openfeature/flagd-core",
  async unavailableReason() {
    return undefined;
  },
  serialize(workload: Workload): string {
    return JSON.stringify({
      flags: Object.fromEntries(workload.flags.map((f) => [f.key, flagDocument(f)])),
      ...(workload.segments.length
        ? {
            $evaluators: Object.fromEntries(
              workload.segments.map((s) => [s.key, { in: [{ var: "targetingKey" }, s.included] }]),
            ),
          }
        : {}),
    });
  },
  async load(payload: string, workload): Promise<LoadedEngine<FlagdContext>> {
    const core = new FlagdCore();
    core.setConfigurations(payload);
    const boolean = workload.name === "W1";
    return {
      contexts: (cs: BenchContext[]) => cs.map(({ key, ...rest }) => ({ targetingKey: key, ...rest })),
      evaluate: boolean
        ? (flagKey, ctx) => core.resolveBooleanEvaluation(flagKey, false, ctx).value
        : (flagKey, ctx) => core.resolveStringEvaluation(flagKey, "", ctx).value,
      run: boolean
        ? (flagKeys, ctxs, from, to) => {
            let sum = 0;
            for (let c = from; c < to; c++) {
              const ctx = ctxs[c];
              for (let f = 0; f < flagKeys.length; f++) {
                sum += core.resolveBooleanEvaluation(flagKeys[f], false, ctx).value ? 1 : 0;
              }
            }
            return sum;
          }
        : (flagKeys, ctxs, from, to) => {
            let sum = 0;
            for (let c = from; c < to; c++) {
              const ctx = ctxs[c];
              for (let f = 0; f < flagKeys.length; f++) {
                sum += valueWeight(core.resolveStringEvaluation(flagKeys[f], "", ctx).value);
              }
            }
            return sum;
          },
      close: () => undefined,
    };
  },
};
