import { consoleRead } from "@/lib/api/console-route";
import { parseParam } from "@/lib/api/handle-route";
import { readChangeRequestVersions } from "@/lib/change-requests/change-request-view";
import { changeRequestNumberSchema } from "@/lib/schemas/change-request";

/** Base, current and proposed configuration per item (the rebase view). */
export const GET = consoleRead<{ project: string; number: string }>((access, params) => readChangeRequestVersions(access, parseParam(changeRequestNumberSchema, params.number, "change request number")));
