import { consoleRead } from "@/lib/api/console-route";
import { loadSegmentPage } from "@/lib/segments/segment-console-data";

/** A segment with its membership in this environment, what uses it, and what its rules may use. */
export const GET = consoleRead<{ project: string; env: string; key: string }>((access, params) => loadSegmentPage(access, params.env, params.key));
