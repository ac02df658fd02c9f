import { consoleRead } from "@/lib/api/console-route";
import { countOpenFollowUps } from "@/lib/overrides/list-overrides";

/** Counts shown next to navigation items: `incidents` is the overrides awaiting their follow-up review. */
export const GET = consoleRead<{ project: string }>(async (access) => ({ incidents: await countOpenFollowUps(access) }));
