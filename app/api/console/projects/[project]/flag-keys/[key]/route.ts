import { consoleRead } from "@/lib/api/console-route";
import { isFlagKeyTaken } from "@/lib/flags/flag-page-data";

/** Whether a flag key is taken (the create wizard checks as you type). */
export const GET = consoleRead<{ project: string; key: string }>(async (access, params) => ({ taken: await isFlagKeyTaken(access, params.key) }));
