import { compileSnapshot, errorResult, toContext, type CompiledSnapshot, type InternalResult } from "./compile";
import type { EvaluationContext, EvaluationResult, Flag, JsonValue, Segment } from "./types";

export interface EvaluateOptions {
  /** The clock for date clauses on `currentTime`, in ms since the epoch; default Date.now(). */
  now?: number;
  /** Served with reason ERROR when the flag cannot be evaluated; default null. */
  defaultValue?: JsonValue;
}

function jsonKind(v: unknown): string {
  return v === null || typeof v !== "object" ? typeof v : "object";
}

function finish(r: InternalResult, options: EvaluateOptions | undefined): EvaluationResult {
  const dv = options?.defaultValue;
  if (r.reason === "ERROR") {
    return { ...r, value: dv === undefined ? null : dv };
  }
  if (dv !== undefined && dv !== null && jsonKind(dv) !== jsonKind(r.value)) {
    return {
      value: dv,
      reason: "ERROR",
      errorCode: "TYPE_MISMATCH",
      errorMessage: `The flag serves a ${jsonKind(r.value)}, but the caller expected a ${jsonKind(dv)}.`,
    };
  }
  return r;
}

/**
 * Evaluate one flag of a compiled snapshot: off → prerequisites → targets → rules (first match)
 * → fallthrough. Never throws: problems come back as reason ERROR with a code and the caller's
 * default. Results for fixed serves are shared and frozen; treat every result as read-only.
 */
export function evaluateFlag(
  snapshot: CompiledSnapshot,
  flagKey: string,
  context: EvaluationContext,
  options?: EvaluateOptions,
): EvaluationResult {
  try {
    const f = snapshot.flags.get(flagKey);
    if (f === undefined) return finish(errorResult("FLAG_NOT_FOUND", `There is no flag ${String(flagKey)}.`), options);
    const now = options !== undefined && typeof options.now === "number" ? options.now : NaN;
    const ctx = typeof context === "object" && context !== null ? (context as Record<string, unknown>) : toContext(context);
    return finish(f.evaluate(ctx, now, 0), options);
  } catch (e) {
    return finish(errorResult("GENERAL", `Evaluation failed: ${safeMessage(e)}`), options);
  }
}

function safeMessage(e: unknown): string {
  try {
    return e instanceof Error ? e.message : String(e);
  } catch {
    return "unknown error";
  }
}

/** Every flag of the snapshot for one context (OFREP bulk evaluation). */
export function evaluateAll(
  snapshot: CompiledSnapshot,
  context: EvaluationContext,
  options?: EvaluateOptions,
): Map<string, EvaluationResult> {
  const out = new Map<string, EvaluationResult>();
  try {
    for (const key of snapshot.flagKeys) out.set(key, evaluateFlag(snapshot, key, context, options));
  } catch {
    // A malformed snapshot object: return what we have.
  }
  return out;
}

/**
 * Convenience for previews and tests: compile `flag` (with the segments and other flags it may
 * need) and evaluate it. Servers should compile a snapshot once and call `evaluateFlag`.
 */
export function evaluate(
  flag: Flag,
  context: EvaluationContext,
  env?: { segments?: Segment[]; flags?: Flag[]; now?: number; optOutAttribute?: string; defaultValue?: JsonValue },
): EvaluationResult {
  const options: EvaluateOptions = { now: env?.now, defaultValue: env?.defaultValue };
  try {
    const others = Array.isArray(env?.flags) ? env!.flags.filter((f) => f?.key !== flag?.key) : [];
    const snapshot = compileSnapshot({
      flags: [flag, ...others],
      segments: Array.isArray(env?.segments) ? env!.segments : [],
      optOutAttribute: env?.optOutAttribute,
    });
    const key = typeof flag === "object" && flag !== null && typeof flag.key === "string" ? flag.key : undefined;
    if (key === undefined) return finish(errorResult("MALFORMED_FLAG", "The flag has no key."), options);
    return evaluateFlag(snapshot, key, context, options);
  } catch (e) {
    return finish(errorResult("GENERAL", `Evaluation failed: ${safeMessage(e)}`), options);
  }
}
