import { consoleRead } from "@/lib/api/console-route";
import { loadFlagHistory } from "@/lib/flags/flag-page-data";

/** Audit entries about the flag, newest first. */
export const GET = consoleRead<{ project: string; key: string }>((access, params) => loadFlagHistory(access, params.key));
