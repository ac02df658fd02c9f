import type { Prisma } from "@/lib/db";
import { publishProjectEvent } from "@/lib/notifications/publish-project-event";
import type { ProjectEventType } from "@/lib/notifications/project-events";

export interface ChangeRequestRef {
  id: string;
  number: number;
  title: string;
  project: { id: string; key: string };
  environment: { key: string; name: string };
  items: { entityType: string; entityKey: string; diff: unknown }[];
}

export function changeRequestPath(request: Pick<ChangeRequestRef, "number" | "project" | "environment">): string {
  return `/${request.project.key}/${request.environment.key}/change-requests/${request.number}`;
}

const VERBS: Partial<Record<ProjectEventType, string>> = {
  "change_request.opened": "opened",
  "change_request.approved": "approved",
  "change_request.applied": "applied",
  "change_request.conflicted": "conflicted",
};

/** The plain-words lines of every item's stored diff ("flag checkout: Rule 2 — …"). */
export function summaryLines(items: ChangeRequestRef["items"]): string[] {
  return items.flatMap((item) => {
    const lines = (item.diff as { summary?: string[] } | null)?.summary ?? [];
    return lines.map((line) => `${item.entityType} ${item.entityKey}: ${line}`);
  });
}

/** Announces a change request's step to the project's webhooks, in the step's transaction. */
export function announceChangeRequest(tx: Prisma.TransactionClient, type: ProjectEventType, request: ChangeRequestRef, actorLabel: string, extra: Record<string, unknown> = {}) {
  return publishProjectEvent(tx, {
    type,
    projectId: request.project.id,
    environmentKey: request.environment.key,
    title: `Change request #${request.number} ${VERBS[type] ?? type} in ${request.environment.name}: ${request.title}`,
    summary: summaryLines(request.items).join("\n"),
    link: changeRequestPath(request),
    actorLabel,
    data: {
      changeRequestId: request.id,
      number: request.number,
      items: request.items.map((i) => ({ entityType: i.entityType, entityKey: i.entityKey, diff: i.diff })),
      ...extra,
    },
  });
}
