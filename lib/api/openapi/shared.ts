import { z } from "zod";

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.string().meta({ example: "VALIDATION_FAILED" }),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: "Error" });

const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: errorBodySchema } },
});

/** The error answers every authenticated route can give. */
export const standardErrors = {
  400: errorResponse("The request is malformed or fails validation; `details.fields` names each bad field."),
  401: errorResponse("Missing, unknown, expired or revoked API token."),
  403: errorResponse("The token's role lacks the permission."),
  404: errorResponse("Not found, or not visible to this token."),
};

export const bearerSecurity = [{ apiToken: [] }];
