"use server";

import { runAction } from "@/lib/actions/run-action";
import { addMemberDefinition, changeMemberRoleDefinition, removeMemberDefinition } from "@/lib/members/member-actions";

export async function addMemberAction(input: unknown) {
  return runAction(addMemberDefinition, input);
}

export async function changeMemberRoleAction(input: unknown) {
  return runAction(changeMemberRoleDefinition, input);
}

export async function removeMemberAction(input: unknown) {
  return runAction(removeMemberDefinition, input);
}
