import { BUCKET_SCALE } from "./bucketing";
import { MAX_PREREQUISITE_DEPTH, findSegmentCycles } from "./compile";
import { formatPercent } from "./explain";
import { parseCidr } from "./operators/cidr";
import { checkRegexSafety } from "./operators/regex";
import { parseSemver } from "./operators/semver";
import { CLOCK_ATTRIBUTE, toNum, toTime } from "./operators/values";
import type {
  AttributeType,
  CatalogAttribute,
  Clause,
  Flag,
  FlagConfig,
  FlagDefinition,
  Operator,
  Rollout,
  Segment,
  Serve,
  ValidationIssue,
} from "./types";

/**
 * Semantic validation of what is saved, with a path into the configuration and a sentence a
 * product manager understands. The zod schemas (lib/schemas/flag-config.ts) check shape first;
 * this checks meaning: variations that exist, weights that add up to 100 %, attributes from the
 * catalog used with operators that fit their type, operands that parse, safe regexes, segments
 * that exist and do not form cycles, prerequisites that exist and do not form cycles or chains
 * deeper than 10. Evaluation never throws on a config that fails these checks, but it is what
 * keeps surprises from reaching users.
 */

type Path = (string | number)[];

/** How each operator reads in a sentence; the console shows the same words. */
export const OPERATOR_LABELS: Record<Operator, string> = {
  in: "is one of",
  notIn: "is not one of",
  equals: "equals",
  contains: "contains",
  startsWith: "starts with",
  endsWith: "ends with",
  matches: "matches pattern",
  lt: "less than",
  lte: "at most",
  gt: "greater than",
  gte: "at least",
  before: "before",
  after: "after",
  semverEq: "is version",
  semverLt: "older version than",
  semverGt: "newer version than",
  semverGte: "version at least",
  semverLte: "version at most",
  exists: "is set",
  inSegment: "is in segment",
  notInSegment: "is not in segment",
  inCidr: "is in network",
};

const STRING_OPS: Operator[] = ["in", "notIn", "equals", "contains", "startsWith", "endsWith", "matches", "exists", "inCidr"];
const OPS_BY_TYPE: Record<AttributeType, Operator[]> = {
  string: STRING_OPS,
  number: ["in", "notIn", "equals", "lt", "lte", "gt", "gte", "exists"],
  boolean: ["in", "notIn", "equals", "exists"],
  semver: ["in", "notIn", "equals", "semverEq", "semverLt", "semverGt", "semverGte", "semverLte", "exists"],
  date: ["before", "after", "exists"],
  list: ["in", "notIn", "equals", "contains", "startsWith", "endsWith", "matches", "exists"],
};
const NUMERIC_OPS = new Set<Operator>(["lt", "lte", "gt", "gte"]);
const DATE_OPS = new Set<Operator>(["before", "after"]);
const SEMVER_OPS = new Set<Operator>(["semverEq", "semverLt", "semverGt", "semverGte", "semverLte"]);
const STRING_ONLY_OPS = new Set<Operator>(["contains", "startsWith", "endsWith", "matches", "inCidr"]);
const CASE_OPS = new Set<Operator>(["in", "notIn", "equals", "contains", "startsWith", "endsWith", "matches"]);

const BUILT_IN: Record<string, AttributeType> = { targetingKey: "string", [CLOCK_ATTRIBUTE]: "date" };

const q = (s: unknown) => `“${String(s)}”`;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const arr = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);

class Issues {
  readonly list: ValidationIssue[] = [];
  error(path: Path, code: string, message: string): void {
    this.list.push({ path, code, message });
  }
  warn(path: Path, code: string, message: string): void {
    this.list.push({ path, code, message, severity: "warning" });
  }
}

interface ClauseEnv {
  catalog: Map<string, CatalogAttribute>;
  segments: Map<string, Segment>;
  cyclicSegments: Set<string>;
  issues: Issues;
}

