/**
 * Change requests end to end through their services, actions and REST routes: proposal with a
 * rule-level diff, the author never approving, approval tallies from the policy, a new revision
 * resetting approvals, atomic apply that publishes the snapshot, conflicts and rebase, schedule
 * and the scheduler, cancel, and bad input that changes nothing.
 */
import { beforeAll, describe, expect, test } from "vitest";
import { executeAction } from "@/lib/actions/define-action";
import { requireProjectPermission } from "@/lib/auth/access";
import { applyChangeRequest, applyDueChangeRequests, scheduleChangeRequest } from "@/lib/change-requests/apply-change-request";
import {
  applyChangeRequestDefinition,
  commentChangeRequestDefinition,
  createChangeRequestDefinition,
  rebaseChangeRequestDefinition,
  reviewChangeRequestDefinition,
  scheduleChangeRequestDefinition,
} from "@/lib/change-requests/change-request-actions";
import { countAwaitingMyReview, listChangeRequestsFor, readChangeRequest } from "@/lib/change-requests/change-request-view";
import { openChangeRequest, reviseChangeRequest } from "@/lib/change-requests/open-change-request";
import { getDatabase, getPrisma } from "@/lib/db";
import { runSchedulerTickExclusively, SCHEDULER_LOCK_KEY } from "@/lib/scheduler/scheduler";
import { evaluateFlag } from "@/lib/evaluation";
import type { FlagConfig } from "@/lib/evaluation/types";
import { updateFlagConfig } from "@/lib/flags/update-flag-config";
import { getSnapshotStore } from "@/lib/snapshots/snapshot-store";
import { listChangeRequestsQuerySchema } from "@/lib/schemas/change-request";
import { POST as createRoute } from "@/app/api/v1/projects/[project]/environments/[env]/change-requests/route";
import { POST as reviewRoute } from "@/app/api/v1/projects/[project]/change-requests/[number]/reviews/route";
import { POST as applyRoute } from "@/app/api/v1/projects/[project]/change-requests/[number]/apply/route";
import { withAppDatabase } from "./helpers/app-database";
import { callRoute, createProjectFixture, type ProjectFixture } from "./helpers/fixtures";

withAppDatabase();

let fx: ProjectFixture;
beforeAll(async () => {
  fx = await createProjectFixture("changes");
});

const access = (role: "viewer" | "editor" | "approver" | "admin") => requireProjectPermission(fx.byRole[role].user, fx.projectKey, "project:read");

async function live(env = "production") {
  const row = await getPrisma().flagEnvironmentConfig.findFirstOrThrow({ where: { flag: { projectId: fx.projectId, key: "checkout" }, environment: { key: env } } });
  return { version: row.version, config: row.config as unknown as FlagConfig };
}

const proRule = (values: string[]): FlagConfig["rules"][number] => ({ id: "rule-pro", clauses: [{ attribute: "plan", op: "in", values }], serve: { variation: "on" } });

async function propose(config: FlagConfig, baseVersion: number, title = "Pro users get checkout") {
  return openChangeRequest(await access("editor"), { environmentKey: "production", title, description: "", draft: false, changes: [{ entityType: "flag", key: "checkout", baseVersion, config }] });
}

/** Serves `checkout` in production for a pro context, from the in-memory snapshot. */
async function served(): Promise<string | undefined> {
  const env = await getPrisma().environment.findFirstOrThrow({ where: { projectId: fx.projectId, key: "production" } });
  const snapshot = await getSnapshotStore().get(env.id);
  return snapshot ? evaluateFlag(snapshot.compiled, "checkout", { targetingKey: "u1", plan: "pro" }).variationKey : undefined;
}

