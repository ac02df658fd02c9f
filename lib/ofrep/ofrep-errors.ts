/** OFREP's error codes (openapi 0.3.0). */
export type OfrepErrorCode = "PARSE_ERROR" | "TARGETING_KEY_MISSING" | "INVALID_CONTEXT" | "GENERAL" | "FLAG_NOT_FOUND";

export interface OfrepFailure {
  key: string;
  errorCode: OfrepErrorCode;
  errorDetails?: string;
}

export interface OfrepSuccess {
  key: string;
  value: unknown;
  reason: string;
  variant?: string;
  metadata?: Record<string, string | number | boolean>;
}

export class OfrepRequestError extends Error {
  constructor(
    readonly errorCode: Extract<OfrepErrorCode, "PARSE_ERROR" | "INVALID_CONTEXT">,
    message: string,
  ) {
    super(message);
  }
}
