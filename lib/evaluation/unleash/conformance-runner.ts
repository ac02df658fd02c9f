import { compileSnapshot } from "../compile";
import { evaluate, evaluateFlag } from "../evaluate";
import type { EvaluationContext, EvaluationResult } from "../types";
import { importUnleash, toUnleashVariant, unleashContextToSwitchyard, type UnleashVariantView } from "./import";

/**
 * Runs one `@unleash/client-specification` file through importUnleash + evaluation. Pure: the
 * caller reads the files (the conformance test and scripts/unleash-conformance-report.ts).
 */

export interface SpecFile {
  name: string;
  state: unknown;
  tests?: { description: string; context: unknown; toggleName: string; expectedResult: boolean }[];
  variantTests?: { description: string; context: unknown; toggleName: string; expectedResult: UnleashVariantView }[];
}

export interface CaseResult {
  file: string;
  kind: "isEnabled" | "getVariant";
  description: string;
  toggleName: string;
  expected: unknown;
  actual: unknown;
  passed: boolean;
  /** Set when the case is a listed exception (true randomness). */
  exception?: string;
}

/** Spec files about Unleash's delta sync protocol: out of scope (no toggles are evaluated differently). */
export const OUT_OF_SCOPE_FILES: Record<string, string> = {
  "19-delta-api-hydration.json": "Unleash delta sync protocol (hydration events), not evaluation",
  "20-delta-api-events.json": "Unleash delta sync protocol (incremental events), not evaluation",
};

/**
 * Cases whose expected result depends on true randomness (Unleash's `random` stickiness, or the
 * default stickiness falling back to a random value when the context has no userId / sessionId),
 * keyed by `file :: description`. Every case currently in the specification is deterministic —
 * random stickiness only appears with 0 % / 100 % rollouts or single-variant splits — so this list
 * is empty; a new specification case that is genuinely random must be listed here with its reason.
 */
export const RANDOMNESS_EXCEPTIONS: Record<string, string> = {};

function stable(v: unknown): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(stable).join(",")}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${stable(o[k])}`)
    .join(",")}}`;
}

export function runSpecFile(fileName: string, spec: SpecFile): CaseResult[] {
  const imported = importUnleash(spec.state);
  const snapshot = compileSnapshot({ flags: imported.flags, segments: imported.segments });
  const byKey = new Map(imported.flags.map((f) => [f.key, f]));
  // `evaluate` (compiling the flag with its segments and the other flags, as a preview does); an
  // unknown toggle goes through the snapshot, where it is FLAG_NOT_FOUND with the default.
  const run = (name: string, ctx: EvaluationContext): EvaluationResult => {
    const flag = byKey.get(name);
    return flag
      ? evaluate(flag, ctx, { flags: imported.flags, segments: imported.segments, defaultValue: false })
      : evaluateFlag(snapshot, name, ctx, { defaultValue: false });
  };
  const out: CaseResult[] = [];
  for (const t of spec.tests ?? []) {
    const ctx = unleashContextToSwitchyard(t.context);
    const r = run(t.toggleName, ctx);
    const exception = RANDOMNESS_EXCEPTIONS[`${fileName} :: ${t.description}`];
    out.push({
      file: fileName,
      kind: "isEnabled",
      description: t.description,
      toggleName: t.toggleName,
      expected: t.expectedResult,
      actual: r.value,
      passed: r.value === t.expectedResult,
      ...(exception ? { exception } : {}),
    });
  }
  for (const t of spec.variantTests ?? []) {
    const ctx = unleashContextToSwitchyard(t.context);
    const r = run(t.toggleName, ctx);
    const view = toUnleashVariant(r, byKey.get(t.toggleName));
    const exception = RANDOMNESS_EXCEPTIONS[`${fileName} :: ${t.description}`];
    out.push({
      file: fileName,
      kind: "getVariant",
      description: t.description,
      toggleName: t.toggleName,
      expected: t.expectedResult,
      actual: view,
      passed: stable(view) === stable(t.expectedResult),
      ...(exception ? { exception } : {}),
    });
  }
  return out;
}
