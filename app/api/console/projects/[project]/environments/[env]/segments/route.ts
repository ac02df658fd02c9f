import { consoleRead } from "@/lib/api/console-route";
import { parseSearchParams } from "@/lib/api/handle-route";
import { listSegmentsForConsole } from "@/lib/segments/segment-console-data";
import { listSegmentsQuerySchema } from "@/lib/schemas/segment";

/** Segments a page at a time (search, tag), with their membership here and the flags using them. */
export const GET = consoleRead<{ project: string; env: string }>((access, params, request) =>
  listSegmentsForConsole(access, params.env, parseSearchParams(request, listSegmentsQuerySchema)),
);
