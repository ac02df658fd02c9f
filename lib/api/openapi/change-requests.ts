import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { CHANGE_REQUEST_STATUSES, CHANGE_REQUEST_VIEWS, createChangeRequestBodySchema, promotionBodySchema, reviewBodySchema } from "@/lib/schemas/change-request";
import { slugSchema } from "@/lib/schemas/common";
import { environmentPolicyBodySchema } from "@/lib/schemas/environment";
import { projectKeySchema } from "@/lib/schemas/project";
import { bearerSecurity, standardErrors } from "./shared";

/** Change requests, promotions between environments and environment policies. */
export function registerChangeRequestRoutes(registry: OpenAPIRegistry) {
  const ChangeRequest = z
    .looseObject({
      number: z.number().int(),
      title: z.string(),
      description: z.string(),
      status: z.enum(CHANGE_REQUEST_STATUSES),
      revision: z.number().int().meta({ description: "Bumped by every new set of proposed changes; approvals count for the current revision only." }),
      source: z.string().meta({ description: "console, api, promotion, kill_switch_revert…" }),
      path: z.string().meta({ description: "The request's page in the console." }),
      environment: z.object({ key: z.string(), name: z.string(), color: z.string() }),
      scheduledFor: z.string().nullable(),
      appliedAt: z.string().nullable(),
      approvals: z.object({ count: z.number().int(), required: z.number().int(), approvedBy: z.array(z.string()), changesRequestedBy: z.array(z.string()) }),
      items: z.array(
        z.object({
          id: z.string(),
          entityType: z.enum(["flag", "segment"]),
          entityKey: z.string(),
          baseVersion: z.number().int(),
          proposed: z.unknown(),
          diff: z.unknown().meta({ description: "The structured rule-level diff; `diff.summary` holds it in plain words." }),
        }),
      ),
    })
    .meta({ id: "ChangeRequest" });
  const project = z.object({ project: projectKeySchema });
  const numbered = project.extend({ number: z.string().meta({ description: "Change request number" }) });
  const json = (schema: z.ZodType) => ({ content: { "application/json": { schema } } });

  registry.registerPath({
    method: "post",
    path: "/api/v1/projects/{project}/environments/{env}/change-requests",
    summary: "Propose changes to flags and segments of one environment",
    description: "Each change is validated against the environment as the whole request would leave it and against the version it was made from (a stale base version is 409). Where the policy needs no approval the request is approved at once.",
    security: bearerSecurity,
    request: { params: project.extend({ env: slugSchema }), body: json(createChangeRequestBodySchema.meta({ id: "CreateChangeRequest" })) },
    responses: { 201: { description: "The request", ...json(ChangeRequest) }, ...standardErrors, 409: { ...standardErrors[400], description: "A change was made against an older version." } },
  });
  registry.registerPath({
    method: "get",
    path: "/api/v1/projects/{project}/change-requests",
    summary: "List change requests, newest first",
    security: bearerSecurity,
    request: {
      params: project,
      query: z.object({
        environment: slugSchema.optional(),
        status: z.string().optional().meta({ description: `Comma-separated states: ${CHANGE_REQUEST_STATUSES.join(", ")}` }),
        view: z.enum(CHANGE_REQUEST_VIEWS).optional(),
        before: z.string().optional().meta({ description: "Page: requests numbered below this" }),
        limit: z.string().optional().meta({ description: "1–200, default 50" }),
      }),
    },
    responses: { 200: { description: "A page of requests", ...json(z.looseObject({ items: z.array(z.unknown()) })) }, ...standardErrors },
  });
  registry.registerPath({
    method: "get",
    path: "/api/v1/projects/{project}/change-requests/{number}",
    summary: "Read a change request with its diff, reviews, comments and history",
    security: bearerSecurity,
    request: { params: numbered },
    responses: { 200: { description: "The request", ...json(ChangeRequest) }, ...standardErrors },
  });
  registry.registerPath({
    method: "post",
    path: "/api/v1/projects/{project}/change-requests/{number}/reviews",
    summary: "Approve or request changes (a person's token; never the author's own request)",
    security: bearerSecurity,
    request: { params: numbered, body: json(reviewBodySchema.meta({ id: "ChangeRequestReview" })) },
    responses: { 200: { description: "The request after the review", ...json(ChangeRequest) }, ...standardErrors },
  });
  registry.registerPath({
    method: "post",
    path: "/api/v1/projects/{project}/change-requests/{number}/apply",
    summary: "Apply an approved request now (author or approver)",
    description: "Applied atomically. If a flag or segment moved since the proposal the request becomes conflicted and the answer is 409 with `details.conflicts`; nothing is applied.",
    security: bearerSecurity,
    request: { params: numbered },
    responses: { 200: { description: "Applied", ...json(ChangeRequest) }, ...standardErrors, 409: { ...standardErrors[400], description: "Not approved, already applied, or conflicted." } },
  });
  registry.registerPath({
    method: "post",
    path: "/api/v1/projects/{project}/flags/{key}/promotions",
    summary: "Promote a flag's configuration from one environment to another, as a change request there",
    description:
      "Copies everything, or chosen rules and parts, of the source environment's configuration over the target's. The proposal is validated against the target environment's segments, variations and catalog; warnings (a segment holding other people there, a prerequisite that is off) are added to the description.",
    security: bearerSecurity,
    request: { params: project.extend({ key: z.string().meta({ description: "Flag key, URL-encoded" }) }), body: json(promotionBodySchema.meta({ id: "Promotion" })) },
    responses: { 201: { description: "The change request in the target environment", ...json(ChangeRequest) }, ...standardErrors },
  });

  const EnvironmentPolicy = z
    .object({
      key: z.string(),
      name: z.string(),
      color: z.string(),
      requireReview: z.boolean(),
      requiredApprovals: z.number().int(),
      maxRolloutPercentWithoutReview: z.number(),
      requireExpiry: z.boolean(),
      maxFlagLifetimeDays: z.number().int().nullable(),
      requireOwner: z.boolean(),
      allowlistOnlyFirstStage: z.array(z.string()).nullable(),
    })
    .meta({ id: "EnvironmentPolicy" });
  const environment = project.extend({ env: slugSchema });
  registry.registerPath({
    method: "get",
    path: "/api/v1/projects/{project}/environments/{env}",
    summary: "An environment's name, colour and policy",
    security: bearerSecurity,
    request: { params: environment },
    responses: { 200: { description: "The environment", ...json(EnvironmentPolicy) }, ...standardErrors },
  });
  registry.registerPath({
    method: "patch",
    path: "/api/v1/projects/{project}/environments/{env}",
    summary: "Change an environment's name, colour or policy (admin tokens)",
    description: "Only the fields sent change. Audited. Requests under review there are tallied again: more required approvals send approved and scheduled requests back for review.",
    security: bearerSecurity,
    request: { params: environment, body: json(environmentPolicyBodySchema.meta({ id: "EnvironmentPolicyUpdate" })) },
    responses: { 200: { description: "The environment after the change", ...json(EnvironmentPolicy) }, ...standardErrors },
  });
}
