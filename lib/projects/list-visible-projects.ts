import type { Actor } from "@/lib/auth/actor";
import { listProjectsByIds, listProjectsForUser } from "@/lib/data/projects";

/** Projects an actor may read: its memberships, or a service token's scope. */
export function listVisibleProjects(actor: Actor) {
  if (actor.type === "user") return listProjectsForUser(actor.userId);
  if (actor.type === "api_token") {
    if (actor.userId) return listProjectsForUser(actor.userId);
    return listProjectsByIds(actor.projectId ? [actor.projectId] : "all");
  }
  return listProjectsByIds("all");
}
