import { parseCidr } from "../operators/cidr";
import type {
  Clause,
  EvaluationContext,
  EvaluationResult,
  Flag,
  FlagKind,
  JsonValue,
  Prerequisite,
  Rollout,
  RolloutOverride,
  Rule,
  Segment,
  Serve,
  Variation,
} from "../types";

/**
 * Import Unleash's client API payload (`{ version, features, segments }`) as Switchyard flags and
 * segments that evaluate exactly as unleash-client (Node) 6.x does, so migrating teams keep every
 * user in the same bucket. See docs/decisions/0003-unleash-import.md for the mapping:
 *
 * - a toggle is a boolean flag: `value` is whether Unleash calls it enabled; variations are
 *   `off` (disabled), `on` (enabled, no variant) and one per Unleash variant name (value true, the
 *   payload in `metadata.unleash.payload`), so `variationKey` is the variant Unleash would serve;
 * - each strategy becomes a rule (in order; first enabled strategy wins, like Unleash): its
 *   constraints and segments become clauses, its rollout percentage a `coverage` gate with Unleash
 *   strategy hashing (contexts outside it fall through to the next strategy), its variants a
 *   rollout with Unleash variant hashing; without strategy variants the rule serves the feature
 *   variants (or `on`); a toggle with no strategies is enabled for everyone;
 * - `inverted` and NOT_IN become `negate` with `negateMatchesMissing` (Unleash negates the whole
 *   result, missing attribute included); dependencies become prerequisites.
 */

export interface UnleashImport {
  flags: Flag[];
  segments: Segment[];
  warnings: string[];
}

interface UConstraint {
  contextName?: unknown;
  operator?: unknown;
  values?: unknown;
  value?: unknown;
  caseInsensitive?: unknown;
  inverted?: unknown;
}
interface UVariant {
  name?: unknown;
  weight?: unknown;
  stickiness?: unknown;
  payload?: unknown;
  overrides?: { contextName?: unknown; values?: unknown }[];
}
interface UStrategy {
  name?: unknown;
  parameters?: Record<string, unknown>;
  constraints?: unknown;
  segments?: unknown;
  variants?: unknown;
}
interface UFeature {
  name?: unknown;
  type?: unknown;
  enabled?: unknown;
  strategies?: unknown;
  variants?: unknown;
  dependencies?: unknown;
}
interface UDependency {
  feature?: unknown;
  enabled?: unknown;
  variants?: unknown;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const arr = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);

export function unleashSegmentKey(id: unknown): string {
  return `unleash-segment-${String(id)}`;
}

/** Unleash's cleanValues: drop empty values, trim the rest. */
function cleanValues(v: unknown): string[] {
  return arr<unknown>(v)
    .filter((x) => !!x)
    .map((x) => String(x).trim());
}

/** Always false, whatever the context (an `in` with no values never matches). */
function never(attribute: string): Clause {
  return { attribute, op: "in", values: [] };
}

