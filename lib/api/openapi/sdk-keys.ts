import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { slugSchema } from "@/lib/schemas/common";
import { projectKeySchema } from "@/lib/schemas/project";
import { createdSdkKeySchema, createSdkKeyBodySchema, sdkKeySchema } from "@/lib/schemas/sdk-key";
import { bearerSecurity, standardErrors } from "./shared";

export function registerSdkKeyRoutes(registry: OpenAPIRegistry) {
  const SdkKey = sdkKeySchema.meta({ id: "SdkKey" });
  const params = z.object({ project: projectKeySchema, env: slugSchema });
  const path = "/api/v1/projects/{project}/environments/{env}/sdk-keys";
  registry.registerPath({
    method: "get",
    path,
    summary: "List an environment's SDK keys (prefixes only)",
    security: bearerSecurity,
    request: { params },
    responses: { 200: { description: "Keys", content: { "application/json": { schema: z.object({ sdkKeys: z.array(SdkKey) }) } } }, ...standardErrors },
  });
  registry.registerPath({
    method: "post",
    path,
    summary: "Create an SDK key; the key is in this response only",
    description: "`server` keys evaluate every flag and may download snapshots; `client` keys see only client-visible flags and only evaluated results.",
    security: bearerSecurity,
    request: { params, body: { content: { "application/json": { schema: createSdkKeyBodySchema.meta({ id: "CreateSdkKey" }) } } } },
    responses: { 201: { description: "Created", content: { "application/json": { schema: createdSdkKeySchema.meta({ id: "CreatedSdkKey" }) } } }, ...standardErrors },
  });
  registry.registerPath({
    method: "delete",
    path: `${path}/{keyId}`,
    summary: "Revoke an SDK key (refused everywhere within a second)",
    security: bearerSecurity,
    request: { params: params.extend({ keyId: z.string() }) },
    responses: { 204: { description: "Revoked" }, ...standardErrors },
  });
}
