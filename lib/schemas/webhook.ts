import { z } from "zod";
import { PROJECT_EVENT_TYPES } from "@/lib/notifications/project-events";
import { DEFAULT_MAX_ATTEMPTS } from "@/lib/notifications/retry-policy";
import { nameSchema } from "./common";
import { projectKeySchema } from "./project";

/** Only http(s): other schemes (file:, gopher:, javascript:…) are refused before anything resolves. */
export const webhookUrlSchema = z
  .string()
  .trim()
  .max(2000, "Use at most 2000 characters.")
  .pipe(z.url({ protocol: /^https?$/, error: "Enter an http:// or https:// URL." }));

export const webhookEventSchema = z.enum(PROJECT_EVENT_TYPES, { error: `Choose events from: ${PROJECT_EVENT_TYPES.join(", ")}.` });
export const webhookFormatSchema = z.enum(["json", "slack"], { error: "Choose json (for programs) or slack (a Slack-compatible message)." });

const settingsShape = {
  name: nameSchema,
  url: webhookUrlSchema,
  events: z.array(webhookEventSchema).min(1, "Subscribe to at least one event.").max(PROJECT_EVENT_TYPES.length),
  format: webhookFormatSchema,
  enabled: z.boolean(),
  timeoutMs: z.coerce.number().int("Use whole milliseconds.").min(500, "Use at least 500 ms.").max(30_000, "Use at most 30 000 ms (30 s)."),
  maxAttempts: z.coerce.number().int().min(1, "Allow at least 1 attempt.").max(12, "Allow at most 12 attempts."),
};

/** The REST body for creating; the console form adds the project. */
export const createWebhookBodySchema = z.object({
  ...settingsShape,
  events: settingsShape.events,
  format: settingsShape.format.default("json"),
  enabled: settingsShape.enabled.default(true),
  timeoutMs: settingsShape.timeoutMs.default(5000),
  maxAttempts: settingsShape.maxAttempts.default(DEFAULT_MAX_ATTEMPTS),
});
export const updateWebhookBodySchema = z
  .object(settingsShape)
  .partial()
  .refine((body) => Object.keys(body).length > 0, { message: "Send at least one field to change." });

const webhookRef = { projectKey: projectKeySchema, webhookId: z.string().min(1).max(100) };
export const createWebhookSchema = createWebhookBodySchema.extend({ projectKey: projectKeySchema });
export const updateWebhookSchema = z.object({ ...webhookRef, changes: updateWebhookBodySchema });
export const webhookRefSchema = z.object(webhookRef);
export const redeliverWebhookSchema = z.object({ ...webhookRef, deliveryId: z.string().min(1).max(100) });
export const deliveriesQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });

export const webhookSchema = z.object({
  id: z.string(),
  name: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  format: webhookFormatSchema,
  enabled: z.boolean(),
  timeoutMs: z.number(),
  maxAttempts: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const webhookWithSecretSchema = webhookSchema.extend({
  secret: z.string().meta({ description: "The signing secret. Shown only in this response; store it now." }),
});
const attemptSchema = z.object({
  attempt: z.number(),
  startedAt: z.string(),
  durationMs: z.number(),
  responseStatus: z.number().nullable(),
  responseBody: z.string().nullable(),
  error: z.string().nullable(),
});
export const webhookDeliverySchema = z.object({
  id: z.string(),
  event: z.string(),
  status: z.enum(["pending", "succeeded", "failed"]),
  attempts: z.number(),
  nextAttemptAt: z.string().nullable(),
  lastAttemptAt: z.string().nullable(),
  responseStatus: z.number().nullable(),
  error: z.string().nullable(),
  durationMs: z.number().nullable(),
  createdAt: z.string(),
  deliveredAt: z.string().nullable(),
  attemptLog: z.array(attemptSchema),
});