function mapConstraint(c: UConstraint, where: string, warnings: string[]): Clause {
  const attribute = typeof c.contextName === "string" ? c.contextName : String(c.contextName ?? "");
  const inverted = c.inverted === true;
  const ci = c.caseInsensitive === true;
  const neg = (clause: Clause, flip: boolean): Clause =>
    flip ? { ...clause, negate: true, negateMatchesMissing: true } : clause;
  const single = c.value;
  switch (c.operator) {
    case "IN":
      return neg({ attribute, op: "in", values: cleanValues(c.values) }, inverted);
    case "NOT_IN":
      return neg({ attribute, op: "in", values: cleanValues(c.values) }, !inverted);
    case "STR_STARTS_WITH":
    case "STR_ENDS_WITH":
    case "STR_CONTAINS": {
      const op = c.operator === "STR_STARTS_WITH" ? "startsWith" : c.operator === "STR_ENDS_WITH" ? "endsWith" : "contains";
      return neg({ attribute, op, values: cleanValues(c.values), ...(ci ? { caseInsensitive: true } : {}) }, inverted);
    }
    case "NUM_EQ":
    case "NUM_GT":
    case "NUM_GTE":
    case "NUM_LT":
    case "NUM_LTE": {
      const n = Number(single);
      const op = ({ NUM_EQ: "equals", NUM_GT: "gt", NUM_GTE: "gte", NUM_LT: "lt", NUM_LTE: "lte" } as const)[c.operator];
      if (Number.isNaN(n)) warnings.push(`${where}: ${c.operator} value ${JSON.stringify(single)} is not a number; Unleash treats the constraint as false.`);
      return neg({ attribute, op, values: Number.isNaN(n) ? [] : [n] }, inverted);
    }
    case "DATE_AFTER":
    case "DATE_BEFORE": {
      // Unleash compares context.currentTime (default: now) whatever the contextName.
      if (attribute !== "currentTime") warnings.push(`${where}: date constraint on ${attribute} compares the current time, as in Unleash.`);
      const t = new Date(single as string).getTime();
      if (Number.isNaN(t)) warnings.push(`${where}: ${c.operator} value ${JSON.stringify(single)} is not a date; Unleash treats the constraint as false.`);
      return neg({ attribute: "currentTime", op: c.operator === "DATE_AFTER" ? "after" : "before", values: Number.isNaN(t) ? [] : [new Date(t).toISOString()] }, inverted);
    }
    case "SEMVER_EQ":
    case "SEMVER_GT":
    case "SEMVER_GTE":
    case "SEMVER_LT":
    case "SEMVER_LTE": {
      const op = ({ SEMVER_EQ: "semverEq", SEMVER_GT: "semverGt", SEMVER_GTE: "semverGte", SEMVER_LT: "semverLt", SEMVER_LTE: "semverLte" } as const)[c.operator];
      return neg({ attribute, op, values: typeof single === "string" ? [single] : [] }, inverted);
    }
    case "REGEX":
      return neg({ attribute, op: "matches", values: typeof single === "string" ? [single] : [], ...(ci ? { caseInsensitive: true } : {}) }, inverted);
    case "IN_CIDR":
      return neg({ attribute, op: "inCidr", values: cleanValues(c.values) }, inverted);
    default:
      warnings.push(`${where}: unknown constraint operator ${JSON.stringify(c.operator)}; Unleash treats it as false.`);
      return never(attribute);
  }
}

function uniqueKey(base: string, taken: Set<string>): string {
  let k = base;
  let i = 2;
  while (taken.has(k)) k = `${base}-${i++}`;
  return k;
}

function kindOf(type: unknown): FlagKind {
  switch (type) {
    case "experiment":
      return "experiment";
    case "operational":
    case "kill-switch":
      return "operational";
    case "permission":
      return "permission";
    default:
      return "release";
  }
}

interface FeaturePlan {
  feature: UFeature;
  name: string;
  offKey: string;
  onKey: string;
  /** Unleash variant name → variation key (the same string). */
  variants: Set<string>;
  variations: Variation[];
}

function percentUnits(v: unknown): number {
  const n = Number(v);
  if (Number.isNaN(n) || n <= 0) return 0;
  // normalised values are whole percents, so flooring the units keeps `n <= percentage` exact.
  return Math.min(100_000, Math.floor(n * 1000));
}

