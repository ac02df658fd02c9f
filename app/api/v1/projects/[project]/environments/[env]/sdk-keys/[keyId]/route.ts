import { apiRoute } from "@/lib/api/handle-route";
import { requireProjectPermission } from "@/lib/auth/access";
import { revokeSdkKey } from "@/lib/sdk-keys/manage-sdk-keys";

/** Revokes the key (it is kept, marked revoked, for the audit trail). */
export const DELETE = apiRoute<{ project: string; env: string; keyId: string }>(async (_request, { actor, params }) => {
  const access = await requireProjectPermission(actor, params.project, "sdkkeys:write");
  await revokeSdkKey(access, params.keyId);
  return new Response(null, { status: 204 });
});
