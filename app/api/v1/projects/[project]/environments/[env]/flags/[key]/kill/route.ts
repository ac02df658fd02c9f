import { apiRoute, parseJsonBody } from "@/lib/api/handle-route";
import { requireProjectPermission } from "@/lib/auth/access";
import { fieldsInvalid, isAppError } from "@/lib/errors";
import { pullKillSwitch } from "@/lib/overrides/pull-kill-switch";
import { killSwitchBodySchema } from "@/lib/schemas/emergency-override";

type Params = { project: string; env: string; key: string };

/**
 * The kill switch for on-call automation: applies at once, bypassing review, and opens a
 * follow-up review. 201 with the override, or 200 when the flag already served that.
 */
export const POST = apiRoute<Params>(async (request, { actor, params }) => {
  const access = await requireProjectPermission(actor, params.project, "killswitch:use");
  const body = await parseJsonBody(request, killSwitchBodySchema);
  try {
    const result = await pullKillSwitch(access, {
      environmentKey: params.env,
      flagKey: params.key,
      action: body.action,
      variationKey: body.variation,
      reason: body.reason,
      confirmEnvironment: body.confirmEnvironment,
    });
    return Response.json(result, { status: result.outcome === "applied" ? 201 : 200 });
  } catch (error) {
    throw renameFields(error);
  }
});

/** The service names the variation `variationKey` (the console's field); this body calls it `variation`. */
function renameFields(error: unknown): unknown {
  const fields = isAppError(error) ? (error.details as { fields?: Record<string, string> } | undefined)?.fields : undefined;
  if (!fields?.variationKey) return error;
  const { variationKey, ...rest } = fields;
  return fieldsInvalid({ variation: variationKey, ...rest });
}
