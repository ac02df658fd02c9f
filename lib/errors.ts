/**
 * Errors the application expects and answers with a clear message. Anything else is a bug
 * and becomes a logged 500 with a generic message.
 */
export type ErrorCode =
  | "BAD_REQUEST"
  | "VALIDATION_FAILED"
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "REVIEW_REQUIRED"
  | "RATE_LIMITED"
  | "PAYLOAD_TOO_LARGE";

const STATUS: Record<ErrorCode, number> = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  REVIEW_REQUIRED: 409,
  RATE_LIMITED: 429,
  PAYLOAD_TOO_LARGE: 413,
};

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

export class AppError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "AppError";
    this.status = STATUS[code];
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.details === undefined ? {} : { details: this.details }) } };
  }
}

export const notFound = (what: string) => new AppError("NOT_FOUND", `${what} was not found.`);
export const forbidden = (message = "You do not have permission to do this.") => new AppError("FORBIDDEN", message);
export const unauthenticated = (message = "Sign in to continue.") => new AppError("UNAUTHENTICATED", message);
export const conflict = (message: string, details?: unknown) => new AppError("CONFLICT", message, details);

/** Field path → message, like a schema failure, for rules the schema cannot check (policies, lookups). */
export function fieldsInvalid(fields: Record<string, string>): AppError {
  return new AppError("VALIDATION_FAILED", Object.values(fields)[0] ?? "The request is not valid.", { fields });
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
