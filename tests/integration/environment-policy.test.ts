/**
 * Editing an environment's policy (Settings → General, `PATCH …/environments/{env}`): admins
 * only, audited with what changed, bad input refused without a change, and requests under review
 * tallied again under the new policy.
 */
import { beforeAll, describe, expect, test } from "vitest";
import * as environmentRoute from "@/app/api/v1/projects/[project]/environments/[env]/route";
import { executeAction } from "@/lib/actions/define-action";
import { requireProjectPermission } from "@/lib/auth/access";
import { scheduleChangeRequest } from "@/lib/change-requests/apply-change-request";
import { openChangeRequest } from "@/lib/change-requests/open-change-request";
import { reviewChangeRequest } from "@/lib/change-requests/review-change-request";
import { getPrisma } from "@/lib/db";
import type { FlagConfig } from "@/lib/evaluation/types";
import { updateEnvironmentPolicyDefinition } from "@/lib/projects/environment-actions";
import { withAppDatabase } from "./helpers/app-database";
import { callRoute, createProjectFixture, type ProjectFixture } from "./helpers/fixtures";

withAppDatabase();

let fx: ProjectFixture;
beforeAll(async () => {
  fx = await createProjectFixture("policy");
});

const access = (role: "editor" | "approver" | "admin") => requireProjectPermission(fx.byRole[role].user, fx.projectKey, "project:read");

const patch = (body: unknown, token = fx.byRole.admin.serviceToken, env = "production") =>
  callRoute(environmentRoute.PATCH, { method: "PATCH", path: `/api/v1/projects/${fx.projectKey}/environments/${env}`, token, body, params: { project: fx.projectKey, env } });

let proposals = 0;
/** A production change request by the editor, approved once by the approver. */
async function approvedRequest() {
  const row = await getPrisma().flagEnvironmentConfig.findFirstOrThrow({ where: { flag: { projectId: fx.projectId, key: "checkout" }, environment: { key: "production" } } });
  const config = row.config as unknown as FlagConfig;
  const { number } = await openChangeRequest(await access("editor"), {
    environmentKey: "production",
    title: `policy ${proposals}`,
    description: "",
    draft: false,
    changes: [{ entityType: "flag", key: "checkout", baseVersion: row.version, config: { ...config, targets: [{ variation: "on", values: [`u-${proposals++}`] }] } }],
  });
  await reviewChangeRequest(await access("approver"), number, { decision: "approve", body: "" });
  return number;
}

const statusOf = async (number: number) => (await getPrisma().changeRequest.findFirstOrThrow({ where: { projectId: fx.projectId, number } })).status;

