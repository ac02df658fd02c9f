import type { ProjectAccess } from "@/lib/auth/access";
import type { Role } from "@/lib/auth/permissions";
import { changeMembership, findMembership, insertMembership } from "@/lib/data/memberships";
import { findUserByEmail } from "@/lib/data/users";
import { AppError, conflict } from "@/lib/errors";

export async function addMember(access: ProjectAccess, email: string, role: Role) {
  const user = await findUserByEmail(email);
  if (!user) {
    throw new AppError("NOT_FOUND", `No account uses ${email}. They need to sign in once (or be created by an administrator) before they can be added.`);
  }
  if (await findMembership(user.id, access.project.id)) throw conflict(`${email} is already a member of this project.`);
  await insertMembership(access.project.id, user, role, access.actor);
  return { userId: user.id, email: user.email, role };
}

export function changeMemberRole(access: ProjectAccess, userId: string, role: Role) {
  return changeMembership(access.project.id, userId, role, access.actor);
}

export function removeMember(access: ProjectAccess, userId: string) {
  return changeMembership(access.project.id, userId, null, access.actor);
}
