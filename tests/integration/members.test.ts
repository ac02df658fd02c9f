import { beforeAll, describe, expect, test } from "vitest";
import { requireProjectPermission } from "@/lib/auth/access";
import { getPrisma } from "@/lib/db";
import { addMember, changeMemberRole, removeMember } from "@/lib/members/manage-members";
import { withAppDatabase } from "./helpers/app-database";
import { createProjectFixture, type ProjectFixture } from "./helpers/fixtures";

withAppDatabase();

let fx: ProjectFixture;
beforeAll(async () => {
  fx = await createProjectFixture("members");
});

const adminAccess = () => requireProjectPermission(fx.byRole.admin.user, fx.projectKey, "members:write");

describe("members", () => {
  test("adding an unknown email or an existing member is refused clearly", async () => {
    await expect(addMember(await adminAccess(), "ghost@example.test", "viewer")).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(addMember(await adminAccess(), fx.bystander.email, "viewer")).rejects.toMatchObject({ code: "CONFLICT" });
  });

  test("the last admin can be neither demoted nor removed", async () => {
    const access = await adminAccess();
    const adminId = fx.byRole.admin.user.userId;
    await expect(changeMemberRole(access, adminId, "viewer")).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(removeMember(access, adminId)).rejects.toMatchObject({ code: "CONFLICT" });
    const membership = await getPrisma().membership.findFirst({ where: { userId: adminId, projectId: fx.projectId } });
    expect(membership?.role).toBe("admin");
  });

  test("two admins demoting each other at once leave one admin", async () => {
    const access = await adminAccess();
    const second = fx.byRole.approver.user.userId;
    await changeMemberRole(access, second, "admin");
    const secondAccess = await requireProjectPermission(fx.byRole.approver.user, fx.projectKey, "members:write");
    const outcomes = await Promise.allSettled([
      changeMemberRole(access, second, "viewer"),
      changeMemberRole(secondAccess, fx.byRole.admin.user.userId, "viewer"),
    ]);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    expect(await getPrisma().membership.count({ where: { projectId: fx.projectId, role: "admin" } })).toBe(1);
  });
});

test("membership changes are audited with before and after", async () => {
  const access = await adminAccess();
  await changeMemberRole(access, fx.bystander.userId, "editor");
  const event = await getPrisma().auditEvent.findFirst({
    where: { projectId: fx.projectId, action: "member.role_changed", entityKey: fx.bystander.email },
    orderBy: { id: "desc" },
  });
  expect(event).toMatchObject({ actorType: "user", actorLabel: fx.byRole.admin.user.email, before: { role: "viewer" }, after: { role: "editor" } });
});
