/**
 * Every mutating server action and REST route refuses each role that lacks its permission,
 * and a refused call changes nothing. The tables are checked for completeness against the
 * source, so a new action or route without an entry fails here.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { ALL_ACTIONS } from "@/lib/actions/all-actions";
import { executeAction, type AnyActionDefinition } from "@/lib/actions/define-action";
import { can, ROLES, type Role } from "@/lib/auth/permissions";
import { getPrisma } from "@/lib/db";
import { createApiToken } from "@/lib/api-tokens/manage-api-tokens";
import { requireProjectPermission } from "@/lib/auth/access";
import * as auditVerifyRoute from "@/app/api/v1/audit/verify/route";
import * as eventsRoute from "@/app/api/v1/events/route";
import * as projectsRoute from "@/app/api/v1/projects/route";
import * as flagConfigRoute from "@/app/api/v1/projects/[project]/environments/[env]/flags/[key]/route";
import * as sdkKeysRoute from "@/app/api/v1/projects/[project]/environments/[env]/sdk-keys/route";
import * as flagsRoute from "@/app/api/v1/projects/[project]/flags/route";
import * as flagRoute from "@/app/api/v1/projects/[project]/flags/[key]/route";
import * as segmentsRoute from "@/app/api/v1/projects/[project]/segments/route";
import * as segmentRoute from "@/app/api/v1/projects/[project]/segments/[key]/route";
import * as segmentConfigRoute from "@/app/api/v1/projects/[project]/environments/[env]/segments/[key]/route";
import * as unleashImportRoute from "@/app/api/v1/projects/[project]/environments/[env]/import/unleash/route";
import * as killRoute from "@/app/api/v1/projects/[project]/environments/[env]/flags/[key]/kill/route";
import { pullKillSwitch } from "@/lib/overrides/pull-kill-switch";
import { createFlag } from "@/lib/flags/create-flag";
import { createFlagBodySchema } from "@/lib/schemas/flag";
import { createSegmentBodySchema } from "@/lib/schemas/segment";
import { createSegment } from "@/lib/segments/create-segment";
import * as sdkKeyRoute from "@/app/api/v1/projects/[project]/environments/[env]/sdk-keys/[keyId]/route";
import { createSdkKey } from "@/lib/sdk-keys/manage-sdk-keys";
import { createFlagTestCase } from "@/lib/flags/flag-test-cases";
import * as changeRequestsRoute from "@/app/api/v1/projects/[project]/environments/[env]/change-requests/route";
import * as changeRequestReviewsRoute from "@/app/api/v1/projects/[project]/change-requests/[number]/reviews/route";
import * as changeRequestApplyRoute from "@/app/api/v1/projects/[project]/change-requests/[number]/apply/route";
import type { Actor } from "@/lib/auth/actor";
import { applyChangeRequest, scheduleChangeRequest } from "@/lib/change-requests/apply-change-request";
import { openChangeRequest } from "@/lib/change-requests/open-change-request";
import { withAppDatabase } from "./helpers/app-database";
import { callRoute, createProjectFixture, mutableState, type ProjectFixture } from "./helpers/fixtures";

withAppDatabase();

let fx: ProjectFixture;
beforeAll(async () => {
  fx = await createProjectFixture("authz");
});

/** A valid input per action, so the only possible refusal is the permission check. */
async function validInput(name: string, role: Role = "admin"): Promise<unknown> {
  if (CHANGE_REQUEST_INPUTS[name]) return CHANGE_REQUEST_INPUTS[name](role);
  switch (name) {
    case "createProject":
      return { key: `p-${Math.random().toString(36).slice(2, 10)}`, name: "New project" };
    case "addMember": {
      const user = await getPrisma().user.create({
        data: { email: `new-${Math.random().toString(36).slice(2)}@example.test`, name: "New person" },
      });
      return { projectKey: fx.projectKey, email: user.email, role: "viewer" };
    }
    case "changeMemberRole":
      return { projectKey: fx.projectKey, userId: fx.bystander.userId, role: "editor" };
    case "removeMember":
      return { projectKey: fx.projectKey, userId: fx.bystander.userId };
    case "createApiToken":
      return { projectKey: fx.projectKey, kind: "service", name: "ci", role: "viewer", expiresInDays: null };
    case "revokeApiToken": {
      const admin = await requireProjectPermission(fx.byRole.admin.user, fx.projectKey, "tokens:write");
      const token = await createApiToken(admin, { kind: "service", projectKey: fx.projectKey, name: "to revoke", role: "viewer", expiresInDays: null });
      return { projectKey: fx.projectKey, tokenId: token.id };
    }
    case "createSdkKey":
      return { projectKey: fx.projectKey, environmentKey: "development", kind: "server", name: "app" };
    case "revokeSdkKey":
      return { projectKey: fx.projectKey, keyId: await newSdkKeyId() };
    case "createFlag":
      return {
        projectKey: fx.projectKey,
        flag: { key: `f-${Math.random().toString(36).slice(2, 10)}`, name: "New flag", kind: "operational", ownerEmail: fx.byRole.admin.user.email },
      };
    case "saveFlagConfig": {
      const row = await getPrisma().flagEnvironmentConfig.findFirst({
        where: { flag: { projectId: fx.projectId, key: "checkout" }, environment: { key: "development" } },
      });
      const config = row!.config as { on: boolean };
      return { projectKey: fx.projectKey, environmentKey: "development", flagKey: "checkout", expectedVersion: row!.version, config: { ...config, on: !config.on } };
    }
    case "updateFlagSettings":
      return { projectKey: fx.projectKey, flagKey: "checkout", changes: { description: `Checkout ${Math.random().toString(36).slice(2, 8)}`, tags: ["payments"] } };
    case "createFlagTestCase":
      return { projectKey: fx.projectKey, flagKey: "checkout", name: `case ${Math.random().toString(36).slice(2, 8)}`, context: { targetingKey: "u1" }, expected: { development: "off" } };
    case "updateFlagTestCase":
      return { projectKey: fx.projectKey, flagKey: "checkout", testCaseId: await newTestCaseId(), name: `renamed ${Math.random().toString(36).slice(2, 8)}`, context: { targetingKey: "u2" }, expected: { staging: "off" } };
    case "deleteFlagTestCase":
      return { projectKey: fx.projectKey, flagKey: "checkout", testCaseId: await newTestCaseId() };
    case "createAttribute":
      return { projectKey: fx.projectKey, key: randomKey("attr"), type: "string" };
    case "updateAttribute":
      return { projectKey: fx.projectKey, key: "country", type: "string", dashboardDimension: true, description: randomKey("described") };
    case "deleteAttribute": {
      const key = randomKey("attr-to-delete");
      await getPrisma().attribute.create({ data: { projectId: fx.projectId, key, type: "string" } });
      return { projectKey: fx.projectKey, key };
    }
    case "createSegment":
      return { projectKey: fx.projectKey, key: randomKey("console-segment"), name: "From the console" };
    case "updateSegment":
      return { projectKey: fx.projectKey, segmentKey: await sharedSegment(), description: randomKey("described") };
    case "saveSegmentConfig": {
      const segmentKey = await sharedSegment();
      const row = await getPrisma().segmentEnvironmentConfig.findFirstOrThrow({ where: { segment: { projectId: fx.projectId, key: segmentKey }, environment: { key: "development" } } });
      return { projectKey: fx.projectKey, environmentKey: "development", segmentKey, version: row.version, included: [randomKey("user")] };
    }
    case "deleteSegment":
      return { projectKey: fx.projectKey, segmentKey: await newSegmentKey() };
    case "pullKillSwitch":
      return { projectKey: fx.projectKey, environmentKey: "development", flagKey: await newFlagKey(), action: "serve_variation", variationKey: "on", reason: "authz: stop the bleeding" };
    case "acknowledgeOverride":
      return { projectKey: fx.projectKey, overrideId: await newOverrideId() };
    case "reviewOverride":
      return { projectKey: fx.projectKey, overrideId: await newOverrideId(), note: "Reviewed after the fact." };
    case "updateEnvironmentPolicy":
      return { projectKey: fx.projectKey, environmentKey: "staging", maxFlagLifetimeDays: 30 + Math.floor(Math.random() * 300) };
    case "revertOverride":
      return { projectKey: fx.projectKey, overrideId: await newOverrideId() };
    default:
      throw new Error(`No valid input for action ${name}: add it to this table.`);
  }
}

