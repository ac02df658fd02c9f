import { apiRoute } from "@/lib/api/handle-route";
import { verifyAuditChainInDatabase } from "@/lib/audit/verify-chain";
import { requireInstancePermission } from "@/lib/auth/access";

/**
 * Verifies the whole audit hash chain (one chain for every project). Any token whose role
 * holds `audit:verify` in some project may call it: approvers and admins (see
 * docs/decisions/0005-audit-log.md). 200 either way; `ok` says whether the chain is intact.
 */
export const GET = apiRoute<Record<string, never>>(async (_request, { actor }) => {
  await requireInstancePermission(actor, "audit:verify");
  return Response.json(await verifyAuditChainInDatabase(), { headers: { "Cache-Control": "no-store" } });
});
