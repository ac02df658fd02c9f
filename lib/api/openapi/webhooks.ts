import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { projectKeySchema } from "@/lib/schemas/project";
import {
  createWebhookBodySchema,
  deliveriesQuerySchema,
  updateWebhookBodySchema,
  webhookDeliverySchema,
  webhookSchema,
  webhookWithSecretSchema,
} from "@/lib/schemas/webhook";
import { bearerSecurity, standardErrors } from "./shared";

export function registerWebhookRoutes(registry: OpenAPIRegistry) {
  const Webhook = webhookSchema.meta({ id: "Webhook" });
  const params = z.object({ project: projectKeySchema });
  const one = params.extend({ id: z.string() });
  const path = "/api/v1/projects/{project}/webhooks";
  registry.registerPath({
    method: "get",
    path,
    summary: "List the project's webhooks (never their secrets)",
    security: bearerSecurity,
    request: { params },
    responses: { 200: { description: "Webhooks", content: { "application/json": { schema: z.object({ webhooks: z.array(Webhook) }) } } }, ...standardErrors },
  });
  registry.registerPath({
    method: "post",
    path,
    summary: "Create a webhook; the signing secret is in this response only",
    description: "The URL must be http(s) and, unless the server sets WEBHOOK_ALLOW_PRIVATE=1, resolve to public addresses only. Needs the admin role.",
    security: bearerSecurity,
    request: { params, body: { content: { "application/json": { schema: createWebhookBodySchema.meta({ id: "CreateWebhook" }) } } } },
    responses: { 201: { description: "Created", content: { "application/json": { schema: webhookWithSecretSchema.meta({ id: "CreatedWebhook" }) } } }, ...standardErrors },
  });
  registry.registerPath({
    method: "patch",
    path: `${path}/{id}`,
    summary: "Change a webhook's settings (any subset of fields)",
    security: bearerSecurity,
    request: { params: one, body: { content: { "application/json": { schema: updateWebhookBodySchema.meta({ id: "UpdateWebhook" }) } } } },
    responses: { 200: { description: "Updated", content: { "application/json": { schema: Webhook } } }, ...standardErrors },
  });
  registry.registerPath({
    method: "delete",
    path: `${path}/{id}`,
    summary: "Delete a webhook and its delivery log",
    security: bearerSecurity,
    request: { params: one },
    responses: { 204: { description: "Deleted" }, ...standardErrors },
  });
  registry.registerPath({
    method: "get",
    path: `${path}/{id}/deliveries`,
    summary: "A webhook's delivery log, newest first, with each attempt's answer",
    security: bearerSecurity,
    request: { params: one, query: deliveriesQuerySchema },
    responses: {
      200: { description: "Deliveries", content: { "application/json": { schema: z.object({ deliveries: z.array(webhookDeliverySchema.meta({ id: "WebhookDelivery" })) }) } } },
      ...standardErrors,
    },
  });
}
