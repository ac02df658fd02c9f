import { consoleRead } from "@/lib/api/console-route";
import { parseJsonBody } from "@/lib/api/handle-route";
import { previewFlagImpact } from "@/lib/impact/preview-flag-impact";
import { flagConfigSchema } from "@/lib/schemas/flag-config";

/**
 * The impact of an edit in progress to a flag's configuration in one environment (a read:
 * nothing is saved). POST because the body is the edited configuration.
 */
export const POST = consoleRead<{ project: string; env: string; key: string }>(async (access, params, request) =>
  previewFlagImpact(access, params.env, params.key, await parseJsonBody(request, flagConfigSchema)),
);
