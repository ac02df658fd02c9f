"use server";

import { runProjectAction } from "@/lib/auth/project-action";
import { addMember, changeMemberRole, removeMember } from "@/lib/members/manage-members";
import { addMemberSchema, changeMemberRoleSchema, removeMemberSchema } from "@/lib/schemas/member";

export async function addMemberAction(input: unknown) {
  return runProjectAction(input, { schema: addMemberSchema, permission: "members:write", handler: (data, access) => addMember(access, data.email, data.role) });
}

export async function changeMemberRoleAction(input: unknown) {
  return runProjectAction(input, {
    schema: changeMemberRoleSchema,
    permission: "members:write",
    handler: (data, access) => changeMemberRole(access, data.userId, data.role),
  });
}

export async function removeMemberAction(input: unknown) {
  return runProjectAction(input, { schema: removeMemberSchema, permission: "members:write", handler: (data, access) => removeMember(access, data.userId) });
}
