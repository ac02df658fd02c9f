import { consoleRead } from "@/lib/api/console-route";
import { listUnacknowledgedFlagOverrides } from "@/lib/overrides/list-overrides";

/** Kill switches pulled on this flag that nobody has acknowledged yet (the flag page's banner). */
export const GET = consoleRead<{ project: string; key: string }>((access, params) => listUnacknowledgedFlagOverrides(access, params.key));
