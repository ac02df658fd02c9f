import { defineProjectAction } from "@/lib/actions/define-action";
import { addMemberSchema, changeMemberRoleSchema, removeMemberSchema } from "@/lib/schemas/member";
import { addMember, changeMemberRole, removeMember } from "./manage-members";

export const addMemberDefinition = defineProjectAction({
  name: "addMember",
  schema: addMemberSchema,
  permission: "members:write",
  handler: (data, access) => addMember(access, data.email, data.role),
});

export const changeMemberRoleDefinition = defineProjectAction({
  name: "changeMemberRole",
  schema: changeMemberRoleSchema,
  permission: "members:write",
  handler: (data, access) => changeMemberRole(access, data.userId, data.role),
});

export const removeMemberDefinition = defineProjectAction({
  name: "removeMember",
  schema: removeMemberSchema,
  permission: "members:write",
  handler: (data, access) => removeMember(access, data.userId),
});
