import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { slugSchema } from "@/lib/schemas/common";
import { flagConfigResponseSchema, replaceFlagConfigBodySchema } from "@/lib/schemas/flag-config-request";
import { projectKeySchema } from "@/lib/schemas/project";
import { bearerSecurity, standardErrors } from "./shared";

export function registerFlagConfigRoutes(registry: OpenAPIRegistry) {
  const FlagConfigResponse = flagConfigResponseSchema.meta({ id: "FlagConfiguration" });
  const params = z.object({ project: projectKeySchema, env: slugSchema, key: z.string().meta({ description: "Flag key, URL-encoded" }) });
  const path = "/api/v1/projects/{project}/environments/{env}/flags/{key}";
  registry.registerPath({
    method: "get",
    path,
    summary: "Read a flag's configuration in an environment",
    security: bearerSecurity,
    request: { params },
    responses: { 200: { description: "The configuration and its version", content: { "application/json": { schema: FlagConfigResponse } } }, ...standardErrors },
  });
  registry.registerPath({
    method: "put",
    path,
    summary: "Replace a flag's configuration (optimistic concurrency on `version`)",
    description:
      "Validated like the console (unknown variations, weights not summing to 100 %, unknown segments, unsafe regular expressions…; `details.issues` lists each with its path). Environments that require review answer 409 REVIEW_REQUIRED.",
    security: bearerSecurity,
    request: { params, body: { content: { "application/json": { schema: replaceFlagConfigBodySchema.meta({ id: "ReplaceFlagConfiguration" }) } } } },
    responses: {
      200: { description: "Saved", content: { "application/json": { schema: FlagConfigResponse } } },
      ...standardErrors,
      409: { ...standardErrors[400], description: "The version is stale (details carry the current one), or the environment requires review." },
    },
  });
}
