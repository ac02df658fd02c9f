import { consoleRead } from "@/lib/api/console-route";
import { loadFlagPageData } from "@/lib/flags/flag-page-data";

/** The flag's definition and its configuration in every environment. */
export const GET = consoleRead<{ project: string; key: string }>((access, params) => loadFlagPageData(access, params.key));
