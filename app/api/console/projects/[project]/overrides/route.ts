import { consoleRead } from "@/lib/api/console-route";
import { listOverrides } from "@/lib/overrides/list-overrides";

/** The project's emergency overrides: follow-ups awaiting review, and past ones (the incidents page). */
export const GET = consoleRead<{ project: string }>((access) => listOverrides(access));