function checkClause(c: Clause, path: Path, where: string, env: ClauseEnv): void {
  const { issues } = env;
  if (!isObj(c)) {
    issues.error(path, "clause_invalid", `${where} is not a valid condition.`);
    return;
  }
  const op = c.op;
  if (!(op in OPERATOR_LABELS)) {
    issues.error([...path, "op"], "operator_unknown", `${where} uses an unknown operator ${q(op)}.`);
    return;
  }
  const values = arr<unknown>(c.values);
  if (op === "inSegment" || op === "notInSegment") {
    if (values.length === 0) issues.error([...path, "values"], "values_empty", `${where} does not name a segment.`);
    values.forEach((v, k) => {
      if (typeof v !== "string" || !env.segments.has(v)) {
        issues.error([...path, "values", k], "segment_unknown", `${where} refers to segment ${q(v)}, which does not exist.`);
      } else if (env.cyclicSegments.has(v)) {
        issues.error([...path, "values", k], "segment_cycle", `${where} refers to segment ${q(v)}, which refers back to itself through other segments.`);
      }
    });
    return;
  }
  const attr = c.attribute;
  if (typeof attr !== "string" || attr.trim() === "") {
    issues.error([...path, "attribute"], "attribute_missing", `${where} does not say which attribute to check.`);
    return;
  }
  let type: AttributeType | undefined = BUILT_IN[attr];
  const entry = env.catalog.get(attr);
  if (entry) {
    type = entry.type;
    if (entry.sensitivity === "forbidden") {
      issues.error([...path, "attribute"], "attribute_forbidden", `${where} uses ${q(attr)}, which is marked forbidden: it may not be used for targeting.`);
    }
  } else if (!type) {
    issues.error([...path, "attribute"], "attribute_unknown", `${where} uses ${q(attr)}, which is not in this project's attribute catalog. Add it to the catalog first.`);
  }
  if (type && !OPS_BY_TYPE[type].includes(op)) {
    issues.error([...path, "op"], "operator_type", `${where}: ${q(OPERATOR_LABELS[op])} does not apply to ${q(attr)}, which is a ${type} attribute.`);
  }
  if (op === "exists") return;
  if (values.length === 0) {
    issues.error([...path, "values"], "values_empty", `${where} has no values to compare with.`);
    return;
  }
  if (c.caseInsensitive && !CASE_OPS.has(op)) {
    issues.warn([...path, "caseInsensitive"], "case_ignored", `${where}: “ignore case” has no effect with ${q(OPERATOR_LABELS[op])}.`);
  }
  const allowed = entry?.allowedValues;
  values.forEach((v, k) => {
    const vp = [...path, "values", k];
    if (NUMERIC_OPS.has(op)) {
      if (typeof v === "boolean" || Number.isNaN(toNum(v))) issues.error(vp, "value_not_number", `${where}: ${q(v)} is not a number.`);
    } else if (DATE_OPS.has(op)) {
      if (typeof v === "boolean" || Number.isNaN(toTime(v))) {
        issues.error(vp, "value_not_date", `${where}: ${q(v)} is not a date. Use an ISO date such as 2026-03-01 or 2026-03-01T09:00:00Z, or milliseconds since 1970.`);
      }
    } else if (SEMVER_OPS.has(op)) {
      if (typeof v !== "string" || parseSemver(v, true) === null) {
        issues.error(vp, "value_not_semver", `${where}: ${q(v)} is not a version number such as 1.4.0 or 2.0.0-beta.1.`);
      }
    } else if (op === "inCidr") {
      if (typeof v !== "string" || parseCidr(v) === null) {
        issues.error(vp, "value_not_cidr", `${where}: ${q(v)} is not an IP address or network such as 10.0.0.0/8 or 2001:db8::/32.`);
      }
    } else if (op === "matches") {
      if (typeof v !== "string") issues.error(vp, "value_not_regex", `${where}: ${q(v)} is not a pattern.`);
      else {
        const problem = checkRegexSafety(v, c.caseInsensitive === true);
        if (problem) issues.error(vp, problem.code, `${where}: the pattern ${q(v)} ${problem.message}.`);
      }
    } else if (STRING_ONLY_OPS.has(op) && typeof v !== "string") {
      issues.error(vp, "value_not_string", `${where}: ${q(v)} should be text.`);
    } else if ((op === "in" || op === "notIn" || op === "equals") && allowed && allowed.length > 0) {
      const ok = allowed.some((a) => String(a) === String(v) || (c.caseInsensitive && String(a).toLowerCase() === String(v).toLowerCase()));
      if (!ok) {
        issues.error(vp, "value_not_allowed", `${where}: ${q(v)} is not one of the allowed values of ${q(attr)} (${allowed.map(String).join(", ")}).`);
      }
    }
  });
}

function ruleName(i: number, description?: unknown): string {
  return typeof description === "string" && description.trim() !== "" ? `Rule ${i + 1} (${description.trim()})` : `Rule ${i + 1}`;
}

