import type { Actor } from "@/lib/auth/actor";
import { actorLabel } from "@/lib/auth/actor";
import type { AuditEventInput } from "./append-audit-event";

/** The who of an audit entry. */
export function auditActorFields(actor: Actor): Pick<AuditEventInput, "actorType" | "actorId" | "actorLabel"> {
  const actorId = actor.type === "user" ? actor.userId : actor.type === "api_token" ? actor.tokenId : null;
  return { actorType: actor.type, actorId, actorLabel: actorLabel(actor) };
}
