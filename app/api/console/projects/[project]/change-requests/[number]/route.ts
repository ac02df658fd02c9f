import { consoleRead } from "@/lib/api/console-route";
import { readChangeRequest } from "@/lib/change-requests/change-request-view";
import { parseParam } from "@/lib/api/handle-route";
import { changeRequestNumberSchema } from "@/lib/schemas/change-request";

export const GET = consoleRead<{ project: string; number: string }>((access, params) => readChangeRequest(access, parseParam(changeRequestNumberSchema, params.number, "change request number")));