async function newSdkKeyId(): Promise<string> {
  const admin = await requireProjectPermission(fx.byRole.admin.user, fx.projectKey, "sdkkeys:write");
  return (await createSdkKey(admin, { environmentKey: "development", kind: "server", name: "to revoke" })).id;
}

async function newTestCaseId(): Promise<string> {
  const admin = await requireProjectPermission(fx.byRole.admin.user, fx.projectKey, "flags:write");
  const name = `fixture ${Math.random().toString(36).slice(2, 10)}`;
  return (await createFlagTestCase(admin, "checkout", { name, description: "", context: { targetingKey: "u" }, expected: { development: "off" } })).id;
}

/**
 * Change request actions check more than the permission (only the author edits, the author never
 * reviews…): each input is a request in the state the action needs, written by the role under test
 * when that role may write one, and by another editor otherwise.
 */
async function changeRequestBy(role: Role, state: "open" | "approved" | "draft" | "scheduled" | "conflicted", otherAuthor = false) {
  const writer = !otherAuthor && can(role, "flags:write") ? fx.byRole[role].user : await crAuthor();
  const access = await requireProjectPermission(writer, fx.projectKey, "flags:write");
  const env = state === "open" || state === "draft" ? "production" : "development";
  const row = await getPrisma().flagEnvironmentConfig.findFirstOrThrow({ where: { flag: { projectId: fx.projectId, key: "checkout" }, environment: { key: env } } });
  const config = row.config as { on: boolean };
  const { number } = await openChangeRequest(access, { environmentKey: env, title: `authz ${state}`, description: "", draft: state === "draft", changes: [{ entityType: "flag", key: "checkout", baseVersion: row.version, config: { ...(config as object), on: !config.on } as never }] });
  if (state === "scheduled") await scheduleChangeRequest(access, number, new Date(Date.now() + 86_400_000));
  if (state === "conflicted") {
    await getPrisma().flagEnvironmentConfig.update({ where: { id: row.id }, data: { version: { increment: 1 } } });
    await applyChangeRequest(access, number);
  }
  return number;
}

