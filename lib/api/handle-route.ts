import type { z } from "zod";
import type { Actor } from "@/lib/auth/actor";
import { actorFromBearer } from "@/lib/auth/api-actor";
import { fieldErrorsOf } from "@/lib/actions/define-action";
import { AppError, isAppError } from "@/lib/errors";

/** Request bodies larger than this are refused before parsing. */
export const MAX_JSON_BODY_BYTES = 1_000_000;

export function jsonError(error: AppError): Response {
  return Response.json(error.toBody(), { status: error.status });
}

/**
 * Wraps a REST handler: resolves the API token, turns expected errors into
 * `{error: {code, message, details?}}` with their status, and never lets an exception become
 * an HTML 500 page.
 */
export function apiRoute<Params>(
  handler: (request: Request, context: { actor: Actor; params: Params }) => Promise<Response>,
) {
  return async (request: Request, context: { params: Promise<Params> }): Promise<Response> => {
    try {
      const actor = await actorFromBearer(request.headers.get("authorization"));
      return await handler(request, { actor, params: await context.params });
    } catch (error) {
      if (isAppError(error)) return jsonError(error);
      console.error(`${request.method} ${new URL(request.url).pathname} failed`, error);
      return Response.json(
        { error: { code: "INTERNAL", message: "Something went wrong on our side; nothing was changed." } },
        { status: 500 },
      );
    }
  };
}

/** Reads and validates a JSON body with the shared schema; answers 400/413 with what is wrong. */
export async function parseJsonBody<S extends z.ZodType>(request: Request, schema: S): Promise<z.infer<S>> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > MAX_JSON_BODY_BYTES) throw new AppError("PAYLOAD_TOO_LARGE", `Request bodies are limited to ${MAX_JSON_BODY_BYTES} bytes.`);
  const text = await request.text();
  if (text.length > MAX_JSON_BODY_BYTES) throw new AppError("PAYLOAD_TOO_LARGE", `Request bodies are limited to ${MAX_JSON_BODY_BYTES} bytes.`);
  let body: unknown;
  try {
    body = text.length ? JSON.parse(text) : undefined;
  } catch {
    throw new AppError("BAD_REQUEST", "The request body is not valid JSON.");
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new AppError("VALIDATION_FAILED", "The request body is not valid.", {
      fields: fieldErrorsOf(parsed.error),
    });
  }
  return parsed.data;
}
