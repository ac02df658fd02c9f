import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { createFlagBodySchema, flagResourceSchema, listFlagsQuerySchema, updateFlagBodySchema } from "@/lib/schemas/flag";
import { projectKeySchema } from "@/lib/schemas/project";
import { bearerSecurity, standardErrors } from "./shared";

export function registerFlagRoutes(registry: OpenAPIRegistry) {
  const Flag = flagResourceSchema.meta({ id: "Flag" });
  const projectParams = z.object({ project: projectKeySchema });
  const params = projectParams.extend({ key: z.string().meta({ description: "Flag key, URL-encoded" }) });
  const json = (schema: z.ZodType) => ({ "application/json": { schema } });

  registry.registerPath({
    method: "get",
    path: "/api/v1/projects/{project}/flags",
    summary: "List flag definitions, a page at a time",
    description: "Key order. `nextCursor` of one page is the `cursor` of the next; filters are applied on the server.",
    security: bearerSecurity,
    request: { params: projectParams, query: listFlagsQuerySchema },
    responses: {
      200: { description: "A page of flags", content: json(z.object({ flags: z.array(Flag), nextCursor: z.string().nullable() }).meta({ id: "FlagPage" })) },
      ...standardErrors,
    },
  });
  registry.registerPath({
    method: "post",
    path: "/api/v1/projects/{project}/flags",
    summary: "Create a flag (off in every environment)",
    description:
      "Every environment gets the flag off, serving its off variation (the one keyed `off`, else a boolean flag's `false`, else the last) — also as the default rule once turned on. Environment policies apply: an owner, and for release and experiment flags an expiry within the maximum lifetime.",
    security: bearerSecurity,
    request: { params: projectParams, body: { content: json(createFlagBodySchema.meta({ id: "CreateFlag" })) } },
    responses: {
      201: { description: "Created", content: json(Flag) },
      ...standardErrors,
      409: { ...standardErrors[400], description: "A flag with this key exists (keys are never reused, archived flags included)." },
    },
  });
  registry.registerPath({
    method: "get",
    path: "/api/v1/projects/{project}/flags/{key}",
    summary: "Read a flag definition",
    security: bearerSecurity,
    request: { params },
    responses: { 200: { description: "The flag", content: json(Flag) }, ...standardErrors },
  });
  registry.registerPath({
    method: "patch",
    path: "/api/v1/projects/{project}/flags/{key}",
    summary: "Change a flag definition",
    description:
      "Only the fields present change. Variation changes are refused with `details.issues` (each with `environmentKey`, and `flagKey` for another flag's prerequisite) when they would break a configuration. Changes that would alter what an environment requiring review serves answer 409 REVIEW_REQUIRED.",
    security: bearerSecurity,
    request: { params, body: { content: json(updateFlagBodySchema.meta({ id: "UpdateFlag" })) } },
    responses: {
      200: { description: "The flag as saved", content: json(Flag) },
      ...standardErrors,
      400: { ...standardErrors[400], description: "Invalid fields (`details.fields`) or broken references (`details.issues`: ValidationIssue[])." },
      409: { ...standardErrors[400], description: "Concurrent change, archiving a flag others require, or REVIEW_REQUIRED." },
    },
  });
  registry.registerPath({
    method: "delete",
    path: "/api/v1/projects/{project}/flags/{key}",
    summary: "Archive a flag",
    description: "The flag leaves every snapshot; its key stays taken. Refused (409) while another flag lists it as a prerequisite (`details.dependents`), or while it is on in an environment that requires review.",
    security: bearerSecurity,
    request: { params },
    responses: { 200: { description: "The archived flag", content: json(Flag) }, ...standardErrors, 409: { ...standardErrors[400], description: "Required by other flags, or REVIEW_REQUIRED." } },
  });
}
