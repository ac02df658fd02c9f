import { consoleRead } from "@/lib/api/console-route";
import { loadTargetingData } from "@/lib/flags/flag-page-data";

/** Catalog, segments and flags of an environment: what the builder validates and previews with. */
export const GET = consoleRead<{ project: string; env: string }>((access, params) => loadTargetingData(access, params.env));
