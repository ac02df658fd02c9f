import { consoleRead } from "@/lib/api/console-route";
import { listAttributeCatalog } from "@/lib/attributes/manage-attributes";

/** The project's attribute catalog. */
export const GET = consoleRead<{ project: string }>((access) => listAttributeCatalog(access));
