import { toStr } from "./operators/values";
import type { Clause, EvaluationContext, EvaluationResult, Flag, Rollout, Rule, Segment, Serve } from "./types";

/**
 * Turn a result into plain words for the console, e.g.
 * "Served `on` because rule 2 matched: plan is one of pro, enterprise AND country is one of US, CA;
 * in the 25 % rollout (bucket 17.342)."
 */
export function explainResult(result: EvaluationResult, flag: Flag, context?: EvaluationContext, segments?: Segment[]): string {
  try {
    return explain(result, flag, context, segments);
  } catch {
    return `Served ${fmtValue(result)} (reason ${typeof result?.reason === "string" ? result.reason : "unknown"}).`;
  }
}

function fmtValue(result: EvaluationResult): string {
  if (typeof result?.variationKey === "string") return "`" + result.variationKey + "`";
  try {
    return "`" + JSON.stringify(result?.value) + "`";
  } catch {
    return "a value";
  }
}

export function formatPercent(units: number): string {
  const pct = units / 1000;
  return `${Number.isInteger(pct) ? pct : Number(pct.toFixed(3))} %`;
}

function explain(result: EvaluationResult, flag: Flag, context?: EvaluationContext, segments?: Segment[]): string {
  const served = `Served ${fmtValue(result)}`;
  const config = flag?.config;
  const key = context?.targetingKey;
  switch (result.reason) {
    case "OFF":
      return `${served} because the flag is off.`;
    case "TARGET_MATCH":
      return `${served} because ${key !== undefined ? `\`${String(key)}\`` : "this context"} is individually targeted.`;
    case "PREREQUISITE_FAILED": {
      const p = config?.prerequisites?.find((x) => x.flagKey === result.prerequisiteKey);
      if (result.errorCode === "PREREQUISITE_NOT_FOUND") {
        return `${served} (the off variation) because prerequisite flag \`${result.prerequisiteKey}\` does not exist.`;
      }
      if (result.errorCode === "PREREQUISITE_CYCLE") {
        return `${served} (the off variation) because this flag's prerequisites form a cycle.`;
      }
      const wanted = p ? [p.variation, ...(p.variations ?? [])].filter((v, i, a) => a.indexOf(v) === i) : [];
      const want = wanted.length ? ` did not serve ${wanted.map((w) => "`" + w + "`").join(" or ")}` : " was not satisfied";
      return `${served} (the off variation) because prerequisite flag \`${result.prerequisiteKey}\`${want}.`;
    }
    case "ERROR":
      return `Could not evaluate the flag (${result.errorCode ?? "ERROR"}${result.errorMessage ? `: ${result.errorMessage}` : ""}); served the default value ${JSON.stringify(result.value)}.`;
    case "RULE_MATCH": {
      const rule = config?.rules?.find((r) => r.id === result.ruleId) ?? config?.rules?.[result.ruleIndex ?? -1];
      const n = (result.ruleIndex ?? 0) + 1;
      const what = rule ? describeRule(rule, context, segments) : "";
      return `${served} because rule ${n}${rule?.description ? ` (${rule.description})` : ""} matched${what ? `: ${what}` : ""}${coverageText(rule)}${serveText(result, rule?.serve)}.`;
    }
    case "FALLTHROUGH": {
      if (result.isStatic) return `${served} to everyone: the flag has no targeting.`;
      const none = config && (config.rules?.length ?? 0) > 0 ? "no rule matched" : "no targeting applied";
      return `${served} because ${none}, so the default rule applies${serveText(result, config?.fallthrough)}.`;
    }
    default:
      return `${served}.`;
  }
}

function coverageText(rule: Rule | undefined): string {
  if (!rule?.coverage) return "";
  return ` and the context is in the ${formatPercent(rule.coverage.percentage)} the rule applies to`;
}

