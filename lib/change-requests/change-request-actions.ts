import { defineProjectAction } from "@/lib/actions/define-action";
import {
  changeRequestActionSchema,
  commentChangeRequestActionSchema,
  createChangeRequestActionSchema,
  promoteFlagSchema,
  rebaseChangeRequestActionSchema,
  reviewChangeRequestActionSchema,
  reviseChangeRequestActionSchema,
  scheduleChangeRequestActionSchema,
} from "@/lib/schemas/change-request";
import { applyChangeRequest, cancelChangeRequest, rebaseChangeRequest, scheduleChangeRequest, unscheduleChangeRequest } from "./apply-change-request";
import { openChangeRequest, reviseChangeRequest, submitChangeRequest } from "./open-change-request";
import { proposePromotion } from "./promote-flag";
import { commentOnChangeRequest, reviewChangeRequest } from "./review-change-request";

/** The change request page's mutations (the services check who may do what beyond the permission). */

export const createChangeRequestDefinition = defineProjectAction({
  name: "createChangeRequest",
  schema: createChangeRequestActionSchema,
  permission: "flags:write",
  handler: ({ projectKey: _p, ...data }, access) => openChangeRequest(access, data),
});

export const reviseChangeRequestDefinition = defineProjectAction({
  name: "reviseChangeRequest",
  schema: reviseChangeRequestActionSchema,
  permission: "flags:write",
  handler: ({ projectKey: _p, number, ...data }, access) => reviseChangeRequest(access, number, data),
});

export const submitChangeRequestDefinition = defineProjectAction({
  name: "submitChangeRequest",
  schema: changeRequestActionSchema,
  permission: "flags:write",
  handler: (data, access) => submitChangeRequest(access, data.number),
});

export const reviewChangeRequestDefinition = defineProjectAction({
  name: "reviewChangeRequest",
  schema: reviewChangeRequestActionSchema,
  permission: "changes:review",
  handler: ({ number, decision, body }, access) => reviewChangeRequest(access, number, { decision, body }),
});

export const commentChangeRequestDefinition = defineProjectAction({
  name: "commentChangeRequest",
  schema: commentChangeRequestActionSchema,
  permission: "flags:write",
  handler: ({ projectKey: _p, number, ...data }, access) => commentOnChangeRequest(access, number, data),
});

export const applyChangeRequestDefinition = defineProjectAction({
  name: "applyChangeRequest",
  schema: changeRequestActionSchema,
  permission: "changes:apply",
  handler: (data, access) => applyChangeRequest(access, data.number),
});

export const scheduleChangeRequestDefinition = defineProjectAction({
  name: "scheduleChangeRequest",
  schema: scheduleChangeRequestActionSchema,
  permission: "changes:apply",
  handler: (data, access) => scheduleChangeRequest(access, data.number, new Date(data.at)),
});

export const unscheduleChangeRequestDefinition = defineProjectAction({
  name: "unscheduleChangeRequest",
  schema: changeRequestActionSchema,
  permission: "changes:apply",
  handler: (data, access) => unscheduleChangeRequest(access, data.number),
});

export const cancelChangeRequestDefinition = defineProjectAction({
  name: "cancelChangeRequest",
  schema: changeRequestActionSchema,
  permission: "flags:write",
  handler: (data, access) => cancelChangeRequest(access, data.number),
});

export const rebaseChangeRequestDefinition = defineProjectAction({
  name: "rebaseChangeRequest",
  schema: rebaseChangeRequestActionSchema,
  permission: "flags:write",
  handler: (data, access) => rebaseChangeRequest(access, data.number),
});

/** "Compare and promote": copies one environment's configuration to another as a change request. */
export const promoteFlagDefinition = defineProjectAction({
  name: "promoteFlag",
  schema: promoteFlagSchema,
  permission: "flags:write",
  handler: ({ projectKey: _p, flagKey, ...body }, access) => proposePromotion(access, flagKey, body),
});

export const CHANGE_REQUEST_ACTIONS = [
  createChangeRequestDefinition,
  reviseChangeRequestDefinition,
  submitChangeRequestDefinition,
  reviewChangeRequestDefinition,
  commentChangeRequestDefinition,
  applyChangeRequestDefinition,
  scheduleChangeRequestDefinition,
  unscheduleChangeRequestDefinition,
  cancelChangeRequestDefinition,
  rebaseChangeRequestDefinition,
  promoteFlagDefinition,
] as const;
