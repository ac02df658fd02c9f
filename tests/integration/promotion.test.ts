/**
 * Promote between environments: compare a flag's configuration across environments and propose
 * copying all of it, or chosen rules, as a change request in the target — validated against the
 * target's segments and variations, with warnings where a segment is defined differently there.
 */
import { beforeAll, describe, expect, test } from "vitest";
import { POST as promoteRoute } from "@/app/api/v1/projects/[project]/flags/[key]/promotions/route";
import { executeAction } from "@/lib/actions/define-action";
import { requireProjectPermission } from "@/lib/auth/access";
import { applyChangeRequest } from "@/lib/change-requests/apply-change-request";
import { promoteFlagDefinition } from "@/lib/change-requests/change-request-actions";
import { previewPromotion } from "@/lib/change-requests/promote-flag";
import { reviewChangeRequest } from "@/lib/change-requests/review-change-request";
import { getPrisma } from "@/lib/db";
import type { FlagConfig } from "@/lib/evaluation/types";
import { withAppDatabase } from "./helpers/app-database";
import { callRoute, createProjectFixture, insertBooleanFlag, type ProjectFixture } from "./helpers/fixtures";

withAppDatabase();

let fx: ProjectFixture;
let env: Record<string, string>;

const STAGING: FlagConfig = {
  on: true,
  offVariation: "off",
  targets: [{ variation: "on", values: ["qa-1"] }],
  rules: [
    { id: "r-pro", description: "Pro plans", clauses: [{ attribute: "plan", op: "in", values: ["pro", "enterprise"] }], serve: { variation: "on" } },
    { id: "r-beta", clauses: [{ attribute: "targetingKey", op: "inSegment", values: ["beta"] }], serve: { variation: "on" } },
  ],
  fallthrough: { rollout: { weights: [{ variation: "on", weight: 10_000 }, { variation: "off", weight: 90_000 }] } },
  prerequisites: [],
};
const DARK: FlagConfig = { on: false, offVariation: "off", targets: [], rules: [], fallthrough: { variation: "off" }, prerequisites: [] };
const DEVELOPMENT: FlagConfig = { ...DARK, on: true, rules: [{ id: "r-dev", clauses: [{ attribute: "country", op: "in", values: ["CA"] }], serve: { variation: "on" } }] };

const access = (role: "viewer" | "editor" | "approver") => requireProjectPermission(fx.byRole[role].user, fx.projectKey, "project:read");

const flagWith = (key: string, configs: Record<string, FlagConfig>) =>
  insertBooleanFlag(fx.projectId, key, Object.fromEntries(Object.entries(configs).map(([envKey, config]) => [env[envKey], config])));

async function configIn(flagKey: string, envKey: string) {
  const row = await getPrisma().flagEnvironmentConfig.findFirstOrThrow({ where: { flag: { projectId: fx.projectId, key: flagKey }, environmentId: env[envKey] } });
  return { version: row.version, config: row.config as unknown as FlagConfig };
}

const promote = (flagKey: string, body: unknown, token = fx.byRole.editor.serviceToken) =>
  callRoute(promoteRoute, { method: "POST", path: `/api/v1/projects/${fx.projectKey}/flags/${flagKey}/promotions`, token, body, params: { project: fx.projectKey, key: flagKey } });

beforeAll(async () => {
  fx = await createProjectFixture("promote");
  const rows = await getPrisma().environment.findMany({ where: { projectId: fx.projectId } });
  env = Object.fromEntries(rows.map((row) => [row.key, row.id]));
  // `beta` holds two people in staging and nobody in production.
  await getPrisma().segment.create({
    data: {
      projectId: fx.projectId,
      key: "beta",
      name: "Beta",
      configs: { create: [{ environmentId: env.staging, included: ["u1", "u2"] }, { environmentId: env.production }, { environmentId: env.development }] },
    },
  });
  await flagWith("banner", { development: DEVELOPMENT, staging: STAGING, production: DARK });
});

