import { consoleRoute } from "@/lib/api/console-route";
import { loadStaleFlagsReport, staleFlagsCsv } from "@/lib/flags/stale-flags-report";

/** The stale flags report as CSV (any project role). */
export const GET = consoleRoute<{ project: string }>(async (access) => {
  const { flags } = await loadStaleFlagsReport(access);
  return new Response(staleFlagsCsv(flags), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${access.project.key}-stale-flags.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
});