export function importUnleash(payload: unknown): UnleashImport {
  const warnings: string[] = [];
  if (!isObj(payload)) {
    return { flags: [], segments: [], warnings: ["The payload is not an object with features."] };
  }
  const features = arr<UFeature>(payload.features).filter(isObj);

  // Segments
  const segments: Segment[] = [];
  const segmentKeys = new Set<string>();
  for (const s of arr<{ id?: unknown; constraints?: unknown }>(payload.segments).filter(isObj)) {
    const key = unleashSegmentKey(s.id);
    if (segmentKeys.has(key)) continue;
    segmentKeys.add(key);
    segments.push({
      key,
      included: [],
      excluded: [],
      rules: [
        {
          id: "constraints",
          match: "all",
          clauses: arr<UConstraint>(s.constraints).filter(isObj).map((c, i) => mapConstraint(c, `segment ${String(s.id)} constraint ${i + 1}`, warnings)),
        },
      ],
    });
  }

  // Variations per feature first: dependencies refer to their parents' variations.
  const plans = new Map<string, FeaturePlan>();
  for (const feature of features) {
    const name = typeof feature.name === "string" ? feature.name : String(feature.name);
    if (plans.has(name)) {
      warnings.push(`Feature ${name} appears twice; the first one is imported.`);
      continue;
    }
    const variants = new Set<string>();
    const variations: Variation[] = [];
    const addVariants = (list: unknown, where: string) => {
      for (const v of arr<UVariant>(list).filter(isObj)) {
        const vname = typeof v.name === "string" ? v.name : String(v.name);
        const payloadValue = (v.payload === undefined ? null : v.payload) as JsonValue;
        if (variants.has(vname)) {
          const existing = variations.find((x) => x.key === vname)!;
          const prev = JSON.stringify((existing.metadata?.unleash as { payload?: JsonValue })?.payload ?? null);
          if (prev !== JSON.stringify(payloadValue)) {
            warnings.push(`${name}: variant ${vname} has different payloads in ${where} and elsewhere; the first payload is kept.`);
          }
          continue;
        }
        variants.add(vname);
        variations.push({ key: vname, value: true, name: vname, metadata: { unleash: { variant: true, payload: payloadValue } } });
      }
    };
    addVariants(feature.variants, "the feature variants");
    arr<UStrategy>(feature.strategies).forEach((s, i) => isObj(s) && addVariants(s.variants, `strategy ${i + 1}`));
    const taken = new Set(variants);
    const offKey = uniqueKey("off", taken);
    taken.add(offKey);
    const onKey = uniqueKey("on", taken);
    variations.unshift(
      { key: offKey, value: false, name: "disabled", description: "Unleash: the toggle is disabled" },
      { key: onKey, value: true, name: "enabled", description: "Unleash: the toggle is enabled, without a variant" },
    );
    plans.set(name, { feature, name, offKey, onKey, variants, variations });
  }

  const flags: Flag[] = [];
  for (const plan of plans.values()) {
    flags.push(importFeature(plan, plans, segmentKeys, warnings));
  }
  return { flags, segments, warnings };
}

function variantServe(list: unknown, groupId: string, stickiness: unknown, fallback: Serve): Serve {
  const variants = arr<UVariant>(list).filter(isObj);
  const weights = variants.map((v) => ({ variation: typeof v.name === "string" ? v.name : String(v.name), weight: Number(v.weight) || 0 }));
  const total = weights.reduce((a, w) => a + w.weight, 0);
  if (variants.length === 0 || total <= 0) return fallback;
  const overrides: RolloutOverride[] = [];
  for (const v of variants) {
    for (const o of arr<{ contextName?: unknown; values?: unknown }>(v.overrides).filter(isObj)) {
      overrides.push({ attribute: String(o.contextName), values: arr<unknown>(o.values).map(String), variation: String(v.name) });
    }
  }
  const rollout: Rollout = {
    weights,
    unleash: { groupId, stickiness: typeof stickiness === "string" && stickiness !== "" ? stickiness : "default" },
  };
  if (overrides.length > 0) rollout.overrides = overrides;
  return { rollout };
}

