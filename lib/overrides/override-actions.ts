import { defineProjectAction } from "@/lib/actions/define-action";
import { acknowledgeOverrideSchema, pullKillSwitchSchema, revertOverrideSchema, reviewOverrideSchema } from "@/lib/schemas/emergency-override";
import { acknowledgeOverride, reviewOverride } from "./follow-up-override";
import { pullKillSwitch } from "./pull-kill-switch";
import { proposeOverrideRevert } from "./revert-override";

/** The kill switch dialog (flag page, flags list) and the follow-up buttons (banner, incidents page). */

export const pullKillSwitchDefinition = defineProjectAction({
  name: "pullKillSwitch",
  schema: pullKillSwitchSchema,
  permission: "killswitch:use",
  handler: ({ projectKey: _p, ...input }, access) => pullKillSwitch(access, input),
});

export const acknowledgeOverrideDefinition = defineProjectAction({
  name: "acknowledgeOverride",
  schema: acknowledgeOverrideSchema,
  permission: "flags:write",
  handler: (data, access) => acknowledgeOverride(access, data.overrideId),
});

export const reviewOverrideDefinition = defineProjectAction({
  name: "reviewOverride",
  schema: reviewOverrideSchema,
  permission: "changes:review",
  handler: (data, access) => reviewOverride(access, data.overrideId, data.note),
});

export const revertOverrideDefinition = defineProjectAction({
  name: "revertOverride",
  schema: revertOverrideSchema,
  permission: "flags:write",
  handler: (data, access) => proposeOverrideRevert(access, data.overrideId),
});
