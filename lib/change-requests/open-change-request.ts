import type { ProjectAccess } from "@/lib/auth/access";
import { actingUserId, actorLabel } from "@/lib/auth/actor";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { auditActorFields } from "@/lib/audit/audit-actor";
import { findChangeRequest, insertChangeRequest, lockChangeRequest, replaceChangeRequestItems, type NewChangeRequestItem } from "@/lib/data/change-requests";
import { getPrisma, type Prisma } from "@/lib/db";
import { conflict, forbidden, notFound } from "@/lib/errors";
import { environmentOrThrow } from "@/lib/projects/environment-or-throw";
import type { ProposedChange } from "@/lib/schemas/change-request";
import { buildChangeRequestItems } from "./build-items";
import { announceChangeRequest } from "./change-request-events";
import { refreshReviewStatus } from "./refresh-review-status";
import { requiredApprovalsFor } from "./review-tally";

export interface OpenChangeRequestInput {
  environmentKey: string;
  title: string;
  description: string;
  draft: boolean;
  changes: readonly ProposedChange[];
  /** Where it came from: console, api, promotion… */
  source?: string;
  /** Runs in the request's own transaction once it exists (links it to what it came from); throwing undoes the request. */
  afterOpened?: (tx: Prisma.TransactionClient, changeRequestId: string) => Promise<void>;
}

/**
 * Proposes changes to one environment as a change request: validated like a save, against the
 * versions the author started from, with the rule-level diff stored per item. Opens for review
 * (or stays a draft); in an environment that needs no approval it is approved at once and can be
 * applied by its author.
 */
export async function openChangeRequest(access: ProjectAccess, input: OpenChangeRequestInput) {
  const environment = await environmentOrThrow(access.project.id, input.environmentKey);
  const items = await buildChangeRequestItems(access.project.id, environment, input.changes);
  const stamp = auditActorFields(access.actor);
  const required = requiredApprovalsFor(environment);
  const status = input.draft ? "draft" : required === 0 ? "approved" : "open";
  const created = await insertChangeRequest(
    {
      projectId: access.project.id,
      environmentId: environment.id,
      title: input.title,
      description: input.description,
      status,
      authorId: actingUserId(access.actor),
      authorType: access.actor.type,
      authorLabel: actorLabel(access.actor),
      source: input.source ?? (access.actor.type === "api_token" ? "api" : "console"),
      items,
    },
    stamp,
    async (tx, number, id) => {
      await input.afterOpened?.(tx, id);
      if (status === "draft") return;
      await announceChangeRequest(tx, "change_request.opened", { id, number, title: input.title, project: access.project, environment, items }, stamp.actorLabel);
    },
  );
  return { number: created.number, status: created.status, environmentKey: environment.key };
}

/** Only the author (or, for a service token's request, an admin) edits a request. */
export function assertMayEdit(access: ProjectAccess, request: { authorId: string | null; authorLabel: string; number: number }) {
  const userId = actingUserId(access.actor);
  const isAuthor = request.authorId ? request.authorId === userId : request.authorLabel === actorLabel(access.actor);
  if (!isAuthor && access.role !== "admin") throw forbidden(`Only the author of #${request.number} (${request.authorLabel}) or an admin can change it.`);
}

export async function findChangeRequestOrThrow(access: ProjectAccess, number: number) {
  const request = await findChangeRequest(access.project.id, number);
  if (!request) throw notFound(`Change request #${number}`);
  return request;
}

const EDITABLE = ["draft", "open", "changes_requested", "approved", "conflicted"] as const;

/**
 * Edits a request's title, description or proposed changes. New proposed changes start a new
 * revision: approvals given to the old one stop counting and the request is open again.
 */
export async function reviseChangeRequest(access: ProjectAccess, number: number, input: { title?: string; description?: string; changes?: readonly ProposedChange[] }) {
  const request = await findChangeRequestOrThrow(access, number);
  assertMayEdit(access, request);
  if (!(EDITABLE as readonly string[]).includes(request.status)) throw conflict(`Change request #${number} is ${request.status.replace("_", " ")} and can no longer be edited.`);
  const items: NewChangeRequestItem[] | null = input.changes ? await buildChangeRequestItems(access.project.id, request.environment, input.changes) : null;
  const stamp = auditActorFields(access.actor);
  await getPrisma().$transaction(async (tx) => {
    const locked = await lockChangeRequest(tx, request.id);
    if (!locked || locked.revision !== request.revision || !(EDITABLE as readonly string[]).includes(locked.status)) {
      throw conflict(`Change request #${number} changed while you edited it. Reload and try again.`);
    }
    await tx.changeRequest.update({ where: { id: request.id }, data: { ...(input.title ? { title: input.title } : {}), ...(input.description !== undefined ? { description: input.description } : {}) } });
    if (items) await replaceChangeRequestItems(tx, request.id, items, request.revision + 1);
    await appendAuditEvent(tx, {
      ...stamp,
      projectId: access.project.id,
      environmentId: request.environmentId,
      action: items ? "change_request.revised" : "change_request.edited",
      entityType: "change_request",
      entityKey: `#${number}`,
      before: { title: request.title, description: request.description, revision: request.revision },
      after: { title: input.title ?? request.title, description: input.description ?? request.description, revision: items ? request.revision + 1 : request.revision },
      diff: items ? items.map((i) => ({ entityType: i.entityType, entityKey: i.entityKey, diff: i.diff })) : null,
      changeRequestId: request.id,
    });
    if (items && request.status !== "draft") {
      await refreshReviewStatus(tx, { ...request, revision: request.revision + 1, status: locked.status }, stamp, "New revision: earlier approvals no longer count.");
    }
  });
  return { number, revision: items ? request.revision + 1 : request.revision };
}

/** A draft asks for review. */
export async function submitChangeRequest(access: ProjectAccess, number: number) {
  const request = await findChangeRequestOrThrow(access, number);
  assertMayEdit(access, request);
  if (request.status !== "draft") throw conflict(`Change request #${number} is not a draft.`);
  const stamp = auditActorFields(access.actor);
  await getPrisma().$transaction(async (tx) => {
    const locked = await lockChangeRequest(tx, request.id);
    if (locked?.status !== "draft") throw conflict(`Change request #${number} is not a draft any more.`);
    await refreshReviewStatus(tx, { ...request, status: "draft" }, stamp, "Submitted for review.");
    await announceChangeRequest(tx, "change_request.opened", { ...request, project: access.project }, stamp.actorLabel);
  });
  return { number };
}
