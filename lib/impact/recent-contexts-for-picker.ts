import type { ProjectAccess } from "@/lib/auth/access";
import { listAttributes } from "@/lib/data/attributes";
import { listRecentContexts } from "@/lib/data/recent-contexts";
import { stripAttributes } from "@/lib/events/strip-attributes";
import { environmentOrThrow } from "@/lib/projects/environment-or-throw";
import { IMPACT_WINDOW_DAYS } from "./sample";

export interface PickableContext {
  contextKey: string;
  /** Only attributes the catalog marks public today. */
  attributes: Record<string, unknown>;
  lastSeenAt: string;
}

/**
 * The contexts seen most recently in an environment, for the Evaluate as… picker: the same
 * source the impact previews replay. Events only ever store public attributes, but an attribute
 * made private since is still in old events: it is removed here, as ingestion would now.
 */
export async function listRecentContextsForPicker(access: ProjectAccess, environmentKey: string, limit: number, now = new Date()): Promise<PickableContext[]> {
  const environment = await environmentOrThrow(access.project.id, environmentKey);
  const [contexts, catalog] = await Promise.all([
    listRecentContexts(environment.id, new Date(now.getTime() - IMPACT_WINDOW_DAYS * 86_400_000), limit),
    listAttributes(access.project.id),
  ]);
  const publicKeys = new Set(catalog.filter((a) => a.sensitivity === "public").map((a) => a.key));
  return contexts.map((c) => ({ contextKey: c.contextKey, attributes: stripAttributes(c.attributes, publicKeys).kept, lastSeenAt: c.lastSeenAt.toISOString() }));
}