function checkServe(serve: Serve | undefined, path: Path, where: string, variations: Set<string>, env: ClauseEnv): void {
  const { issues } = env;
  if (!isObj(serve)) {
    issues.error(path, "serve_missing", `${where} does not say what to serve.`);
    return;
  }
  if ("variation" in serve) {
    if (!variations.has(serve.variation)) {
      issues.error([...path, "variation"], "variation_unknown", `${where} serves ${q(serve.variation)}, which is not one of this flag's variations (${[...variations].join(", ")}).`);
    }
    return;
  }
  if (!("rollout" in serve) || !isObj(serve.rollout)) {
    issues.error(path, "serve_missing", `${where} does not say what to serve.`);
    return;
  }
  const rollout: Rollout = serve.rollout;
  const rp = [...path, "rollout"];
  const weights = arr<{ variation: string; weight: number }>(rollout.weights);
  if (weights.length === 0) {
    issues.error([...rp, "weights"], "rollout_empty", `${where}'s rollout has no variations.`);
    return;
  }
  const seen = new Set<string>();
  let sum = 0;
  let valid = true;
  weights.forEach((w, k) => {
    const wp = [...rp, "weights", k];
    if (!isObj(w)) {
      valid = false;
      return;
    }
    if (!variations.has(w.variation)) {
      issues.error([...wp, "variation"], "variation_unknown", `${where}'s rollout includes ${q(w.variation)}, which is not one of this flag's variations.`);
    }
    if (seen.has(w.variation)) {
      issues.error([...wp, "variation"], "rollout_duplicate", `${where}'s rollout lists ${q(w.variation)} twice.`);
    }
    seen.add(w.variation);
    if (typeof w.weight !== "number" || !Number.isInteger(w.weight) || w.weight < 0 || (!rollout.unleash && w.weight > BUCKET_SCALE)) {
      valid = false;
      issues.error([...wp, "weight"], "weight_invalid", `${where}'s rollout gives ${q(w.variation)} an invalid share; use a percentage between 0 and 100 with at most three decimals.`);
    } else sum += w.weight;
  });
  if (rollout.unleash) {
    if (valid && sum <= 0) issues.error([...rp, "weights"], "weights_zero", `${where}'s variant split has no weight at all.`);
  } else if (valid && sum !== BUCKET_SCALE) {
    issues.error(
      [...rp, "weights"],
      "weights_sum",
      `The percentages in ${where.charAt(0).toLowerCase() + where.slice(1)}'s rollout add up to ${formatPercent(sum)}; they must add up to exactly 100 %.`,
    );
  }
  if (rollout.bucketBy && rollout.bucketBy !== "targetingKey") checkBucketAttr(rollout.bucketBy, [...rp, "bucketBy"], where, env);
  arr<{ attribute: string; variation: string }>(rollout.overrides).forEach((o, k) => {
    if (isObj(o) && !variations.has(o.variation)) {
      issues.error([...rp, "overrides", k, "variation"], "variation_unknown", `${where}'s override serves ${q(o.variation)}, which is not one of this flag's variations.`);
    }
  });
}

function checkBucketAttr(attr: string, path: Path, where: string, env: ClauseEnv): void {
  const entry = env.catalog.get(attr);
  if (!entry && !BUILT_IN[attr]) {
    env.issues.error(path, "attribute_unknown", `${where} splits users by ${q(attr)}, which is not in this project's attribute catalog.`);
  } else if (entry?.sensitivity === "forbidden") {
    env.issues.error(path, "attribute_forbidden", `${where} splits users by ${q(attr)}, which is marked forbidden.`);
  }
}

function clauseEnv(catalog: CatalogAttribute[], segments: Segment[], issues: Issues): ClauseEnv {
  const cat = new Map<string, CatalogAttribute>();
  for (const a of arr<CatalogAttribute>(catalog)) if (isObj(a) && typeof a.key === "string") cat.set(a.key, a);
  const segs = new Map<string, Segment>();
  for (const s of arr<Segment>(segments)) if (isObj(s) && typeof s.key === "string" && !segs.has(s.key)) segs.set(s.key, s);
  return { catalog: cat, segments: segs, cyclicSegments: findSegmentCycles(segs), issues };
}

