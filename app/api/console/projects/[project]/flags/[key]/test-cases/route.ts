import { consoleRead } from "@/lib/api/console-route";
import { loadFlagTestCases } from "@/lib/flags/flag-page-data";

export const GET = consoleRead<{ project: string; key: string }>((access, params) => loadFlagTestCases(access, params.key));
