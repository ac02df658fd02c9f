/**
 * What a project announces to its webhooks (and, later, to in-app notifications). Services that
 * cause one of these call `publishProjectEvent` inside the transaction of the change itself, so
 * an announcement exists exactly when the change committed (outbox); delivery happens later, off
 * the request path, and never blocks or fails the action that caused it.
 */
export const PROJECT_EVENT_TYPES = [
  "change_request.opened",
  "change_request.approved",
  "change_request.applied",
  "change_request.conflicted",
  "kill_switch.pulled",
  "rollout.halted",
  "rollout.rolled_back",
  "flag.expiring",
] as const;
export type ProjectEventType = (typeof PROJECT_EVENT_TYPES)[number];

export const PROJECT_EVENT_LABELS: Record<ProjectEventType, string> = {
  "change_request.opened": "Change request opened",
  "change_request.approved": "Change request approved",
  "change_request.applied": "Change request applied",
  "change_request.conflicted": "Change request conflicted",
  "kill_switch.pulled": "Kill switch pulled",
  "rollout.halted": "Rollout halted",
  "rollout.rolled_back": "Rollout rolled back",
  "flag.expiring": "Flag expiring",
};

export interface ProjectEvent {
  type: ProjectEventType;
  projectId: string;
  /** The environment it happened in, when there is one. */
  environmentKey?: string;
  /** One line in plain words: "Kill switch pulled on checkout-v2 in Production". */
  title: string;
  /** A few lines in plain words (the reason, the diff summary…). */
  summary: string;
  /** Console path of the thing it is about, e.g. /storefront/production/change-requests/12. */
  link?: string;
  actorLabel: string;
  /** Structured detail for machines (ids, keys, the stored diff). JSON values only. */
  data: Record<string, unknown>;
}
