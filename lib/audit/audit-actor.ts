import type { Actor } from "@/lib/auth/actor";
import { actorLabel } from "@/lib/auth/actor";
import type { AuditEventInput } from "./append-audit-event";

/**
 * The who of an audit entry, and the request it came through. Every write spreads this stamp
 * into its audit event, so request metadata attached to the actor once (runAction, apiRoute)
 * reaches every entry without each service passing it along.
 */
export type AuditStamp = Pick<AuditEventInput, "actorType" | "actorId" | "actorLabel" | "requestMeta">;

export function auditActorFields(actor: Actor): AuditStamp {
  const actorId = actor.type === "user" ? actor.userId : actor.type === "api_token" ? actor.tokenId : null;
  return { actorType: actor.type, actorId, actorLabel: actorLabel(actor), requestMeta: actor.request ?? null };
}
