import { OpenAPIRegistry, OpenApiGeneratorV31 } from "@asteasolutions/zod-to-openapi";
import { registerAuditRoutes } from "./audit";
import { registerChangeRequestRoutes } from "./change-requests";
import { registerEventRoutes } from "./events";
import { registerFlagConfigRoutes } from "./flag-configs";
import { registerFlagRoutes } from "./flags";
import { registerImportRoutes } from "./imports";
import { registerKillSwitchRoutes } from "./kill-switch";
import { registerProjectRoutes } from "./projects";
import { registerSegmentRoutes } from "./segments";
import { registerSdkKeyRoutes } from "./sdk-keys";

/** The REST API's OpenAPI document, generated from the same zod schemas the routes parse with. */
export function buildOpenApiDocument() {
  const registry = new OpenAPIRegistry();
  registry.registerComponent("securitySchemes", "apiToken", {
    type: "http",
    scheme: "bearer",
    description: "An API token created in Settings → API tokens (shown once).",
  });
  registerProjectRoutes(registry);
  registerSdkKeyRoutes(registry);
  registerFlagRoutes(registry);
  registerFlagConfigRoutes(registry);
  registerKillSwitchRoutes(registry);
  registerEventRoutes(registry);
  registerSegmentRoutes(registry);
  registerImportRoutes(registry);
  registerAuditRoutes(registry);
  registerChangeRequestRoutes(registry);
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: {
      title: "Switchyard REST API",
      version: "1.0.0",
      description: "Automation API for Switchyard. Errors are `{error: {code, message, details?}}`.",
    },
    servers: [{ url: "/" }],
  });
}
