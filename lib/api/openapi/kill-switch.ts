import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { slugSchema } from "@/lib/schemas/common";
import { killSwitchBodySchema, killSwitchResponseSchema } from "@/lib/schemas/emergency-override";
import { projectKeySchema } from "@/lib/schemas/project";
import { bearerSecurity, standardErrors } from "./shared";

export function registerKillSwitchRoutes(registry: OpenAPIRegistry) {
  const Response = killSwitchResponseSchema.meta({ id: "KillSwitchResult" });
  registry.registerPath({
    method: "post",
    path: "/api/v1/projects/{project}/environments/{env}/flags/{key}/kill",
    summary: "Pull the kill switch: turn a flag off (or serve one variation to everyone) at once",
    description:
      "For on-call automation; needs the killswitch:use permission (editor and above). Applies immediately even where the environment requires review, " +
      "records a new configuration version, a `kill_switch.pulled` audit entry with the reason, and an emergency override whose follow-up review stays open " +
      "until an approver other than the caller reviews it in the console; subscribed webhooks receive `kill_switch.pulled`. Evaluation (OFREP, SDK snapshots) " +
      "serves the result at once. Tokens need not send `confirmEnvironment` (the console asks people to type it for environments that require review); " +
      "when sent, it must equal the environment key. A flag already off (or already serving the variation to everyone) answers 200 with `outcome: unchanged` " +
      "and records nothing. Two pulls at once are applied one after the other; the second sees the first.",
    security: bearerSecurity,
    request: {
      params: z.object({ project: projectKeySchema, env: slugSchema, key: z.string().meta({ description: "Flag key, URL-encoded" }) }),
      body: { content: { "application/json": { schema: killSwitchBodySchema.meta({ id: "KillSwitchRequest" }) } } },
    },
    responses: {
      201: { description: "Applied: a new configuration version and an emergency override", content: { "application/json": { schema: Response } } },
      200: { description: "Nothing to change (already off, or already serving the variation to everyone)", content: { "application/json": { schema: Response } } },
      ...standardErrors,
      400: { ...standardErrors[400], description: "Blank or missing reason, unknown variation, or a `confirmEnvironment` that does not match; `details.fields` names the field. Nothing is changed." },
      409: { ...standardErrors[400], description: "The flag is archived." },
    },
  });
}
