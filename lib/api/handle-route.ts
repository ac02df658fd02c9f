import type { z } from "zod";
import type { Actor } from "@/lib/auth/actor";
import { actorFromBearer } from "@/lib/auth/api-actor";
import { fieldErrorsOf } from "@/lib/actions/define-action";
import { requestMetaFrom } from "@/lib/audit/request-meta";
import { AppError, isAppError } from "@/lib/errors";

/** Request bodies larger than this are refused before parsing. */
export const MAX_JSON_BODY_BYTES = 1_000_000;

export function jsonError(error: AppError): Response {
  return Response.json(error.toBody(), { status: error.status });
}

/**
 * Wraps a REST handler: resolves the API token (with the request's address, user agent and id
 * attached for the audit log), turns expected errors into `{error: {code, message, details?}}`
 * with their status, and never lets an exception become an HTML 500 page.
 */
export function apiRoute<Params>(
  handler: (request: Request, context: { actor: Actor; params: Params }) => Promise<Response>,
) {
  return async (request: Request, context: { params: Promise<Params> }): Promise<Response> => {
    const meta = requestMetaFrom(request.headers);
    try {
      const actor = await actorFromBearer(request.headers.get("authorization"));
      return withRequestId(await handler(request, { actor: { ...actor, request: meta }, params: await context.params }), meta.requestId);
    } catch (error) {
      if (isAppError(error)) return withRequestId(jsonError(error), meta.requestId);
      console.error(`${request.method} ${new URL(request.url).pathname} failed (request ${meta.requestId})`, error);
      return withRequestId(
        Response.json({ error: { code: "INTERNAL", message: "Something went wrong on our side; nothing was changed." } }, { status: 500 }),
        meta.requestId,
      );
    }
  };
}

/** Echoes the request id (the one in the audit entry) so a caller can find its change later. */
function withRequestId(response: Response, requestId: string): Response {
  try {
    if (!response.headers.has("x-request-id")) response.headers.set("x-request-id", requestId);
  } catch {
    // a response with immutable headers (a proxied fetch) goes out as it is
  }
  return response;
}

/**
 * Reads and validates a JSON body with the shared schema; answers 400/413 with what is wrong.
 * `maxBytes` raises the limit for routes that take bulk data (segment key lists, imports).
 */
export async function parseJsonBody<S extends z.ZodType>(request: Request, schema: S, options: { maxBytes?: number } = {}): Promise<z.infer<S>> {
  const limit = options.maxBytes ?? MAX_JSON_BODY_BYTES;
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > limit) throw new AppError("PAYLOAD_TOO_LARGE", `Request bodies are limited to ${limit} bytes here.`);
  const text = await request.text();
  if (text.length > limit) throw new AppError("PAYLOAD_TOO_LARGE", `Request bodies are limited to ${limit} bytes here.`);
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

/** Validates the query string (each parameter once, as a string) with a schema; 400 names the bad parameters. */
export function parseSearchParams<S extends z.ZodType>(request: Request, schema: S): z.infer<S> {
  const params: Record<string, string> = {};
  for (const [name, value] of new URL(request.url).searchParams) {
    if (value !== "") params[name] ??= value;
  }
  const parsed = schema.safeParse(params);
  if (!parsed.success) {
    throw new AppError("VALIDATION_FAILED", "The query parameters are not valid.", { fields: fieldErrorsOf(parsed.error) });
  }
  return parsed.data;
}

/** Validates one path parameter (a change request number…); 400 says which and why. */
export function parseParam<S extends z.ZodType>(schema: S, value: string, label: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new AppError("VALIDATION_FAILED", `The ${label} “${value}” is not valid: ${parsed.error.issues[0]?.message ?? "invalid"}.`);
  return parsed.data;
}
