import { consoleRead } from "@/lib/api/console-route";
import { getFlagOrThrow } from "@/lib/flags/get-flag-or-throw";
import { loadFlagDependencies } from "@/lib/flags/flag-dependencies";

/** The flag's prerequisite graph both ways, per environment, and where it is still evaluated. */
export const GET = consoleRead<{ project: string; key: string }>(async (access, params) => {
  await getFlagOrThrow(access.project.id, params.key);
  return loadFlagDependencies(access, params.key);
});
