import type { OverrideRow } from "@/lib/data/emergency-overrides";

/** An override as the console shows it (plain JSON, the same from the server page and /api/console). */
export interface OverrideView {
  id: string;
  flag: { key: string; name: string };
  environment: { key: string; name: string; color: string };
  action: "turn_off" | "serve_variation";
  variationKey: string | null;
  reason: string;
  fromVersion: number;
  toVersion: number;
  pulledAt: string;
  /** Who pulled it: the person's name and email, or the token's label. */
  pulledBy: string;
  pulledByEmail: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  reviewedAt: string | null;
  reviewedBy: string | null;
  reviewNote: string | null;
  changeRequestId: string | null;
  /** The change request proposing to revert it, if any. */
  changeRequest: { number: number; status: string } | null;
  /** The `kill_switch.pulled` audit entry. */
  auditEventId: string | null;
}

const person = (user: { name: string; email: string } | null) => (user ? `${user.name} (${user.email})` : null);

export function toOverrideView(row: OverrideRow): OverrideView {
  return {
    id: row.id,
    flag: { key: row.flag.key, name: row.flag.name },
    environment: { key: row.environment.key, name: row.environment.name, color: row.environment.color },
    action: row.action,
    variationKey: row.variationKey,
    reason: row.reason,
    fromVersion: row.fromVersion,
    toVersion: row.toVersion,
    pulledAt: row.createdAt.toISOString(),
    pulledBy: person(row.pulledBy) ?? row.actorLabel,
    pulledByEmail: row.pulledBy?.email ?? null,
    acknowledgedAt: row.acknowledgedAt?.toISOString() ?? null,
    acknowledgedBy: person(row.acknowledgedBy),
    reviewedAt: row.reviewedAt?.toISOString() ?? null,
    reviewedBy: person(row.reviewedBy),
    reviewNote: row.reviewNote,
    changeRequestId: row.changeRequestId,
    changeRequest: row.changeRequest,
    auditEventId: row.auditEventId?.toString() ?? null,
  };
}