describe("the review flow", () => {
  test("propose → diff → author cannot approve → approver approves → applied and served", async () => {
    const start = await live();
    const opened = await propose({ ...start.config, rules: [proRule(["pro"])] }, start.version);
    expect(opened.status).toBe("open");

    const view = await readChangeRequest(await access("approver"), opened.number);
    expect(view.items[0].diff).toMatchObject({ entity: "flag", summary: ["Adds rule 1: if plan is pro then serve `on`."] });
    expect(view.viewer).toMatchObject({ canReview: true, canApply: false });
    expect(await countAwaitingMyReview(await access("approver"))).toBeGreaterThanOrEqual(1);

    // The author holds no approval right as editor; even an admin author cannot approve their own.
    const byAuthor = await executeAction(reviewChangeRequestDefinition, { projectKey: fx.projectKey, number: opened.number, decision: "approve" }, fx.byRole.editor.user);
    expect(byAuthor).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    const adminOwn = await openChangeRequest(await access("admin"), { environmentKey: "production", title: "Admin's own", description: "", draft: false, changes: [{ entityType: "flag", key: "checkout", baseVersion: start.version, config: { ...start.config, on: false } }] });
    const adminSelf = await executeAction(reviewChangeRequestDefinition, { projectKey: fx.projectKey, number: adminOwn.number, decision: "approve" }, fx.byRole.admin.user);
    expect(adminSelf).toMatchObject({ ok: false, error: { code: "FORBIDDEN", message: expect.stringContaining("someone else") } });

    // Applying before approval is refused and changes nothing.
    const early = await executeAction(applyChangeRequestDefinition, { projectKey: fx.projectKey, number: opened.number }, fx.byRole.editor.user);
    expect(early).toMatchObject({ ok: false, error: { code: "CONFLICT", message: expect.stringContaining("approvals") } });
    expect((await live()).version).toBe(start.version);

    const approved = await executeAction(reviewChangeRequestDefinition, { projectKey: fx.projectKey, number: opened.number, decision: "approve", body: "LGTM" }, fx.byRole.approver.user);
    expect(approved).toMatchObject({ ok: true, data: { status: "approved", approvals: 1, required: 1 } });

    expect(await served()).toBe("off");
    const applied = await executeAction(applyChangeRequestDefinition, { projectKey: fx.projectKey, number: opened.number }, fx.byRole.editor.user);
    expect(applied).toMatchObject({ ok: true, data: { status: "applied" } });
    expect((await live()).version).toBe(start.version + 1);
    expect(await served()).toBe("on");

    // Applying twice is refused.
    const twice = await executeAction(applyChangeRequestDefinition, { projectKey: fx.projectKey, number: opened.number }, fx.byRole.editor.user);
    expect(twice).toMatchObject({ ok: false, error: { code: "CONFLICT", message: expect.stringContaining("already applied") } });

    // The audit log carries the same diff, linked to the request; the revision names it too.
    const request = await getPrisma().changeRequest.findUniqueOrThrow({ where: { projectId_number: { projectId: fx.projectId, number: opened.number } }, include: { transitions: true } });
    const audit = await getPrisma().auditEvent.findFirstOrThrow({ where: { projectId: fx.projectId, action: "flag_config.updated", changeRequestId: request.id } });
    expect(audit.diff).toMatchObject({ entity: "flag", rules: [{ change: "added", ruleId: "rule-pro" }] });
    expect(request.transitions.map((t) => t.toStatus)).toEqual(["open", "approved", "applied"]);
    const revision = await getPrisma().flagConfigRevision.findFirstOrThrow({ where: { changeRequestId: request.id } });
    expect(revision.version).toBe(start.version + 1);

    // Rebasing needs a conflict.
    const notConflicted = await executeAction(rebaseChangeRequestDefinition, { projectKey: fx.projectKey, number: adminOwn.number }, fx.byRole.admin.user);
    expect(notConflicted).toMatchObject({ ok: false, error: { code: "CONFLICT", message: expect.stringContaining("not conflicted") } });
  });

  test("two required approvals; request changes holds it; a new revision resets approvals", async () => {
    await getPrisma().environment.updateMany({ where: { projectId: fx.projectId, key: "production" }, data: { requiredApprovals: 2 } });
    try {
      const start = await live();
      const opened = await propose({ ...start.config, rules: [proRule(["pro", "enterprise"])] }, start.version, "Enterprise too");
      const approver2 = await getPrisma().user.create({ data: { email: `approver2-${fx.projectKey}@example.test`, name: "Second approver" } });
      await getPrisma().membership.create({ data: { userId: approver2.id, projectId: fx.projectId, role: "approver" } });
      const second = { type: "user" as const, userId: approver2.id, email: approver2.email, name: "Second approver" };

      expect(await executeAction(reviewChangeRequestDefinition, { projectKey: fx.projectKey, number: opened.number, decision: "approve" }, fx.byRole.approver.user)).toMatchObject({ ok: true, data: { status: "open", approvals: 1, required: 2 } });
      expect(await executeAction(reviewChangeRequestDefinition, { projectKey: fx.projectKey, number: opened.number, decision: "request_changes", body: "Add a description" }, second)).toMatchObject({ ok: true, data: { status: "changes_requested" } });

      // The author revises: a new revision; the earlier approval no longer counts.
      const next = { ...start.config, rules: [{ ...proRule(["pro", "enterprise"]), description: "Paid plans" }] };
      await reviseChangeRequest(await access("editor"), opened.number, { changes: [{ entityType: "flag", key: "checkout", baseVersion: start.version, config: next }] });
      const revised = await readChangeRequest(await access("editor"), opened.number);
      expect(revised).toMatchObject({ status: "open", revision: 2, approvals: { count: 0, required: 2 } });
      expect(revised.items[0].diff).toMatchObject({ summary: [expect.stringContaining("Rule 1 (Paid plans) — plan is pro → plan is one of pro, enterprise")] });

      await executeAction(reviewChangeRequestDefinition, { projectKey: fx.projectKey, number: opened.number, decision: "approve" }, fx.byRole.approver.user);
      expect(await executeAction(reviewChangeRequestDefinition, { projectKey: fx.projectKey, number: opened.number, decision: "approve" }, second)).toMatchObject({ ok: true, data: { status: "approved", approvals: 2 } });
      await executeAction(commentChangeRequestDefinition, { projectKey: fx.projectKey, number: opened.number, body: "Thanks!", anchorItemId: revised.items[0].id, anchorRuleId: "rule-pro" }, fx.byRole.editor.user);
      expect((await readChangeRequest(await access("viewer"), opened.number)).comments).toMatchObject([{ body: "Thanks!", anchorRuleId: "rule-pro" }]);
      await getPrisma().changeRequest.update({ where: { projectId_number: { projectId: fx.projectId, number: opened.number } }, data: { status: "cancelled" } });
    } finally {
      await getPrisma().environment.updateMany({ where: { projectId: fx.projectId, key: "production" }, data: { requiredApprovals: 1 } });
    }
  });

  test("a flag changed after the proposal makes the apply a conflict; rebase proposes again against the current version", async () => {
    const start = await live("staging");
    const opened = await openChangeRequest(await access("editor"), { environmentKey: "staging", title: "Staging tweak", description: "", draft: false, changes: [{ entityType: "flag", key: "checkout", baseVersion: start.version, config: { ...start.config, fallthrough: { variation: "on" } } }] });
    // Staging needs no review: approved at once.
    expect(opened.status).toBe("approved");
    await updateFlagConfig(await access("editor"), { environmentKey: "staging", flagKey: "checkout", config: { ...start.config, on: false }, expectedVersion: start.version });

    const outcome = await applyChangeRequest(await access("editor"), opened.number);
    expect(outcome).toMatchObject({ status: "conflicted", conflicts: [{ entityKey: "checkout", baseVersion: start.version, currentVersion: start.version + 1 }] });
    expect((await live("staging")).config.fallthrough).toEqual(start.config.fallthrough);

    const rebased = await executeAction(rebaseChangeRequestDefinition, { projectKey: fx.projectKey, number: opened.number }, fx.byRole.editor.user);
    expect(rebased).toMatchObject({ ok: true, data: { revision: 2 } });
    const view = await readChangeRequest(await access("editor"), opened.number);
    expect(view).toMatchObject({ status: "approved", items: [{ baseVersion: start.version + 1 }] });
    // The rebased proposal is the full proposed configuration: it also turns the flag back on.
    expect(view.items[0].diff).toMatchObject({ summary: expect.arrayContaining(["Turns the flag on."]) });
    expect(await applyChangeRequest(await access("editor"), opened.number)).toMatchObject({ status: "applied" });
  });

  test("scheduled requests are applied by the scheduler when due, not before", async () => {
    const start = await live("staging");
    const opened = await openChangeRequest(await access("editor"), { environmentKey: "staging", title: "Friday launch", description: "", draft: false, changes: [{ entityType: "flag", key: "checkout", baseVersion: start.version, config: { ...start.config, offVariation: "on" } }] });
    const past = await executeAction(scheduleChangeRequestDefinition, { projectKey: fx.projectKey, number: opened.number, at: new Date(Date.now() - 60_000).toISOString() }, fx.byRole.editor.user);
    expect(past).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED" } });
    const at = new Date(Date.now() + 3_600_000);
    await scheduleChangeRequest(await access("editor"), opened.number, at);
    expect((await applyDueChangeRequests(new Date())).filter((r) => r.projectId === fx.projectId)).toEqual([]);
    expect((await live("staging")).version).toBe(start.version);
    const results = await applyDueChangeRequests(new Date(at.getTime() + 1000));
    expect(results.find((r) => r.number === opened.number)?.outcome).toMatchObject({ status: "applied" });
    expect((await live("staging")).config.offVariation).toBe("on");
    const view = await readChangeRequest(await access("viewer"), opened.number);
    expect(view.transitions.at(-1)).toMatchObject({ to: "applied", actor: "system:scheduler" });
  });
});

