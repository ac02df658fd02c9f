import { consoleRoute } from "@/lib/api/console-route";
import { patientJson } from "@/lib/api/patient-json";
import { verifyAuditChainInDatabase } from "@/lib/audit/verify-chain";

/**
 * "Verify integrity" on the audit page: walks the whole (instance-wide) chain. Approvers and
 * admins of the project (`audit:verify`), as on the REST route; long walks keep the connection
 * alive (lib/api/patient-json.ts).
 */
export const GET = consoleRoute<{ project: string }>(() => patientJson(verifyAuditChainInDatabase(), { headers: { "Cache-Control": "private, no-store" } }), "audit:verify");