function importFeature(plan: FeaturePlan, plans: Map<string, FeaturePlan>, segmentKeys: Set<string>, warnings: string[]): Flag {
  const { feature, name, offKey, onKey } = plan;
  let on = !!feature.enabled;
  const onServe: Serve = { variation: onKey };
  const featureVariants = arr<UVariant>(feature.variants).filter(isObj);
  const featureServe = variantServe(feature.variants, name, featureVariants[0]?.stickiness, onServe);

  // Dependencies → prerequisites.
  const prerequisites: Prerequisite[] = [];
  for (const dep of arr<UDependency>(feature.dependencies).filter(isObj)) {
    const parentName = String(dep.feature);
    const parent = plans.get(parentName);
    if (!parent) {
      warnings.push(`${name}: depends on ${parentName}, which is not in the payload; it stays disabled, as in Unleash.`);
      prerequisites.push({ flagKey: parentName, variation: "on" });
      continue;
    }
    if (arr(parent.feature.dependencies).length > 0) {
      warnings.push(`${name}: depends on ${parentName}, which has dependencies of its own; Unleash never enables such a toggle, so it is imported as off.`);
      on = false;
      continue;
    }
    let accepted: string[];
    if (dep.enabled === false) accepted = [parent.offKey];
    else {
      const wanted = arr<unknown>(dep.variants).map(String);
      if (wanted.length === 0) accepted = [parent.onKey, ...parent.variants];
      else {
        accepted = wanted.filter((w) => parent.variants.has(w));
        // Unleash reports an enabled toggle without a variant as the variant "disabled".
        if (wanted.includes("disabled")) accepted.push(parent.onKey);
      }
    }
    accepted = [...new Set(accepted)];
    if (accepted.length === 0) {
      warnings.push(`${name}: depends on variants of ${parentName} that it does not have; the dependency can never be satisfied.`);
      const taken = new Set(parent.variations.map((v) => v.key));
      prerequisites.push({ flagKey: parentName, variation: uniqueKey("unsatisfiable", taken) });
      continue;
    }
    const p: Prerequisite = { flagKey: parentName, variation: accepted[0] };
    if (accepted.length > 1) p.variations = accepted;
    prerequisites.push(p);
  }

  // Strategies → rules.
  const rules: Rule[] = [];
  const strategies = feature.strategies;
  if (strategies !== undefined && !Array.isArray(strategies)) {
    warnings.push(`${name}: strategies is not a list; Unleash treats the toggle as disabled.`);
  }
  const list = arr<UStrategy>(strategies);
  list.forEach((s, i) => {
    if (!isObj(s)) return;
    const where = `${name} strategy ${i + 1}`;
    const params = isObj(s.parameters) ? s.parameters : {};
    const clauses: Clause[] = arr<UConstraint>(s.constraints)
      .filter((c) => c !== null && c !== undefined)
      .map((c, j) => (isObj(c) ? mapConstraint(c, `${where} constraint ${j + 1}`, warnings) : never("")));
    for (const id of arr<unknown>(s.segments)) {
      const key = unleashSegmentKey(id);
      if (!segmentKeys.has(key)) warnings.push(`${where}: segment ${String(id)} is not in the payload; the strategy never matches, as in Unleash.`);
      clauses.push({ attribute: "", op: "inSegment", values: [key] });
    }
    const strategyVariants = arr<UVariant>(s.variants).filter(isObj);
    const groupForVariants = params.groupId === undefined ? "undefined" : String(params.groupId);
    const serve = variantServe(s.variants, groupForVariants, strategyVariants[0]?.stickiness || params.stickiness, featureServe);
    const base = { id: `s${i + 1}-${String(s.name)}`, description: `Unleash strategy ${String(s.name)}` };
    const push = (extra: Clause[], coverage?: Rule["coverage"], suffix = "") =>
      rules.push({ ...base, id: base.id + suffix, clauses: [...clauses, ...extra], serve, ...(coverage ? { coverage } : {}) });
    const groupId = typeof params.groupId === "string" ? params.groupId : params.groupId ? String(params.groupId) : "";
    switch (s.name) {
      case "default":
        push([]);
        break;
      case "userWithId": {
        const ids = typeof params.userIds === "string" && params.userIds ? params.userIds.split(/\s*,\s*/) : [];
        push([{ attribute: "userId", op: "in", values: ids }]);
        break;
      }
      case "gradualRolloutUserId":
      case "gradualRolloutSessionId":
        push([], {
          percentage: percentUnits(params.percentage),
          unleash: { groupId, stickiness: s.name === "gradualRolloutUserId" ? "userId" : "sessionId" },
        });
        break;
      case "gradualRolloutRandom":
        push([], { percentage: percentUnits(params.percentage), unleash: { groupId, stickiness: "random" } });
        break;
      case "flexibleRollout":
        push([], {
          percentage: percentUnits(params.rollout),
          unleash: { groupId, stickiness: typeof params.stickiness === "string" && params.stickiness ? params.stickiness : "default" },
        });
        break;
      case "remoteAddress": {
        if (typeof params.IPs !== "string" || params.IPs === "") break; // never enabled
        const entries = params.IPs.split(/\s*,\s*/);
        const v4 = entries.filter((e) => parseCidr(e)?.family === 4 && !/\s/.test(e));
        const exact = entries.filter((e) => !v4.includes(e));
        // Unleash: exact string match, or an IPv4 subnet containing the address.
        if (v4.length > 0) push([{ attribute: "remoteAddress", op: "inCidr", values: v4 }]);
        if (exact.length > 0) push([{ attribute: "remoteAddress", op: "in", values: exact }], undefined, "-exact");
        break;
      }
      default:
        warnings.push(`${where}: strategy ${JSON.stringify(s.name)} is not supported (Unleash skips strategies it does not know); it is left out.`);
    }
  });

  const fallthrough: Serve = list.length === 0 && Array.isArray(strategies) ? featureServe : { variation: offKey };
  if (strategies === undefined) {
    // Unleash: a feature without a strategies list is malformed and disabled.
    warnings.push(`${name}: has no strategies list; Unleash treats it as disabled.`);
  }

  return {
    key: name,
    kind: kindOf(feature.type),
    valueType: "boolean",
    variations: plan.variations,
    config: { on, offVariation: offKey, targets: [], rules, fallthrough, prerequisites },
  };
}