export function validateFlagConfig(
  config: FlagConfig,
  catalog: CatalogAttribute[],
  segments: Segment[],
  flags: Flag[],
  self: FlagDefinition,
): ValidationIssue[] {
  const issues = new Issues();
  if (!isObj(config)) {
    issues.error([], "config_missing", "The configuration is missing.");
    return issues.list;
  }
  const env = clauseEnv(catalog, segments, issues);
  const variationList = arr<{ key: string }>(self?.variations).filter(isObj);
  const variations = new Set(variationList.map((v) => v.key));
  const seenVar = new Set<string>();
  variationList.forEach((v, i) => {
    if (seenVar.has(v.key)) issues.error(["variations", i, "key"], "variation_duplicate", `Two variations are called ${q(v.key)}.`);
    seenVar.add(v.key);
  });
  if (variations.size === 0) issues.error(["variations"], "variations_empty", "The flag has no variations.");
  if (self?.controlVariation !== undefined && !variations.has(self.controlVariation)) {
    issues.error(["controlVariation"], "variation_unknown", `The control variation ${q(self.controlVariation)} is not one of this flag's variations.`);
  }
  const vt = self?.valueType;
  variationList.forEach((v, i) => {
    const value = (v as { value?: unknown }).value;
    const ok =
      vt === "boolean" ? typeof value === "boolean" : vt === "string" ? typeof value === "string" : vt === "number" ? typeof value === "number" && Number.isFinite(value) : true;
    if (!ok) issues.error(["variations", i, "value"], "variation_type", `Variation ${q(v.key)} is not a ${vt} value, but this is a ${vt} flag.`);
  });

  if (!variations.has(config.offVariation)) {
    issues.error(["offVariation"], "variation_unknown", `The variation served when the flag is off, ${q(config.offVariation)}, is not one of this flag's variations.`);
  }

  // Targets
  const targeted = new Map<string, number>();
  arr<{ variation: string; values: string[] }>(config.targets).forEach((t, i) => {
    if (!isObj(t)) return issues.error(["targets", i], "target_invalid", `Target list ${i + 1} is not valid.`);
    if (!variations.has(t.variation)) {
      issues.error(["targets", i, "variation"], "variation_unknown", `Individual targets ${i + 1} serve ${q(t.variation)}, which is not one of this flag's variations.`);
    }
    arr<string>(t.values).forEach((k, j) => {
      const prev = targeted.get(k);
      if (prev !== undefined && prev !== i) {
        issues.warn(["targets", i, "values", j], "target_duplicate", `${q(k)} is targeted individually twice; the first list (${prev + 1}) wins.`);
      } else targeted.set(k, i);
    });
  });

  // Rules
  const ids = new Set<string>();
  arr<FlagConfig["rules"][number]>(config.rules).forEach((rule, i) => {
    const where = ruleName(i, rule?.description);
    if (!isObj(rule)) return issues.error(["rules", i], "rule_invalid", `${where} is not valid.`);
    if (typeof rule.id !== "string" || rule.id === "") issues.error(["rules", i, "id"], "rule_id", `${where} has no id.`);
    else if (ids.has(rule.id)) issues.error(["rules", i, "id"], "rule_id_duplicate", `${where} has the same id as an earlier rule (${q(rule.id)}).`);
    ids.add(rule.id);
    const clauses = arr<Clause>(rule.clauses);
    if (clauses.length === 0) issues.warn(["rules", i, "clauses"], "rule_no_conditions", `${where} has no conditions, so it applies to everyone and the rules after it are never reached.`);
    clauses.forEach((c, j) => checkClause(c, ["rules", i, "clauses", j], `${where}, condition ${j + 1}`, env));
    checkServe(rule.serve, ["rules", i, "serve"], where, variations, env);
    if (rule.coverage !== undefined) {
      const p = rule.coverage?.percentage;
      if (typeof p !== "number" || !Number.isInteger(p) || p < 0 || p > BUCKET_SCALE) {
        issues.error(["rules", i, "coverage", "percentage"], "coverage_invalid", `${where} applies to an invalid share of users; use a percentage between 0 and 100.`);
      }
      if (rule.coverage?.bucketBy && rule.coverage.bucketBy !== "targetingKey") checkBucketAttr(rule.coverage.bucketBy, ["rules", i, "coverage", "bucketBy"], where, env);
    }
  });
  checkServe(config.fallthrough, ["fallthrough"], "The default rule", variations, env);

  // Prerequisites
  const selfKey = self?.key;
  const byKey = new Map<string, Flag>();
  for (const f of arr<Flag>(flags)) if (isObj(f) && typeof f.key === "string") byKey.set(f.key, f);
  arr<FlagConfig["prerequisites"][number]>(config.prerequisites).forEach((p, i) => {
    if (!isObj(p)) return;
    const pp = ["prerequisites", i];
    if (p.flagKey === selfKey) {
      issues.error([...pp, "flagKey"], "prerequisite_self", "A flag cannot be its own prerequisite.");
      return;
    }
    const other = byKey.get(p.flagKey);
    if (!other) {
      issues.error([...pp, "flagKey"], "prerequisite_unknown", `Prerequisite flag ${q(p.flagKey)} does not exist.`);
      return;
    }
    const theirs = new Set(arr<{ key: string }>(other.variations).map((v) => v.key));
    for (const v of [p.variation, ...arr<string>(p.variations)]) {
      if (!theirs.has(v)) {
        issues.error([...pp, "variation"], "prerequisite_variation_unknown", `Prerequisite flag ${q(p.flagKey)} has no variation ${q(v)}.`);
      }
    }
  });
  if (typeof selfKey === "string") checkPrerequisiteGraph(selfKey, config, byKey, issues);
  return issues.list;
}

