import { consoleRead } from "@/lib/api/console-route";
import { listDeliveriesJson } from "@/lib/notifications/manage-webhooks";

/** A webhook's delivery log for the settings tab (newest 50). */
export const GET = consoleRead<{ project: string; id: string }>(async (access, params) => ({ deliveries: await listDeliveriesJson(access, params.id, 50) }));