describe("promoting a flag", () => {
  test("everything, staging → production: a change request with the diff and the segment warning; applied, production matches staging", async () => {
    const preview = await previewPromotion(await access("viewer"), "banner", { from: "staging", to: "production", scope: { kind: "everything" } });
    expect(preview).toMatchObject({ from: { key: "staging", version: 1 }, to: { key: "production", version: 1, requireReview: true }, errors: [] });
    expect(preview.summary).toEqual(expect.arrayContaining(["Turns the flag on."]));
    expect(preview.warnings).toEqual([expect.stringContaining("Segment “beta” differs: 2 included, 0 excluded, 0 rules in Staging, 0 included")]);

    const response = await promote("banner", { from: "staging", to: "production" });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ status: "open", source: "promotion", title: "Promote banner from Staging to Production", description: expect.stringContaining("⚠ Segment “beta” differs") });
    expect(response.body.items).toEqual([expect.objectContaining({ entityKey: "banner", baseVersion: 1, proposed: expect.objectContaining({ rules: STAGING.rules, fallthrough: STAGING.fallthrough }) })]);
    // Nothing reaches production before review.
    expect(await configIn("banner", "production")).toEqual({ version: 1, config: DARK });

    const number = response.body.number as number;
    await reviewChangeRequest(await access("approver"), number, { decision: "approve", body: "" });
    expect(await applyChangeRequest(await access("approver"), number)).toMatchObject({ status: "applied" });
    expect(await configIn("banner", "production")).toEqual({ version: 2, config: STAGING });
  });

  test("chosen parts: one rule into development keeps development's own rules and fallthrough", async () => {
    const result = await executeAction(
      promoteFlagDefinition,
      { projectKey: fx.projectKey, flagKey: "banner", from: "staging", to: "development", scope: { kind: "parts", ruleIds: ["r-beta"] } },
      fx.byRole.editor.user,
    );
    if (!result.ok) throw new Error(result.error.message);
    // Development needs no review: approved at once, applied by its author.
    expect(result.data).toMatchObject({ status: "approved", path: expect.stringContaining("/development/change-requests/") });
    await applyChangeRequest(await access("editor"), result.data.number);
    const { config } = await configIn("banner", "development");
    expect(config.rules.map((r) => r.id)).toEqual(["r-beta", "r-dev"]);
    expect(config).toMatchObject({ on: true, fallthrough: DEVELOPMENT.fallthrough, targets: [] });
  });

  test("a segment the target does not have is an error the preview shows and the proposal refuses", async () => {
    const staff = await getPrisma().segment.create({ data: { projectId: fx.projectId, key: "staff", name: "Staff", configs: { create: [{ environmentId: env.staging, included: ["s1"] }] } } });
    await flagWith("staff-tools", {
      development: DARK,
      staging: { ...DARK, on: true, rules: [{ id: "r-staff", clauses: [{ attribute: "targetingKey", op: "inSegment", values: [staff.key] }], serve: { variation: "on" } }] },
      production: DARK,
    });
    const preview = await previewPromotion(await access("viewer"), "staff-tools", { from: "staging", to: "production", scope: { kind: "everything" } });
    expect(preview.errors).toEqual([expect.stringContaining("staff")]);
    const before = await getPrisma().changeRequest.count({ where: { projectId: fx.projectId } });
    const refused = await promote("staff-tools", { from: "staging", to: "production" });
    expect(refused).toMatchObject({ status: 400, body: { error: { message: expect.stringContaining("Production refuses the copy") } } });
    expect(await getPrisma().changeRequest.count({ where: { projectId: fx.projectId } })).toBe(before);
  });

  test("bad input and the wrong role are refused clearly and file nothing", async () => {
    const before = await getPrisma().changeRequest.count({ where: { projectId: fx.projectId } });
    const cases: [unknown, number, string][] = [
      [{ from: "staging", to: "staging" }, 400, "other than the source"],
      [{ from: "staging", to: "moon" }, 404, "moon"],
      [{ from: "staging", to: "production", scope: { kind: "parts", ruleIds: ["nope"] } }, 400, "no rule “nope”"],
      [{ from: "staging", to: "production", scope: { kind: "sideways" } }, 400, ""],
      [{ from: "production", to: "staging" }, 400, "already matches"],
    ];
    for (const [body, status, message] of cases) {
      const response = await promote("banner", body);
      expect(response.status, JSON.stringify(body)).toBe(status);
      expect(JSON.stringify(response.body.error)).toContain(message);
    }
    expect((await promote("banner", { from: "staging", to: "development" }, fx.byRole.viewer.serviceToken)).status).toBe(403);
    expect((await promote("no-such-flag", { from: "staging", to: "production" })).status).toBe(404);
    expect(await getPrisma().changeRequest.count({ where: { projectId: fx.projectId } })).toBe(before);
  });
});

test("the OpenAPI document describes change requests, promotions and environment policies", async () => {
  const { GET } = await import("@/app/api/v1/openapi.json/route");
  const document = await GET().json();
  expect(Object.keys(document.paths)).toEqual(
    expect.arrayContaining([
      "/api/v1/projects/{project}/environments/{env}/change-requests",
      "/api/v1/projects/{project}/change-requests",
      "/api/v1/projects/{project}/change-requests/{number}",
      "/api/v1/projects/{project}/change-requests/{number}/reviews",
      "/api/v1/projects/{project}/change-requests/{number}/apply",
      "/api/v1/projects/{project}/flags/{key}/promotions",
      "/api/v1/projects/{project}/environments/{env}",
    ]),
  );
  expect(document.components.schemas.Promotion.required).toEqual(expect.arrayContaining(["from", "to"]));
  expect(Object.keys(document.paths["/api/v1/projects/{project}/environments/{env}"])).toEqual(expect.arrayContaining(["get", "patch"]));
});
