import { consoleRead } from "@/lib/api/console-route";
import { verifyAuditChainInDatabase } from "@/lib/audit/verify-chain";

/**
 * "Verify integrity" on the audit page: walks the whole (instance-wide) chain. Approvers and
 * admins of the project (`audit:verify`), as on the REST route.
 */
export const GET = consoleRead<{ project: string }>(() => verifyAuditChainInDatabase(), "audit:verify");
