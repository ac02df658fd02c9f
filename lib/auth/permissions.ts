/**
 * The one role → permission table. Every server action and route asks `can()` through the
 * guards in this folder; the UI uses the same table only to hide what would be refused.
 */
export const ROLES = ["viewer", "editor", "approver", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  "project:read",
  "project:create",
  "flags:write",
  "segments:write",
  "killswitch:use",
  "changes:review",
  "changes:apply",
  "attributes:write",
  "environments:write",
  "members:write",
  "tokens:write",
  "sdkkeys:write",
  "webhooks:write",
  "rollouts:write",
  "audit:verify",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const VIEWER: Permission[] = ["project:read"];
const EDITOR: Permission[] = [...VIEWER, "flags:write", "segments:write", "killswitch:use", "rollouts:write", "changes:apply"];
const APPROVER: Permission[] = [...EDITOR, "changes:review", "audit:verify"];
const ADMIN: Permission[] = [...PERMISSIONS];

export const ROLE_PERMISSIONS: Readonly<Record<Role, ReadonlySet<Permission>>> = {
  viewer: new Set(VIEWER),
  editor: new Set(EDITOR),
  approver: new Set(APPROVER),
  admin: new Set(ADMIN),
};

export function can(role: Role | null | undefined, permission: Permission): boolean {
  return role ? ROLE_PERMISSIONS[role].has(permission) : false;
}

export const ROLE_LABELS: Record<Role, string> = {
  viewer: "Viewer — reads dashboards and configuration",
  editor: "Editor — authors flags, segments and change requests",
  approver: "Approver — reviews and approves others' changes",
  admin: "Admin — members, environments, policies and keys",
};