let crAuthorUser: Extract<Actor, { type: "user" }> | undefined;
async function crAuthor() {
  if (!crAuthorUser) {
    const user = await getPrisma().user.create({ data: { email: `cr-author-${Math.random().toString(36).slice(2)}@example.test`, name: "CR author" } });
    await getPrisma().membership.create({ data: { userId: user.id, projectId: fx.projectId, role: "editor" } });
    crAuthorUser = { type: "user", userId: user.id, email: user.email, name: "CR author" };
  }
  return crAuthorUser;
}

const CHANGE_REQUEST_INPUTS: Record<string, (role: Role) => Promise<unknown>> = {
  createChangeRequest: async () => {
    const row = await getPrisma().flagEnvironmentConfig.findFirstOrThrow({ where: { flag: { projectId: fx.projectId, key: "checkout" }, environment: { key: "production" } } });
    return { projectKey: fx.projectKey, environmentKey: "production", title: "authz", changes: [{ entityType: "flag", key: "checkout", baseVersion: row.version, config: { ...(row.config as object), on: !(row.config as { on: boolean }).on } }] };
  },
  reviseChangeRequest: async (role) => ({ projectKey: fx.projectKey, number: await changeRequestBy(role, "open"), title: "Renamed" }),
  submitChangeRequest: async (role) => ({ projectKey: fx.projectKey, number: await changeRequestBy(role, "draft") }),
  reviewChangeRequest: async (role) => ({ projectKey: fx.projectKey, number: await changeRequestBy(role, "open", true), decision: "approve" }),
  commentChangeRequest: async (role) => ({ projectKey: fx.projectKey, number: await changeRequestBy(role, "open", true), body: "A comment" }),
  applyChangeRequest: async (role) => ({ projectKey: fx.projectKey, number: await changeRequestBy(role, "approved") }),
  scheduleChangeRequest: async (role) => ({ projectKey: fx.projectKey, number: await changeRequestBy(role, "approved"), at: new Date(Date.now() + 86_400_000).toISOString() }),
  unscheduleChangeRequest: async (role) => ({ projectKey: fx.projectKey, number: await changeRequestBy(role, "scheduled") }),
  cancelChangeRequest: async (role) => ({ projectKey: fx.projectKey, number: await changeRequestBy(role, "open") }),
  rebaseChangeRequest: async (role) => ({ projectKey: fx.projectKey, number: await changeRequestBy(role, "conflicted") }),
  // Staging's whole configuration onto development: a change whatever earlier rows did to either.
  promoteFlag: async () => {
    const staging = await getPrisma().flagEnvironmentConfig.findFirstOrThrow({ where: { flag: { projectId: fx.projectId, key: "checkout" }, environment: { key: "staging" } } });
    const config = staging.config as { on: boolean };
    await getPrisma().flagEnvironmentConfig.update({ where: { id: staging.id }, data: { config: { ...(config as object), on: !config.on } } });
    return { projectKey: fx.projectKey, flagKey: "checkout", from: "staging", to: "development", scope: { kind: "everything" } };
  },
};

