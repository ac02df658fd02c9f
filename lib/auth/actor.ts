import type { RequestMeta } from "@/lib/audit/request-meta";
import type { Role } from "./permissions";

/** The request an actor acts through (absent for the scheduler and scripts); recorded in the audit log. */
interface ThroughRequest {
  request?: RequestMeta;
}

/** Who is acting: a signed-in person, an API token, or the scheduler. Recorded in the audit log. */
export type Actor =
  | ({ type: "user"; userId: string; email: string; name: string } & ThroughRequest)
  | ({
      type: "api_token";
      tokenId: string;
      name: string;
      /** Personal tokens act with their user's memberships. */
      userId: string | null;
      /** Service tokens carry a role of their own, optionally limited to one project. */
      role: Role | null;
      projectId: string | null;
    } & ThroughRequest)
  | ({ type: "system"; name: string } & ThroughRequest);

export function actorLabel(actor: Actor): string {
  switch (actor.type) {
    case "user":
      return actor.email;
    case "api_token":
      return `token:${actor.name}`;
    case "system":
      return `system:${actor.name}`;
  }
}

/** The person an actor acts as (a signed-in user or a personal token), for `createdBy` / `updatedBy`. */
export function actingUserId(actor: Actor): string | null {
  return actor.type === "user" ? actor.userId : actor.type === "api_token" ? actor.userId : null;
}