describe("environment policy", () => {
  test("an admin raises the required approvals: audited, and approved requests go back for review (scheduled ones lose their time)", async () => {
    const approved = await approvedRequest();
    const scheduled = await approvedRequest();
    await scheduleChangeRequest(await access("editor"), scheduled, new Date(Date.now() + 86_400_000));
    expect([await statusOf(approved), await statusOf(scheduled)]).toEqual(["approved", "scheduled"]);

    const response = await patch({ requiredApprovals: 2, maxRolloutPercentWithoutReview: 5.5 });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ key: "production", requireReview: true, requiredApprovals: 2, maxRolloutPercentWithoutReview: 5.5 });
    expect(await getPrisma().environment.findFirstOrThrow({ where: { projectId: fx.projectId, key: "production" } })).toMatchObject({ requiredApprovals: 2, maxRolloutPercentWithoutReview: 5500 });
    expect([await statusOf(approved), await statusOf(scheduled)]).toEqual(["open", "open"]);
    expect((await getPrisma().changeRequest.findFirstOrThrow({ where: { projectId: fx.projectId, number: scheduled } })).scheduledFor).toBeNull();
    const entry = await getPrisma().auditEvent.findFirstOrThrow({ where: { projectId: fx.projectId, action: "environment.policy_updated" }, orderBy: { id: "desc" } });
    expect(entry).toMatchObject({ entityType: "environment", entityKey: "production", before: { requiredApprovals: 1, maxRolloutPercentWithoutReview: 100 }, after: { requiredApprovals: 2, maxRolloutPercentWithoutReview: 5.5 } });

    // Back to one approval: the earlier approval counts again.
    expect((await patch({ requiredApprovals: 1 })).status).toBe(200);
    expect(await statusOf(approved)).toBe("approved");
  });

  test("turning review off approves what is open; the same values again record nothing", async () => {
    const number = await approvedRequest();
    await patch({ requiredApprovals: 2 });
    expect(await statusOf(number)).toBe("open");
    const off = await executeAction(updateEnvironmentPolicyDefinition, { projectKey: fx.projectKey, environmentKey: "production", requireReview: false }, fx.byRole.admin.user);
    expect(off).toMatchObject({ ok: true, data: { requireReview: false } });
    expect(await statusOf(number)).toBe("approved");
    const entries = await getPrisma().auditEvent.count({ where: { projectId: fx.projectId, action: "environment.policy_updated" } });
    expect((await patch({ requireReview: false })).status).toBe(200);
    expect(await getPrisma().auditEvent.count({ where: { projectId: fx.projectId, action: "environment.policy_updated" } })).toBe(entries);
    await patch({ requireReview: true, requiredApprovals: 1 });
  });

  test("the allowlist takes the project's segments; expiry and owner rules; the name and colour", async () => {
    await getPrisma().segment.create({ data: { projectId: fx.projectId, key: "staff", name: "Staff" } });
    const response = await patch({ allowlistOnlyFirstStage: ["staff"], requireExpiry: true, maxFlagLifetimeDays: 90, requireOwner: true, name: "Prod", color: "#123abc" }, fx.byRole.admin.serviceToken, "staging");
    expect(response.body).toMatchObject({ name: "Prod", color: "#123abc", allowlistOnlyFirstStage: ["staff"], requireExpiry: true, maxFlagLifetimeDays: 90, requireOwner: true });
    const get = await callRoute(environmentRoute.GET, { method: "GET", path: "/x", token: fx.byRole.viewer.serviceToken, params: { project: fx.projectKey, env: "staging" } });
    expect(get).toMatchObject({ status: 200, body: { allowlistOnlyFirstStage: ["staff"] } });
    expect((await patch({ allowlistOnlyFirstStage: null, maxFlagLifetimeDays: null }, fx.byRole.admin.serviceToken, "staging")).body).toMatchObject({ allowlistOnlyFirstStage: null, maxFlagLifetimeDays: null });
  });

  test("non-admins and bad input are refused with clear errors; nothing changes", async () => {
    const before = await getPrisma().environment.findFirstOrThrow({ where: { projectId: fx.projectId, key: "production" } });
    const audit = await getPrisma().auditEvent.count({ where: { projectId: fx.projectId } });
    for (const role of ["viewer", "editor", "approver"] as const) {
      expect((await patch({ requiredApprovals: 3 }, fx.byRole[role].serviceToken)).status).toBe(403);
      expect(await executeAction(updateEnvironmentPolicyDefinition, { projectKey: fx.projectKey, environmentKey: "production", requiredApprovals: 3 }, fx.byRole[role].user)).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    }
    const bad: [unknown, string][] = [
      [{ requiredApprovals: 0 }, "requiredApprovals"],
      [{ requiredApprovals: 1.5 }, "requiredApprovals"],
      [{ color: "red" }, "color"],
      [{ maxRolloutPercentWithoutReview: 101 }, "maxRolloutPercentWithoutReview"],
      [{ maxRolloutPercentWithoutReview: 1.0001 }, "maxRolloutPercentWithoutReview"],
      [{ allowlistOnlyFirstStage: ["nobody"] }, "nobody"],
      [{ sneaky: true }, "sneaky"],
      [{ requireReview: "yes" }, "requireReview"],
    ];
    for (const [body, mentioned] of bad) {
      const response = await patch(body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(JSON.stringify(response.body), JSON.stringify(body)).toContain(mentioned);
    }
    expect((await patch({ requiredApprovals: 2 }, fx.byRole.admin.serviceToken, "moon")).status).toBe(404);
    expect(await getPrisma().environment.findFirstOrThrow({ where: { projectId: fx.projectId, key: "production" } })).toEqual(before);
    expect(await getPrisma().auditEvent.count({ where: { projectId: fx.projectId } })).toBe(audit);
  });
});
