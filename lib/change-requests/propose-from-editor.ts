import type { ProjectAccess } from "@/lib/auth/access";
import { conflict } from "@/lib/errors";
import type { ProposalDetails, ProposedChange } from "@/lib/schemas/change-request";
import { itemAsProposedChange } from "./build-items";
import { changeRequestPath } from "./change-request-events";
import { assertMayEdit, findChangeRequestOrThrow, openChangeRequest, reviseChangeRequest } from "./open-change-request";

/**
 * A save from the flag page or the segment editor in an environment that requires review: it
 * becomes a change request — a new one, or (to group several changes) an addition to one of the
 * author's own requests in the same environment, replacing that request's earlier change to the
 * same flag or segment.
 */
export async function proposeFromEditor(
  access: ProjectAccess,
  environment: { key: string; name: string },
  change: ProposedChange,
  details: ProposalDetails | undefined,
  reason: string | undefined,
) {
  if (details?.addToNumber) {
    const request = await findChangeRequestOrThrow(access, details.addToNumber);
    assertMayEdit(access, request);
    if (request.environment.key !== environment.key) throw conflict(`Change request #${request.number} is for ${request.environment.name}, not ${environment.name}.`);
    const kept = request.items
      .filter((item) => !(item.entityType === change.entityType && item.entityKey === change.key))
      .map(itemAsProposedChange);
    await reviseChangeRequest(access, request.number, { changes: [...kept, change] });
    return { changeRequest: { number: request.number, path: changeRequestPath({ number: request.number, project: access.project, environment }), added: true } };
  }
  const title = details?.title?.trim() || `Change ${change.entityType} ${change.key} in ${environment.name}`;
  const opened = await openChangeRequest(access, { environmentKey: environment.key, title, description: details?.description ?? reason ?? "", draft: false, changes: [change] });
  return { changeRequest: { number: opened.number, path: changeRequestPath({ number: opened.number, project: access.project, environment }), added: false } };
}
