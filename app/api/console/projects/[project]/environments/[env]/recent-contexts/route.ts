import { z } from "zod";
import { consoleRead } from "@/lib/api/console-route";
import { parseSearchParams } from "@/lib/api/handle-route";
import { listRecentContextsForPicker } from "@/lib/impact/recent-contexts-for-picker";

const querySchema = z.object({ limit: z.coerce.number().int().min(1).max(100).default(25) });

/** The contexts seen most recently here (exposure events), public attributes only, for Evaluate as…. */
export const GET = consoleRead<{ project: string; env: string }>(async (access, params, request) =>
  listRecentContextsForPicker(access, params.env, parseSearchParams(request, querySchema).limit),
);