const randomKey = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2, 10)}`;

/** A fresh flag or segment for routes that consume one (archive, delete). */
async function newFlagKey(): Promise<string> {
  const admin = await requireProjectPermission(fx.byRole.admin.user, fx.projectKey, "flags:write");
  return (await createFlag(admin, createFlagBodySchema.parse({ key: randomKey("authz-flag"), name: "To archive", kind: "release" }))).key;
}

async function newSegmentKey(): Promise<string> {
  const admin = await requireProjectPermission(fx.byRole.admin.user, fx.projectKey, "segments:write");
  return (await createSegment(admin, createSegmentBodySchema.parse({ key: randomKey("authz-segment"), name: "Segment" }))).key;
}

/** An override pulled by a service token, so any approver may review it (a puller never may). */
async function newOverrideId(): Promise<string> {
  const access = await requireProjectPermission({ type: "system", name: "authz" }, fx.projectKey, "killswitch:use");
  const pulled = await pullKillSwitch(access, { environmentKey: "development", flagKey: await newFlagKey(), action: "serve_variation", variationKey: "on", reason: "fixture" });
  if (pulled.outcome !== "applied") throw new Error("the fixture override was not applied");
  return pulled.overrideId;
}

let sharedSegmentKey: string | undefined;
async function sharedSegment(): Promise<string> {
  sharedSegmentKey ??= await newSegmentKey();
  return sharedSegmentKey;
}

function allowed(definition: AnyActionDefinition, role: (typeof ROLES)[number]): boolean {
  // Creating projects is reserved to admins (of any project).
  return definition.scope === "instance" ? role === "admin" : can(role, definition.permission);
}

describe("server actions × roles", () => {
  for (const definition of ALL_ACTIONS) {
    for (const role of ROLES) {
      const expectAllowed = allowed(definition, role);
      test(`${definition.name} as ${role} is ${expectAllowed ? "allowed" : "refused"}`, async () => {
        const input = await validInput(definition.name, role);
        const before = await mutableState(fx.projectId);
        const result = await executeAction(definition, input, fx.byRole[role].user);
        if (expectAllowed) {
          expect(result).toMatchObject({ ok: true });
          // Restore what role changes and removals did, so later cases start equal.
          if (definition.name === "changeMemberRole" || definition.name === "removeMember") {
            await getPrisma().membership.upsert({
              where: { userId_projectId: { userId: fx.bystander.userId, projectId: fx.projectId } },
              update: { role: "viewer" },
              create: { userId: fx.bystander.userId, projectId: fx.projectId, role: "viewer" },
            });
          }
        } else {
          expect(result).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
          expect(await mutableState(fx.projectId)).toEqual(before);
        }
      });
    }

    test(`${definition.name} without a session is refused`, async () => {
      const result = await executeAction(definition, await validInput(definition.name), null);
      expect(result).toMatchObject({ ok: false, error: { code: "UNAUTHENTICATED" } });
    });

    test(`${definition.name} with malformed input answers field errors`, async () => {
      const result = await executeAction(definition, { projectKey: 42, junk: true }, fx.byRole.admin.user);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe("VALIDATION_FAILED");
        expect(Object.keys(result.error.fieldErrors ?? {}).length).toBeGreaterThan(0);
      }
    });
  }

  test("a member of another project cannot act on this one", async () => {
    const other = await createProjectFixture("other");
    const result = await executeAction(ALL_ACTIONS.find((a) => a.name === "changeMemberRole")!, {
      projectKey: fx.projectKey,
      userId: fx.bystander.userId,
      role: "admin",
    }, other.byRole.admin.user);
    expect(result).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
  });
});

type RouteHandler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

/**
 * Mutating REST routes, each with valid params and body and who may call it (project-scoped
 * tokens; `rootAllowed: false` where even the unscoped admin token is refused).
 */
const MUTATING_ROUTES: { id: string; handler: unknown; params: () => Record<string, string> | Promise<Record<string, string>>; body: () => unknown; allowedFor: (role: string, scoped: boolean) => boolean; rootAllowed?: boolean }[] = [
  {
    id: "POST /api/v1/projects/{project}/environments/{env}/change-requests",
    handler: changeRequestsRoute.POST,
    params: () => ({ project: fx.projectKey, env: "production" }),
    body: async () => {
      const input = (await CHANGE_REQUEST_INPUTS.createChangeRequest("admin")) as { title: string; changes: unknown[] };
      return { title: input.title, changes: input.changes };
    },
    allowedFor: (role: string) => can(role as Role, "flags:write"),
  },
  {
    id: "POST /api/v1/projects/{project}/change-requests/{number}/reviews",
    handler: changeRequestReviewsRoute.POST,
    params: async () => ({ project: fx.projectKey, number: String(await changeRequestBy("viewer", "open", true)) }),
    body: () => ({ decision: "approve" }),
    // Reviews are made by people: no service token reviews, whatever its role.
    allowedFor: () => false,
    rootAllowed: false,
  },
  {
    id: "POST /api/v1/projects/{project}/change-requests/{number}/apply",
    handler: changeRequestApplyRoute.POST,
    params: async () => ({ project: fx.projectKey, number: String(await changeRequestBy("viewer", "approved", true)) }),
    body: () => undefined,
    // A token is never the author of a person's request: only reviewers' tokens apply it.
    allowedFor: (role: string) => can(role as Role, "changes:review"),
  },
  {
    id: "POST /api/v1/projects",
    handler: projectsRoute.POST,
    params: () => ({}),
    body: () => ({ key: `r-${Math.random().toString(36).slice(2, 10)}`, name: "From REST" }),
    // Only an unscoped admin token may create projects; project-scoped service tokens never.
    allowedFor: (role: string, scoped: boolean) => !scoped && role === "admin",
  },
  {
    id: "POST /api/v1/projects/{project}/environments/{env}/sdk-keys",
    handler: sdkKeysRoute.POST,
    params: () => ({ project: fx.projectKey, env: "development" }),
    body: () => ({ kind: "client", name: "web" }),
    allowedFor: (role: string) => can(role as Role, "sdkkeys:write"),
  },
  {
    id: "PUT /api/v1/projects/{project}/environments/{env}/flags/{key}",
    handler: flagConfigRoute.PUT,
    params: () => ({ project: fx.projectKey, env: "development", key: "checkout" }),
    body: async () => {
      const row = await getPrisma().flagEnvironmentConfig.findFirst({
        where: { flag: { projectId: fx.projectId, key: "checkout" }, environment: { key: "development" } },
      });
      return { version: row!.version, config: { ...(row!.config as object), on: !(row!.config as { on: boolean }).on } };
    },
    allowedFor: (role: string) => can(role as Role, "flags:write"),
  },
  {
    id: "POST /api/v1/projects/{project}/flags",
    handler: flagsRoute.POST,
    params: () => ({ project: fx.projectKey }),
    body: () => ({ key: randomKey("rest-flag"), name: "From REST", kind: "release" }),
    allowedFor: (role: string) => can(role as Role, "flags:write"),
  },
  {
    id: "PATCH /api/v1/projects/{project}/flags/{key}",
    handler: flagRoute.PATCH,
    params: () => ({ project: fx.projectKey, key: "checkout" }),
    body: () => ({ description: randomKey("described") }),
    allowedFor: (role: string) => can(role as Role, "flags:write"),
  },
  {
    id: "DELETE /api/v1/projects/{project}/flags/{key}",
    handler: flagRoute.DELETE,
    params: async () => ({ project: fx.projectKey, key: await newFlagKey() }),
    body: () => undefined,
    allowedFor: (role: string) => can(role as Role, "flags:write"),
  },
  {
    id: "POST /api/v1/projects/{project}/segments",
    handler: segmentsRoute.POST,
    params: () => ({ project: fx.projectKey }),
    body: () => ({ key: randomKey("rest-segment"), name: "From REST" }),
    allowedFor: (role: string) => can(role as Role, "segments:write"),
  },
  {
    id: "PATCH /api/v1/projects/{project}/segments/{key}",
    handler: segmentRoute.PATCH,
    params: async () => ({ project: fx.projectKey, key: await sharedSegment() }),
    body: () => ({ description: randomKey("described") }),
    allowedFor: (role: string) => can(role as Role, "segments:write"),
  },
  {
    id: "DELETE /api/v1/projects/{project}/segments/{key}",
    handler: segmentRoute.DELETE,
    params: async () => ({ project: fx.projectKey, key: await newSegmentKey() }),
    body: () => undefined,
    allowedFor: (role: string) => can(role as Role, "segments:write"),
  },
  {
    id: "PUT /api/v1/projects/{project}/environments/{env}/segments/{key}",
    handler: segmentConfigRoute.PUT,
    params: async () => ({ project: fx.projectKey, env: "development", key: await sharedSegment() }),
    body: async () => {
      const row = await getPrisma().segmentEnvironmentConfig.findFirst({
        where: { segment: { projectId: fx.projectId, key: await sharedSegment() }, environment: { key: "development" } },
      });
      return { version: row!.version, included: [randomKey("user")] };
    },
    allowedFor: (role: string) => can(role as Role, "segments:write"),
  },
  {
    id: "POST /api/v1/projects/{project}/environments/{env}/import/unleash",
    handler: unleashImportRoute.POST,
    params: () => ({ project: fx.projectKey, env: "development" }),
    body: () => ({
      version: 2,
      features: [{ name: "imported-toggle", enabled: true, strategies: [{ name: "default", segments: [1] }] }],
      segments: [{ id: 1, constraints: [{ contextName: "plan", operator: "IN", values: ["pro"] }] }],
    }),
    // It writes flags and segments.
    allowedFor: (role: string) => can(role as Role, "flags:write") && can(role as Role, "segments:write"),
  },
  {
    id: "POST /api/v1/projects/{project}/environments/{env}/flags/{key}/kill",
    handler: killRoute.POST,
    params: async () => ({ project: fx.projectKey, env: "development", key: await newFlagKey() }),
    body: () => ({ reason: "on-call automation", action: "serve_variation", variation: "on" }),
    allowedFor: (role: string) => can(role as Role, "killswitch:use"),
  },
  {
    id: "DELETE /api/v1/projects/{project}/environments/{env}/sdk-keys/{keyId}",
    handler: sdkKeyRoute.DELETE,
    params: async () => ({ project: fx.projectKey, env: "development", keyId: await newSdkKeyId() }),
    body: () => undefined,
    allowedFor: (role: string) => can(role as Role, "sdkkeys:write"),
  },
];

/**
 * Mutating routes authenticated by SDK keys, not API tokens (their key handling is tested in their
 * own files, e.g. events.test.ts). Here: an API token, even the unscoped admin one, is no SDK key.
 */
const SDK_KEY_ROUTES = [{ id: "POST /api/v1/events", handler: eventsRoute.POST, body: () => ({ events: [] }) }];

describe("SDK-key routes refuse API tokens", () => {
  for (const route of SDK_KEY_ROUTES) {
    const [method, routePath] = route.id.split(" ");
    test(`${route.id} with the unscoped admin API token answers 401`, async () => {
      const response = await callRoute(route.handler, { method, path: routePath, token: fx.rootToken, body: route.body() });
      expect(response.status).toBe(401);
    });
  }
});

describe("REST routes × token roles", () => {
  for (const route of MUTATING_ROUTES) {
    const [method, routePath] = route.id.split(" ");
    for (const role of ROLES) {
      test(`${route.id} with a project-scoped ${role} service token`, async () => {
        const params = await route.params();
        const before = await mutableState(fx.projectId);
        const response = await callRoute(route.handler as RouteHandler, { method, path: routePath, token: fx.byRole[role].serviceToken, body: await route.body(), params });
        if (route.allowedFor(role, true)) expect(response.status).toBeLessThan(300);
        else {
          expect(response.status).toBe(403);
          expect(response.body.error.code).toBe("FORBIDDEN");
          expect(await mutableState(fx.projectId)).toEqual(before);
        }
      });
    }
    test(`${route.id} with the unscoped admin token`, async () => {
      const response = await callRoute(route.handler as RouteHandler, { method, path: routePath, token: fx.rootToken, body: await route.body(), params: await route.params() });
      if (route.rootAllowed === false) expect(response.status).toBe(403);
      else expect(response.status).toBeLessThan(300);
    });
    test(`${route.id} without a token answers 401 JSON`, async () => {
      const response = await callRoute(route.handler as RouteHandler, { method, path: routePath, body: await route.body(), params: await route.params() });
      expect(response.status).toBe(401);
      expect(response.body.error.code).toBe("UNAUTHENTICATED");
    });
  }
});

/**
 * Reads that need more than membership of the project. The audit chain is one for the whole
 * installation: a token whose role holds audit:verify in any project may verify it.
 */
const PERMISSIONED_READ_ROUTES = [
  { id: "GET /api/v1/audit/verify", handler: auditVerifyRoute.GET, params: () => ({}), allowedFor: (role: Role) => can(role, "audit:verify") },
];

describe("permissioned REST reads × token roles", () => {
  for (const route of PERMISSIONED_READ_ROUTES) {
    const [method, routePath] = route.id.split(" ");
    for (const role of ROLES) {
      test(`${route.id} with a project-scoped ${role} service token`, async () => {
        const response = await callRoute(route.handler as RouteHandler, { method, path: routePath, token: fx.byRole[role].serviceToken, params: route.params() });
        expect(response.status).toBe(route.allowedFor(role) ? 200 : 403);
      });
    }
    test(`${route.id} without a token answers 401 JSON`, async () => {
      const response = await callRoute(route.handler as RouteHandler, { method, path: routePath, params: route.params() });
      expect(response.status).toBe(401);
      expect(response.body.error.code).toBe("UNAUTHENTICATED");
    });
  }
});

describe("the tables above cover every entry point", () => {
  const root = path.resolve(import.meta.dirname, "../..");
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const full = path.join(dir, name);
      return statSync(full).isDirectory() ? files(full) : [full];
    });
  const appFiles = files(path.join(root, "app")).filter((f) => /\.(ts|tsx)$/.test(f));

  test("every exported server action wraps a registered action definition", () => {
    const registered = new Set(ALL_ACTIONS.map((a) => `${a.name}Definition`));
    const serverFiles = appFiles.filter((f) => /^\s*["']use server["']/.test(readFileSync(f, "utf8")));
    expect(serverFiles.length).toBeGreaterThan(0);
    for (const file of serverFiles) {
      const source = readFileSync(file, "utf8");
      const exports = [...source.matchAll(/export async function (\w+)\s*\([^)]*\)\s*\{([\s\S]*?)\n\}/g)];
      expect(exports.length, `${file} exports no actions`).toBeGreaterThan(0);
      expect(source).not.toMatch(/export (const|default|function [^(]*\()/);
      for (const [, name, body] of exports) {
        const wrapped = body.match(/runAction\((\w+),/)?.[1];
        expect(wrapped && registered.has(wrapped), `${path.relative(root, file)}: ${name} must call runAction(<registered definition>)`).toBe(true);
      }
    }
  });

  test("every mutating REST route is in the table", () => {
    const covered = new Set([...MUTATING_ROUTES, ...SDK_KEY_ROUTES].map((r) => r.id));
    for (const file of appFiles.filter((f) => f.includes(`${path.sep}api${path.sep}v1${path.sep}`) && f.endsWith("route.ts"))) {
      const source = readFileSync(file, "utf8");
      const routePath = "/" + path.relative(path.join(root, "app"), path.dirname(file)).split(path.sep).join("/").replace(/\[(\w+)\]/g, "{$1}");
      for (const [, method] of source.matchAll(/export const (POST|PUT|PATCH|DELETE)\b/g)) {
        expect(covered.has(`${method} ${routePath}`), `${method} ${routePath} needs a row in MUTATING_ROUTES`).toBe(true);
      }
    }
  });
});

