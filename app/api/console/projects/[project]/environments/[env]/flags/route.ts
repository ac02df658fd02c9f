import { consoleRead } from "@/lib/api/console-route";
import { parseSearchParams } from "@/lib/api/handle-route";
import { listFlagRows } from "@/lib/flags/list-flags";
import { consoleFlagListQuerySchema } from "@/lib/schemas/flag";

/** The flags list in one environment: search, filters, sort, a page at a time, with the number of matches. */
export const GET = consoleRead<{ project: string; env: string }>((access, params, request) =>
  listFlagRows(access, params.env, parseSearchParams(request, consoleFlagListQuerySchema)),
);
