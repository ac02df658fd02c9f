import { z } from "zod";
import type { EvaluationContext } from "@/lib/evaluation/types";
import { OfrepRequestError } from "./ofrep-errors";

/** Request bodies above this are refused before parsing. */
export const MAX_OFREP_BODY_BYTES = 256 * 1024;

const contextSchema = z.looseObject({ targetingKey: z.string().max(1024).optional() });

/**
 * `{"context": {...}}`, read leniently as the protocol's older versions allowed: an empty body
 * or a missing context is an empty context; `targetingKey` is optional here and only flags that
 * need it answer TARGETING_KEY_MISSING.
 */
export function parseOfrepBody(text: string): EvaluationContext {
  if (text.length > MAX_OFREP_BODY_BYTES) throw new OfrepRequestError("PARSE_ERROR", `The request body exceeds ${MAX_OFREP_BODY_BYTES} bytes.`);
  if (text.trim() === "") return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new OfrepRequestError("PARSE_ERROR", "The request body is not valid JSON.");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new OfrepRequestError("INVALID_CONTEXT", 'The request body must be an object like {"context": {...}}.');
  }
  const context = (body as { context?: unknown }).context;
  if (context === undefined || context === null) return {};
  const parsed = contextSchema.safeParse(context);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `context.${issue.path.join(".")}` : "context";
    throw new OfrepRequestError("INVALID_CONTEXT", `${where}: ${issue?.message ?? "must be an object"}`);
  }
  return parsed.data as EvaluationContext;
}