/**
 * An Unleash context as a Switchyard context: userId, sessionId, remoteAddress, environment,
 * appName, currentTime (and any other top-level field) keep their names, `properties.x` becomes
 * `x` (a top-level field of the same name wins, as in Unleash), and userId is also the targeting key.
 */
export function unleashContextToSwitchyard(context: unknown): EvaluationContext {
  const out: EvaluationContext = {};
  if (!isObj(context)) return out;
  const props = context.properties;
  if (isObj(props)) {
    for (const [k, v] of Object.entries(props)) if (v !== undefined && v !== null) out[k] = v;
  }
  for (const [k, v] of Object.entries(context)) {
    if (k === "properties" || v === undefined || v === null) continue;
    out[k] = v instanceof Date ? v.toISOString() : v;
  }
  if (typeof context.userId === "string" || typeof context.userId === "number") out.targetingKey = String(context.userId);
  return out;
}

export interface UnleashVariantView {
  name: string;
  enabled: boolean;
  feature_enabled: boolean;
  payload?: JsonValue;
}

/** What Unleash's `getVariant` would return, read from an imported flag's result. */
export function toUnleashVariant(result: EvaluationResult, flag: Flag | undefined): UnleashVariantView {
  const featureEnabled = result.value === true;
  const variation = flag?.variations.find((v) => v.key === result.variationKey);
  const meta = variation?.metadata?.unleash as { variant?: boolean; payload?: JsonValue } | undefined;
  if (featureEnabled && meta?.variant) {
    const view: UnleashVariantView = { name: variation!.key, enabled: true, feature_enabled: true };
    if (meta.payload !== null && meta.payload !== undefined) view.payload = meta.payload;
    return view;
  }
  return { name: "disabled", enabled: false, feature_enabled: featureEnabled };
}
