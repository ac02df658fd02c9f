import { compileSnapshot } from "@/lib/evaluation/compile";
import { evaluateFlag } from "@/lib/evaluation/evaluate";
import type { EvaluationContext, EvaluationResult, Flag, FlagConfig, Segment } from "@/lib/evaluation/types";

/**
 * Runs a flag's test cases (named example contexts with the variation expected per environment)
 * against a configuration. Pure and isomorphic: the builder runs it on every edit in the browser,
 * and the save path runs it again on the server so a broken test case cannot be saved without
 * the author's confirmation.
 */

export interface TestCaseInput {
  id: string;
  name: string;
  context: EvaluationContext;
  /** environment key → expected variation key; environments not listed are not checked. */
  expected: Record<string, string>;
}

export interface TestCaseOutcome {
  id: string;
  name: string;
  expected: string | null;
  result: EvaluationResult;
  /** null: no expectation in this environment. */
  passed: boolean | null;
}

export interface TestEnvironment {
  environmentKey: string;
  segments: Segment[];
  /** The environment's flags (prerequisites are evaluated against them). */
  flags: Flag[];
  optOutAttribute?: string;
  now?: number;
}

/** Evaluates many contexts against one flag with a single compilation. */
export function evaluateMany(flag: Flag, contexts: EvaluationContext[], env: Omit<TestEnvironment, "environmentKey">): EvaluationResult[] {
  const others = env.flags.filter((f) => f.key !== flag.key);
  const snapshot = compileSnapshot({ flags: [flag, ...others], segments: env.segments, optOutAttribute: env.optOutAttribute });
  const now = env.now ?? Date.now();
  return contexts.map((context) => evaluateFlag(snapshot, flag.key, context, { now }));
}

export function runTestCases(flag: Flag, testCases: readonly TestCaseInput[], env: TestEnvironment): TestCaseOutcome[] {
  const results = evaluateMany(
    flag,
    testCases.map((t) => t.context),
    env,
  );
  return testCases.map((t, i) => {
    const expected = t.expected[env.environmentKey] ?? null;
    const result = results[i];
    return { id: t.id, name: t.name, expected, result, passed: expected === null ? null : result.variationKey === expected };
  });
}

export interface Coverage {
  /** Rules no test case reaches (in order). */
  unreachedRules: { id: string; index: number; description?: string }[];
  /** Rule id → names of the test cases that end there. */
  reachedBy: Map<string, string[]>;
  fallthroughReachedBy: string[];
  targetsReachedBy: string[];
}

/** Which rules the test cases reach (a test case "reaches" the rule that decides its result). */
export function coverageOf(config: FlagConfig, outcomes: readonly TestCaseOutcome[]): Coverage {
  const reachedBy = new Map<string, string[]>();
  const fallthroughReachedBy: string[] = [];
  const targetsReachedBy: string[] = [];
  for (const o of outcomes) {
    if (o.result.reason === "RULE_MATCH" && o.result.ruleId) reachedBy.set(o.result.ruleId, [...(reachedBy.get(o.result.ruleId) ?? []), o.name]);
    else if (o.result.reason === "FALLTHROUGH") fallthroughReachedBy.push(o.name);
    else if (o.result.reason === "TARGET_MATCH") targetsReachedBy.push(o.name);
  }
  const unreachedRules = config.rules
    .map((r, index) => ({ id: r.id, index, ...(r.description ? { description: r.description } : {}) }))
    .filter((r) => !reachedBy.has(r.id));
  return { unreachedRules, reachedBy, fallthroughReachedBy, targetsReachedBy };
}

/** The sentence recorded with a save that breaks test cases. */
export function brokenTestCasesNote(broken: readonly TestCaseOutcome[]): string {
  const items = broken.map((o) => `“${o.name}” expects ${o.expected ?? "?"}, gets ${o.result.variationKey ?? "an error"}`);
  return `Saved with ${broken.length} failing test case${broken.length === 1 ? "" : "s"}: ${items.join("; ")}.`;
}
