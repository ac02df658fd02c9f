import type { ProjectAccess } from "@/lib/auth/access";
import { countOpenOverrides, listProjectOverrides } from "@/lib/data/emergency-overrides";
import { toOverrideView, type OverrideView } from "./override-json";

/** How many overrides the incidents page and the flag banner read at most. */
const LIST_LIMIT = 200;

/** The incidents page: follow-ups still awaiting review, and the past ones. */
export async function listOverrides(access: ProjectAccess): Promise<{ open: OverrideView[]; past: OverrideView[] }> {
  const [open, all] = await Promise.all([
    listProjectOverrides(access.project.id, { open: true, limit: LIST_LIMIT }),
    listProjectOverrides(access.project.id, { limit: LIST_LIMIT }),
  ]);
  return { open: open.map(toOverrideView), past: all.filter((row) => row.reviewedAt).map(toOverrideView) };
}

/** The flag page's banner: overrides of this flag nobody has acknowledged yet. */
export async function listUnacknowledgedFlagOverrides(access: ProjectAccess, flagKey: string): Promise<OverrideView[]> {
  return (await listProjectOverrides(access.project.id, { flagKey, unacknowledged: true, limit: LIST_LIMIT })).map(toOverrideView);
}

/** The navigation badge. */
export async function countOpenFollowUps(access: ProjectAccess): Promise<number> {
  return countOpenOverrides(access.project.id);
}
