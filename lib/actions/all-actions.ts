import { createApiTokenDefinition, revokeApiTokenDefinition } from "@/lib/api-tokens/api-token-actions";
import { createAttributeDefinition, deleteAttributeDefinition, updateAttributeDefinition } from "@/lib/attributes/attribute-actions";
import {
  createFlagDefinition,
  createFlagTestCaseDefinition,
  deleteFlagTestCaseDefinition,
  saveFlagConfigDefinition,
  updateFlagSettingsDefinition,
  updateFlagTestCaseDefinition,
} from "@/lib/flags/flag-actions";
import { addMemberDefinition, changeMemberRoleDefinition, removeMemberDefinition } from "@/lib/members/member-actions";
import { updateEnvironmentPolicyDefinition } from "@/lib/projects/environment-actions";
import { acknowledgeOverrideDefinition, pullKillSwitchDefinition, revertOverrideDefinition, reviewOverrideDefinition } from "@/lib/overrides/override-actions";
import { createProjectDefinition } from "@/lib/projects/project-actions";
import { createSdkKeyDefinition, revokeSdkKeyDefinition } from "@/lib/sdk-keys/sdk-key-actions";
import { createSegmentDefinition, deleteSegmentDefinition, saveSegmentConfigDefinition, updateSegmentDefinition } from "@/lib/segments/segment-actions";
import { CHANGE_REQUEST_ACTIONS } from "@/lib/change-requests/change-request-actions";
import type { AnyActionDefinition } from "./define-action";

/**
 * Every console mutation. The authorisation test runs each one as each role; a `"use server"`
 * export that does not wrap an entry here fails that test.
 */
export const ALL_ACTIONS: readonly AnyActionDefinition[] = [
  createProjectDefinition,
  addMemberDefinition,
  changeMemberRoleDefinition,
  removeMemberDefinition,
  createApiTokenDefinition,
  revokeApiTokenDefinition,
  createSdkKeyDefinition,
  revokeSdkKeyDefinition,
  createFlagDefinition,
  saveFlagConfigDefinition,
  updateFlagSettingsDefinition,
  createFlagTestCaseDefinition,
  updateFlagTestCaseDefinition,
  deleteFlagTestCaseDefinition,
  createAttributeDefinition,
  updateAttributeDefinition,
  deleteAttributeDefinition,
  createSegmentDefinition,
  updateSegmentDefinition,
  saveSegmentConfigDefinition,
  deleteSegmentDefinition,
  ...CHANGE_REQUEST_ACTIONS,
  pullKillSwitchDefinition,
  acknowledgeOverrideDefinition,
  reviewOverrideDefinition,
  revertOverrideDefinition,
  updateEnvironmentPolicyDefinition,
];
