import { z } from "zod";
import { ROLES } from "@/lib/auth/permissions";
import { emailSchema } from "./common";
import { projectKeySchema } from "./project";

export const roleSchema = z.enum(ROLES, { error: "Choose a role: viewer, editor, approver or admin." });

export const addMemberSchema = z.object({ projectKey: projectKeySchema, email: emailSchema, role: roleSchema });
export const changeMemberRoleSchema = z.object({ projectKey: projectKeySchema, userId: z.string().min(1), role: roleSchema });
export const removeMemberSchema = z.object({ projectKey: projectKeySchema, userId: z.string().min(1) });
