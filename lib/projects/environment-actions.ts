import { defineProjectAction } from "@/lib/actions/define-action";
import { updateEnvironmentPolicySchema } from "@/lib/schemas/environment";
import { updateEnvironmentPolicy } from "./update-environment-policy";

/** Settings → General: an environment's name, colour and policy (admins). */
export const updateEnvironmentPolicyDefinition = defineProjectAction({
  name: "updateEnvironmentPolicy",
  schema: updateEnvironmentPolicySchema,
  permission: "environments:write",
  handler: ({ projectKey: _p, environmentKey, ...body }, access) => updateEnvironmentPolicy(access, environmentKey, body),
});
