import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { slugSchema } from "@/lib/schemas/common";
import { projectKeySchema } from "@/lib/schemas/project";
import {
  createSegmentBodySchema,
  listSegmentsQuerySchema,
  replaceSegmentConfigBodySchema,
  savedSegmentConfigSchema,
  segmentConfigResponseSchema,
  segmentResourceSchema,
  updateSegmentBodySchema,
} from "@/lib/schemas/segment";
import { bearerSecurity, standardErrors } from "./shared";

export function registerSegmentRoutes(registry: OpenAPIRegistry) {
  const Segment = segmentResourceSchema.meta({ id: "Segment" });
  const SegmentConfiguration = segmentConfigResponseSchema.meta({ id: "SegmentConfiguration" });
  const projectParams = z.object({ project: projectKeySchema });
  const params = projectParams.extend({ key: z.string().meta({ description: "Segment key, URL-encoded" }) });
  const json = (schema: z.ZodType) => ({ "application/json": { schema } });
  const conflict = (description: string) => ({ ...standardErrors[400], description });

  registry.registerPath({
    method: "get",
    path: "/api/v1/projects/{project}/segments",
    summary: "List segments, a page at a time",
    security: bearerSecurity,
    request: { params: projectParams, query: listSegmentsQuerySchema },
    responses: {
      200: { description: "A page of segments", content: json(z.object({ segments: z.array(Segment), nextCursor: z.string().nullable() }).meta({ id: "SegmentPage" })) },
      ...standardErrors,
    },
  });
  registry.registerPath({
    method: "post",
    path: "/api/v1/projects/{project}/segments",
    summary: "Create a segment (empty in every environment)",
    security: bearerSecurity,
    request: { params: projectParams, body: { content: json(createSegmentBodySchema.meta({ id: "CreateSegment" })) } },
    responses: { 201: { description: "Created", content: json(Segment) }, ...standardErrors, 409: conflict("A segment with this key exists.") },
  });
  registry.registerPath({
    method: "get",
    path: "/api/v1/projects/{project}/segments/{key}",
    summary: "Read a segment, its size per environment and the flags that use it",
    security: bearerSecurity,
    request: { params },
    responses: { 200: { description: "The segment", content: json(Segment) }, ...standardErrors },
  });
  registry.registerPath({
    method: "patch",
    path: "/api/v1/projects/{project}/segments/{key}",
    summary: "Change a segment's name, description, owner or tags",
    security: bearerSecurity,
    request: { params, body: { content: json(updateSegmentBodySchema.meta({ id: "UpdateSegment" })) } },
    responses: { 200: { description: "The segment as saved", content: json(Segment) }, ...standardErrors },
  });
  registry.registerPath({
    method: "delete",
    path: "/api/v1/projects/{project}/segments/{key}",
    summary: "Delete a segment no rule refers to",
    description: "Refused (409) while a flag rule (any environment, archived flags included) or another segment refers to it; `details.usedBy` names them.",
    security: bearerSecurity,
    request: { params },
    responses: { 204: { description: "Deleted" }, ...standardErrors, 409: conflict("The segment is in use.") },
  });

  const envParams = params.extend({ env: slugSchema });
  const envPath = "/api/v1/projects/{project}/environments/{env}/segments/{key}";
  registry.registerPath({
    method: "get",
    path: envPath,
    summary: "Read a segment's membership in an environment",
    security: bearerSecurity,
    request: { params: envParams },
    responses: { 200: { description: "Included and excluded keys, rules and the version", content: json(SegmentConfiguration) }, ...standardErrors },
  });
  registry.registerPath({
    method: "put",
    path: envPath,
    summary: "Replace a segment's membership (optimistic concurrency on `version`)",
    description:
      "Up to 100,000 included and 100,000 excluded keys (bodies up to 16 MB); duplicates are removed and counted. Rules are validated like the console's (`details.issues`). Environments that require review answer 409 REVIEW_REQUIRED.",
    security: bearerSecurity,
    request: { params: envParams, body: { content: json(replaceSegmentConfigBodySchema.meta({ id: "ReplaceSegmentConfiguration" })) } },
    responses: {
      200: { description: "Saved", content: json(savedSegmentConfigSchema.meta({ id: "SavedSegmentConfiguration" })) },
      ...standardErrors,
      409: conflict("The version is stale (details carry the current membership), or the environment requires review."),
      413: { ...standardErrors[400], description: "The body is larger than 16 MB." },
    },
  });
}