describe("the scheduler tick", () => {
  test("runs when no other instance holds the lock, and skips the pass while one does (PostgreSQL)", async () => {
    expect(await runSchedulerTickExclusively(new Date())).toMatchObject({ changeRequests: expect.any(Array) });
    if (getDatabase().handle.config.kind !== "postgres") return; // one process owns the embedded database
    await getPrisma().$transaction(async (tx) => {
      await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${SCHEDULER_LOCK_KEY})`);
      expect(await runSchedulerTickExclusively(new Date())).toBeNull();
    });
  });
});

describe("grouping, lists and REST", () => {
  test("a request may change a segment and a flag rule that uses it, applied together", async () => {
    const prisma = getPrisma();
    const segment = await prisma.segment.create({ data: { projectId: fx.projectId, key: "vip", name: "VIP" } });
    const production = await prisma.environment.findFirstOrThrow({ where: { projectId: fx.projectId, key: "production" } });
    await prisma.segmentEnvironmentConfig.create({ data: { segmentId: segment.id, environmentId: production.id } });
    const start = await live();
    const response = await callRoute(createRoute, {
      method: "POST",
      path: `/api/v1/projects/${fx.projectKey}/environments/production/change-requests`,
      token: fx.byRole.editor.serviceToken,
      params: { project: fx.projectKey, env: "production" },
      body: {
        title: "VIP launch",
        changes: [
          { entityType: "segment", key: "vip", baseVersion: 1, included: ["u-vip", "u-vip"] },
          { entityType: "flag", key: "checkout", baseVersion: start.version, config: { ...start.config, rules: [{ id: "vip", clauses: [{ attribute: "targetingKey", op: "inSegment", values: ["vip"] }], serve: { variation: "on" } }] } },
        ],
      },
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ status: "open", source: "api", items: [{ entityType: "segment", diff: { summary: ["Includes `u-vip`."] } }, { entityType: "flag" }] });
    const number = response.body.number as number;

    // Service tokens cannot review; a person can.
    const byToken = await callRoute(reviewRoute, { method: "POST", path: "/x", token: fx.byRole.approver.serviceToken, params: { project: fx.projectKey, number: String(number) }, body: { decision: "approve" } });
    expect(byToken.status).toBe(403);
    await executeAction(reviewChangeRequestDefinition, { projectKey: fx.projectKey, number, decision: "approve" }, fx.byRole.approver.user);
    const applied = await callRoute(applyRoute, { method: "POST", path: "/x", token: fx.byRole.approver.serviceToken, params: { project: fx.projectKey, number: String(number) } });
    expect(applied.status).toBe(200);
    expect(applied.body.status).toBe("applied");
    const membership = await prisma.segmentEnvironmentConfig.findFirstOrThrow({ where: { segmentId: segment.id, environmentId: production.id } });
    expect(membership).toMatchObject({ version: 2, included: ["u-vip"] });
    expect((await live()).config.rules.map((r) => r.id)).toEqual(["vip"]);
  });

  test("lists: mine, awaiting my review, by state", async () => {
    const mine = await listChangeRequestsFor(await access("editor"), listChangeRequestsQuerySchema.parse({ view: "mine" }));
    expect(mine.items.length).toBeGreaterThan(0);
    const applied = await listChangeRequestsFor(await access("viewer"), listChangeRequestsQuerySchema.parse({ status: "applied", environment: "staging" }));
    expect(applied.items.every((i) => i.status === "applied" && i.environment.key === "staging")).toBe(true);
    expect(await countAwaitingMyReview(await access("viewer"))).toBe(0);
  });

  test("bad input is refused with clear errors and stores nothing", async () => {
    const before = await getPrisma().changeRequest.count({ where: { projectId: fx.projectId } });
    const start = await live();
    const cases: unknown[] = [
      { projectKey: fx.projectKey, environmentKey: "production", title: "", changes: [{ entityType: "flag", key: "checkout", baseVersion: start.version, config: start.config }] },
      { projectKey: fx.projectKey, environmentKey: "production", title: "Nothing", changes: [] },
      { projectKey: fx.projectKey, environmentKey: "production", title: "Same", changes: [{ entityType: "flag", key: "checkout", baseVersion: start.version, config: start.config }] },
      { projectKey: fx.projectKey, environmentKey: "production", title: "Stale", changes: [{ entityType: "flag", key: "checkout", baseVersion: start.version - 1, config: { ...start.config, on: false } }] },
      { projectKey: fx.projectKey, environmentKey: "production", title: "Unknown", changes: [{ entityType: "flag", key: "nope", baseVersion: 1, config: start.config }] },
      { projectKey: fx.projectKey, environmentKey: "production", title: "Bad variation", changes: [{ entityType: "flag", key: "checkout", baseVersion: start.version, config: { ...start.config, fallthrough: { variation: "maybe" } } }] },
    ];
    const codes = [];
    for (const input of cases) {
      const result = await executeAction(createChangeRequestDefinition, input, fx.byRole.editor.user);
      expect(result.ok).toBe(false);
      codes.push(!result.ok && result.error.code);
    }
    expect(codes).toEqual(["VALIDATION_FAILED", "VALIDATION_FAILED", "VALIDATION_FAILED", "CONFLICT", "NOT_FOUND", "VALIDATION_FAILED"]);
    const viewer = await executeAction(createChangeRequestDefinition, { projectKey: fx.projectKey, environmentKey: "production", title: "x", changes: [{ entityType: "flag", key: "checkout", baseVersion: start.version, config: { ...start.config, on: false } }] }, fx.byRole.viewer.user);
    expect(viewer).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    const badNumber = await executeAction(applyChangeRequestDefinition, { projectKey: fx.projectKey, number: "twelve" }, fx.byRole.editor.user);
    expect(badNumber).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED" } });
    expect(await getPrisma().changeRequest.count({ where: { projectId: fx.projectId } })).toBe(before);
  });
});