function checkPrerequisiteGraph(selfKey: string, config: FlagConfig, byKey: Map<string, Flag>, issues: Issues): void {
  const prereqsOf = (key: string): string[] => {
    const cfg = key === selfKey ? config : byKey.get(key)?.config;
    return arr<{ flagKey: string }>(cfg?.prerequisites).filter(isObj).map((p) => p.flagKey);
  };
  // Cycle through this flag: a path from one of its prerequisites back to it.
  const direct = prereqsOf(selfKey);
  direct.forEach((start, i) => {
    if (start === selfKey) return;
    const seen = new Set<string>();
    const stack: { key: string; path: string[] }[] = [{ key: start, path: [selfKey, start] }];
    while (stack.length) {
      const { key, path } = stack.pop()!;
      if (seen.has(key)) continue;
      seen.add(key);
      for (const next of prereqsOf(key)) {
        if (next === selfKey) {
          issues.error(["prerequisites", i, "flagKey"], "prerequisite_cycle", `Prerequisites would form a cycle: ${[...path, selfKey].join(" → ")}.`);
          return;
        }
        if (byKey.has(next)) stack.push({ key: next, path: [...path, next] });
      }
    }
  });
  // Depth of the longest chain below this flag (cycles elsewhere are cut).
  const memo = new Map<string, number>();
  const onPath = new Set<string>();
  const depth = (key: string): number => {
    const m = memo.get(key);
    if (m !== undefined) return m;
    if (onPath.has(key)) return 0;
    onPath.add(key);
    let d = 0;
    for (const p of prereqsOf(key)) if (p === selfKey || byKey.has(p)) d = Math.max(d, 1 + depth(p));
    onPath.delete(key);
    memo.set(key, d);
    return d;
  };
  const d = depth(selfKey);
  if (d > MAX_PREREQUISITE_DEPTH) {
    issues.error(["prerequisites"], "prerequisite_depth", `Prerequisites are chained ${d} levels deep; at most ${MAX_PREREQUISITE_DEPTH} levels are allowed.`);
  }
}

export function validateSegment(segment: Segment, catalog: CatalogAttribute[], segments: Segment[]): ValidationIssue[] {
  const issues = new Issues();
  if (!isObj(segment) || typeof segment.key !== "string") {
    issues.error([], "segment_invalid", "The segment is missing or has no key.");
    return issues.list;
  }
  const others = arr<Segment>(segments).filter((s) => isObj(s) && s.key !== segment.key);
  const env = clauseEnv(catalog, [segment, ...others], issues);
  if (env.cyclicSegments.has(segment.key)) {
    issues.error(["rules"], "segment_cycle", `Segment ${q(segment.key)} refers back to itself through other segments; segments cannot form a cycle.`);
    env.cyclicSegments.delete(segment.key);
  }
  const excluded = new Set(arr<string>(segment.excluded));
  arr<string>(segment.included).forEach((k, i) => {
    if (excluded.has(k)) {
      issues.warn(["included", i], "key_included_and_excluded", `${q(k)} is both included and excluded; it is excluded (exclusion wins).`);
    }
  });
  arr<Segment["rules"][number]>(segment.rules).forEach((rule, i) => {
    if (!isObj(rule)) return issues.error(["rules", i], "rule_invalid", `Rule ${i + 1} is not valid.`);
    arr<Clause>(rule.clauses).forEach((c, j) => {
      if (isObj(c) && (c.op === "inSegment" || c.op === "notInSegment") && arr<unknown>(c.values).includes(segment.key)) {
        issues.error(["rules", i, "clauses", j, "values"], "segment_cycle", `Rule ${i + 1}, condition ${j + 1} refers to this segment itself.`);
        return;
      }
      checkClause(c, ["rules", i, "clauses", j], `Rule ${i + 1}, condition ${j + 1}`, env);
    });
  });
  return issues.list;
}