function serveText(result: EvaluationResult, serve: Serve | undefined): string {
  if (result.optedOut) return `; the context opted out of experiments, so it gets the control variation ${fmtValue(result)}`;
  if (result.errorCode === "MISSING_BUCKET_KEY") {
    const by = serve && "rollout" in serve ? serve.rollout.bucketBy ?? "targetingKey" : "targetingKey";
    return `; the context has no ${by} to bucket by, so it gets the first variation ${fmtValue(result)}`;
  }
  if (!result.inRollout || !serve || !("rollout" in serve)) return "";
  const rollout: Rollout = serve.rollout;
  const w = rollout.weights.find((x) => x.variation === result.variationKey);
  if (rollout.unleash) {
    return `; picked by Unleash's variant split (sticky on ${rollout.unleash.stickiness})`;
  }
  const pct = w ? `the ${formatPercent(w.weight)} rollout` : "the rollout";
  const bucket = result.bucket !== undefined ? ` (bucket ${result.bucket.toFixed(3)}${rollout.bucketBy && rollout.bucketBy !== "targetingKey" ? ` by ${rollout.bucketBy}` : ""})` : "";
  return `; in ${pct}${bucket}`;
}

function describeRule(rule: Rule, context?: EvaluationContext, segments?: Segment[]): string {
  const parts = (rule.clauses ?? []).map((c) => describeClause(c, context, segments));
  if (parts.length === 0) return "everyone";
  return parts.join(rule.match === "any" ? " OR " : " AND ");
}

const PHRASES: Record<string, [string, string]> = {
  in: ["is one of", "is not one of"],
  notIn: ["is not one of", "is one of"],
  equals: ["equals", "does not equal"],
  contains: ["contains", "does not contain"],
  startsWith: ["starts with", "does not start with"],
  endsWith: ["ends with", "does not end with"],
  matches: ["matches the pattern", "does not match the pattern"],
  lt: ["is less than", "is not less than"],
  lte: ["is at most", "is more than"],
  gt: ["is greater than", "is not greater than"],
  gte: ["is at least", "is less than"],
  before: ["is before", "is not before"],
  after: ["is after", "is not after"],
  semverEq: ["is version", "is not version"],
  semverLt: ["is a version older than", "is not a version older than"],
  semverGt: ["is a version newer than", "is not a version newer than"],
  semverGte: ["is version", "is not version"],
  semverLte: ["is version", "is not version"],
  inCidr: ["is an address in", "is not an address in"],
};

export function describeClause(c: Clause, context?: EvaluationContext, segments?: Segment[]): string {
  const neg = c.negate === true;
  const values = (c.values ?? []).map((v) => String(v));
  if (c.op === "inSegment" || c.op === "notInSegment") {
    const inside = (c.op === "inSegment") !== neg;
    const names = values.map((k) => segments?.find((s) => s.key === k)?.key ?? k);
    return `${inside ? "is in" : "is not in"} segment ${names.join(" or ")}`;
  }
  const attr = c.attribute === "currentTime" ? "the current time" : c.attribute;
  if (c.op === "exists") return neg ? `${attr} is not set` : `${attr} is set`;
  const phrase = PHRASES[c.op] ?? [c.op, `not ${c.op}`];
  let list = values.join(c.op === "in" || c.op === "notIn" ? ", " : " or ");
  if (c.op === "in" && values.length === 1) return finishClause(`${attr} ${neg ? "is not" : "is"} ${list}`, c, context);
  if (c.op === "semverGte") list += " or newer";
  if (c.op === "semverLte") list += " or older";
  return finishClause(`${attr} ${neg ? phrase[1] : phrase[0]} ${list}`, c, context);
}

function finishClause(text: string, c: Clause, context?: EvaluationContext): string {
  let out = text;
  if (c.caseInsensitive) out += " (ignoring case)";
  if (context && c.attribute !== "currentTime") {
    const v = context[c.attribute];
    const s = Array.isArray(v) ? v.map((x) => toStr(x) ?? "?").join(", ") : toStr(v);
    if (s !== undefined && !(c.op === "in" && c.values.length === 1 && !c.negate)) out += ` (it is ${s})`;
  }
  return out;
}
