import type { ProjectAccess } from "@/lib/auth/access";
import { updateFlag } from "./update-flag";

/**
 * DELETE of a flag: it is archived, never erased (events, rollups and history refer to its key).
 * Archived flags leave every snapshot. Refused while another flag requires it, or while it is on
 * in an environment that requires review. Archiving an archived flag changes nothing.
 */
export function archiveFlag(access: ProjectAccess, flagKey: string, reason?: string) {
  return updateFlag(access, flagKey, { lifecycle: "archived", ...(reason ? { reason } : {}) });
}
