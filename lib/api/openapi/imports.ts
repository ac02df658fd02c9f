import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { slugSchema } from "@/lib/schemas/common";
import { projectKeySchema } from "@/lib/schemas/project";
import { unleashImportResultSchema, unleashPayloadSchema } from "@/lib/schemas/unleash-import";
import { bearerSecurity, standardErrors } from "./shared";

export function registerImportRoutes(registry: OpenAPIRegistry) {
  registry.registerPath({
    method: "post",
    path: "/api/v1/projects/{project}/environments/{env}/import/unleash",
    summary: "Import Unleash toggles and segments into an environment",
    description:
      "Takes Unleash's client API payload (`GET /api/client/features` of the source environment; up to 16 MB) and imports it in one transaction, evaluating exactly as unleash-client would (docs: lib/evaluation/unleash/README.md). New toggles become boolean flags configured here and off in the other environments; existing flags get their configuration here replaced (new version); segments are keyed `unleash-segment-<id>`. Needs flags:write and segments:write. Environments that require review answer 409 REVIEW_REQUIRED; payloads that would break Switchyard's rules answer 400 with `details.issues` and import nothing.",
    security: bearerSecurity,
    request: {
      params: z.object({ project: projectKeySchema, env: slugSchema }),
      body: { content: { "application/json": { schema: unleashPayloadSchema } } },
    },
    responses: {
      200: { description: "Imported", content: { "application/json": { schema: unleashImportResultSchema.meta({ id: "UnleashImportResult" }) } } },
      ...standardErrors,
      409: { ...standardErrors[400], description: "REVIEW_REQUIRED, or something changed while the import ran (nothing was imported)." },
      413: { ...standardErrors[400], description: "The payload is larger than 16 MB." },
    },
  });
}
