/**
 * Switchyard's own engine (lib/evaluation): the workload as Switchyard flags and segments
 * (lib/evaluation/types.ts), sent in snapshot format 2 (lib/evaluation/packed.ts, as the SDK receives
 * it), loaded with `JSON.parse` + `compilePackedSnapshot` and evaluated with `evaluateFlag`.
 *
 * Translation (the closest to the neutral model, since Switchyard's model is the reference):
 * - rules → rules serving a fixed variation, clauses in order: `in`, `gt`, `semverLt` negated for
 *   semver ≥ (Switchyard's operators are semverEq/Lt/Gt), `startsWith`, `inSegment`.
 * - the segment → one shared Segment with 1,000 included keys, referenced by key from every flag.
 * - splits → a rollout with the same weights, bucketed by `targetingKey`, seeded by the flag key
 *   (the defaults).
 * W2 flags are of kind `experiment` (a three-way split is one); no opt-out attribute is configured.
 *
 * The adapter takes the engine module as a parameter: tests use the TypeScript source, the
 * benchmark the transpiled output (see compiled-engine.ts for why).
 */
import * as engineSource from "@/lib/evaluation";
import type { Clause, CompiledSnapshot, EvaluationContext, EvaluationResult, Flag, PackedSnapshot, Segment } from "@/lib/evaluation";
import type { EngineAdapter, LoadedEngine } from "./adapter";
import { valueWeight } from "./adapter";
import type { BenchContext, NeutralClause, NeutralFlag, Workload } from "./workloads";

/** The part of lib/evaluation's public API the benchmark uses. */
export interface SwitchyardEngine {
  packSnapshot(input: { flags: Flag[]; segments: Segment[]; optOutAttribute?: string }): PackedSnapshot;
  compilePackedSnapshot(packed: PackedSnapshot): CompiledSnapshot;
  evaluateFlag(snapshot: CompiledSnapshot, flagKey: string, context: EvaluationContext, options?: { now?: number }): EvaluationResult;
}

function clause(c: NeutralClause): Clause {
  switch (c.kind) {
    case "in":
      return { attribute: c.attribute, op: "in", values: c.values };
    case "gt":
      return { attribute: c.attribute, op: "gt", values: [c.value] };
    case "semverGte":
      return { attribute: c.attribute, op: "semverLt", values: [c.value], negate: true };
    case "startsWith":
      return { attribute: c.attribute, op: "startsWith", values: [c.value] };
    case "inSegment":
      return { attribute: "targetingKey", op: "inSegment", values: [c.segment] };
  }
}

export function toSwitchyardFlag(flag: NeutralFlag): Flag {
  return {
    key: flag.key,
    kind: flag.valueType === "string" ? "experiment" : "release",
    valueType: flag.valueType,
    variations: flag.variations.map((v) => ({ key: v.key, value: v.value })),
    config: {
      on: true,
      offVariation: flag.offVariation,
      targets: [],
      rules: flag.rules.map((rule) => ({ id: rule.id, clauses: rule.clauses.map(clause), serve: { variation: rule.serve } })),
      fallthrough: { rollout: { weights: flag.fallthrough.map((s) => ({ variation: s.variation, weight: s.weight })) } },
      prerequisites: [],
      version: 1,
    },
  };
}

export function createSwitchyardAdapter(engine: SwitchyardEngine): EngineAdapter<EvaluationContext> {
  const { packSnapshot, compilePackedSnapshot, evaluateFlag } = engine;
  return {
    id: "switchyard",
    packageName: "lib/evaluation",
    async unavailableReason() {
      return undefined;
    },
    serialize(workload: Workload): string {
      const segments: Segment[] = workload.segments.map((s) => ({ key: s.key, included: s.included, excluded: [], rules: [] }));
      // Snapshot format 2, what the SDK downloads (GET /api/v1/sdk/snapshot?format=2).
      return JSON.stringify(packSnapshot({ flags: workload.flags.map(toSwitchyardFlag), segments }));
    },
    async load(payload: string): Promise<LoadedEngine<EvaluationContext>> {
      const snapshot = compilePackedSnapshot(JSON.parse(payload) as PackedSnapshot);
      return {
        contexts: (cs: BenchContext[]) => cs.map(({ key, ...rest }) => ({ targetingKey: key, ...rest })),
        evaluate: (flagKey, ctx) => evaluateFlag(snapshot, flagKey, ctx).value as boolean | string,
        run: (flagKeys, ctxs, from, to) => {
          let sum = 0;
          for (let c = from; c < to; c++) {
            const ctx = ctxs[c];
            for (let f = 0; f < flagKeys.length; f++) sum += valueWeight(evaluateFlag(snapshot, flagKeys[f], ctx).value);
          }
          return sum;
        },
        close: () => undefined,
      };
    },
  };
}

/** Switchyard from its TypeScript source (as loaded by tsx or vitest). */
export const switchyardAdapter = createSwitchyardAdapter(engineSource);
