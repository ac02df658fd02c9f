import { apiRoute, parseParam } from "@/lib/api/handle-route";
import { requireProjectPermission } from "@/lib/auth/access";
import { applyChangeRequest } from "@/lib/change-requests/apply-change-request";
import { readChangeRequest } from "@/lib/change-requests/change-request-view";
import { changeRequestNumberSchema } from "@/lib/schemas/change-request";

/**
 * Applies an approved request now. A request whose flags moved since it was made answers 409
 * CONFLICT with the conflicts (and is marked conflicted); nothing is applied then.
 */
export const POST = apiRoute<{ project: string; number: string }>(async (_request, { actor, params }) => {
  const access = await requireProjectPermission(actor, params.project, "changes:apply");
  const number = parseParam(changeRequestNumberSchema, params.number, "change request number");
  const outcome = await applyChangeRequest(access, number);
  if (outcome.status === "conflicted") {
    return Response.json({ error: { code: "CONFLICT", message: `Change request #${number} conflicts with changes made since: ${outcome.conflicts.map((c) => c.message).join(" ")}`, details: { conflicts: outcome.conflicts } } }, { status: 409 });
  }
  return Response.json(await readChangeRequest(access, number));
});
