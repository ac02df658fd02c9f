import { apiRoute } from "@/lib/api/handle-route";
import { patientJson } from "@/lib/api/patient-json";
import { verifyAuditChainInDatabase } from "@/lib/audit/verify-chain";
import { requireInstancePermission } from "@/lib/auth/access";

/**
 * Verifies the whole audit hash chain (one chain for every project). Any token whose role
 * holds `audit:verify` in some project may call it: approvers and admins (see
 * docs/decisions/0010-audit-log.md). 200 either way; `ok` says whether the chain is intact.
 * A long walk answers 200 at once and keeps the connection alive with spaces before the JSON;
 * a failure after that point ends the body with `{error}` instead.
 */
export const GET = apiRoute<Record<string, never>>(async (_request, { actor }) => {
  await requireInstancePermission(actor, "audit:verify");
  // A million events take tens of seconds or more: see lib/api/patient-json.ts.
  return patientJson(verifyAuditChainInDatabase(), { headers: { "Cache-Control": "no-store" } });
});
