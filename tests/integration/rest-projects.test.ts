import { beforeAll, describe, expect, test } from "vitest";
import * as projectRoute from "@/app/api/v1/projects/[project]/route";
import * as projectsRoute from "@/app/api/v1/projects/route";
import * as openapiRoute from "@/app/api/v1/openapi.json/route";
import { generateSecret } from "@/lib/auth/tokens";
import { getPrisma } from "@/lib/db";
import { withAppDatabase } from "./helpers/app-database";
import { callRoute, createProjectFixture, type ProjectFixture } from "./helpers/fixtures";

withAppDatabase();

let fx: ProjectFixture;
beforeAll(async () => {
  fx = await createProjectFixture("rest");
});

describe("POST /api/v1/projects", () => {
  test("creates a project with development, staging and production", async () => {
    const response = await callRoute(projectsRoute.POST, {
      method: "POST",
      path: "/api/v1/projects",
      token: fx.rootToken,
      body: { key: "checkout-service", name: "Checkout service" },
    });
    expect(response.status).toBe(201);
    expect(response.body.key).toBe("checkout-service");
    expect(response.body.environments.map((e: { key: string }) => e.key)).toEqual(["development", "staging", "production"]);
    expect(response.body.environments[2]).toMatchObject({ requireReview: true, requiredApprovals: 1 });
  });

  test("a duplicate key is a 409 and creates nothing", async () => {
    const before = await getPrisma().project.count();
    const response = await callRoute(projectsRoute.POST, {
      method: "POST",
      path: "/api/v1/projects",
      token: fx.rootToken,
      body: { key: fx.projectKey, name: "Again" },
    });
    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe("CONFLICT");
    expect(await getPrisma().project.count()).toBe(before);
  });

  test.each([
    ["not JSON", "{key:", "BAD_REQUEST"],
    ["an empty body", "", "VALIDATION_FAILED"],
    ["an array", "[]", "VALIDATION_FAILED"],
    ["a bad key", JSON.stringify({ key: "Has Spaces", name: "x" }), "VALIDATION_FAILED"],
    ["a missing name", JSON.stringify({ key: "fine-key" }), "VALIDATION_FAILED"],
  ])("%s is a 400 with a JSON error", async (_label, rawBody, code) => {
    const response = await callRoute(projectsRoute.POST, { method: "POST", path: "/api/v1/projects", token: fx.rootToken, rawBody });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe(code);
    expect(response.body.error.message).toEqual(expect.any(String));
  });

  test("validation errors name the field", async () => {
    const response = await callRoute(projectsRoute.POST, {
      method: "POST",
      path: "/api/v1/projects",
      token: fx.rootToken,
      body: { key: "UPPER", name: "" },
    });
    expect(Object.keys(response.body.error.details.fields).sort()).toEqual(["key", "name"]);
  });
});

describe("GET /api/v1/projects/{project}", () => {
  test("a member's token reads the project", async () => {
    const response = await callRoute(projectRoute.GET, {
      method: "GET",
      path: `/api/v1/projects/${fx.projectKey}`,
      token: fx.byRole.viewer.serviceToken,
      params: { project: fx.projectKey },
    });
    expect(response.status).toBe(200);
    expect(response.body.key).toBe(fx.projectKey);
  });

  test("an unknown project and a project outside the token's scope are both 404", async () => {
    for (const project of ["does-not-exist", "checkout-service"]) {
      const response = await callRoute(projectRoute.GET, {
        method: "GET",
        path: `/api/v1/projects/${project}`,
        token: fx.byRole.admin.serviceToken,
        params: { project },
      });
      expect(response.status).toBe(404);
      expect(response.body.error.code).toBe("NOT_FOUND");
    }
  });
});

describe("API tokens", () => {
  test.each([
    ["no header", undefined],
    ["an unknown token", "sy_api_unknown"],
  ])("%s is a 401", async (_label, token) => {
    const response = await callRoute(projectsRoute.GET, { method: "GET", path: "/api/v1/projects", token });
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe("UNAUTHENTICATED");
  });

  test("revoked and expired tokens are refused; only the hash is stored", async () => {
    const prisma = getPrisma();
    for (const data of [{ revokedAt: new Date() }, { expiresAt: new Date(Date.now() - 1000) }]) {
      const token = generateSecret("api");
      await prisma.apiToken.create({ data: { name: "dead", prefix: token.prefix, tokenHash: token.hash, role: "admin", ...data } });
      const stored = await prisma.apiToken.findUnique({ where: { tokenHash: token.hash } });
      expect(JSON.stringify(stored)).not.toContain(token.secret);
      const response = await callRoute(projectsRoute.GET, { method: "GET", path: "/api/v1/projects", token: token.secret });
      expect(response.status).toBe(401);
    }
  });
});

test("the OpenAPI document describes the project routes from the zod schemas", async () => {
  const document = await openapiRoute.GET().json();
  expect(document.openapi).toBe("3.1.0");
  expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(["/api/v1/projects", "/api/v1/projects/{project}"]));
  expect(document.components.schemas.CreateProject.properties.key.pattern).toBeDefined();
});
