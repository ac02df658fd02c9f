import type { EnvironmentRow } from "@/lib/data/environments";
import type { FlagKind } from "@/lib/evaluation/types";

/**
 * The environment policies that govern flag definitions (DESIGN: "whether flags need an expiry
 * date and an owner"). A definition is shared by every environment, so the strictest policy of
 * any environment applies.
 */

const DAY_MS = 86_400_000;

/** Dates alone mean midnight UTC of that day. */
export function parseExpiry(value: string): Date {
  return new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00.000Z` : value);
}

const names = (environments: EnvironmentRow[]) => environments.map((e) => e.name).join(", ");

/**
 * Why an expiry is not acceptable, or null. Release and experiment flags need one when an
 * environment requires it, no further than its maximum lifetime from the flag's creation.
 */
export function expiryProblem(environments: EnvironmentRow[], kind: FlagKind, expiresAt: Date | null, createdAt: Date): string | null {
  if (kind !== "release" && kind !== "experiment") return null;
  const requiring = environments.filter((e) => e.requireExpiry);
  if (requiring.length === 0) return null;
  if (!expiresAt) return `${names(requiring)} require${requiring.length === 1 ? "s" : ""} ${kind} flags to have an expiry date.`;
  const limits = requiring.filter((e) => e.maxFlagLifetimeDays != null);
  if (limits.length === 0) return null;
  const strictest = limits.reduce((a, b) => (b.maxFlagLifetimeDays! < a.maxFlagLifetimeDays! ? b : a));
  const latest = new Date(createdAt.getTime() + strictest.maxFlagLifetimeDays! * DAY_MS);
  if (expiresAt.getTime() > latest.getTime()) {
    return `${strictest.name} allows ${kind} flags to live at most ${strictest.maxFlagLifetimeDays} days: choose an expiry on or before ${latest.toISOString().slice(0, 10)}.`;
  }
  return null;
}

export function ownerProblem(environments: EnvironmentRow[], ownerId: string | null): string | null {
  const requiring = environments.filter((e) => e.requireOwner);
  if (requiring.length === 0 || ownerId) return null;
  return `${names(requiring)} require${requiring.length === 1 ? "s" : ""} every flag to have an owner: give a project member's email.`;
}
