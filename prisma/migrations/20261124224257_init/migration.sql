-- CreateEnum
CREATE TYPE "role" AS ENUM ('viewer', 'editor', 'approver', 'admin');

-- CreateEnum
CREATE TYPE "sdk_key_kind" AS ENUM ('server', 'client');

-- CreateEnum
CREATE TYPE "flag_kind" AS ENUM ('release', 'experiment', 'operational', 'permission');

-- CreateEnum
CREATE TYPE "flag_value_type" AS ENUM ('boolean', 'string', 'number', 'json');

-- CreateEnum
CREATE TYPE "flag_lifecycle" AS ENUM ('draft', 'active', 'rolling_out', 'released', 'deprecated', 'archived');

-- CreateEnum
CREATE TYPE "attribute_type" AS ENUM ('string', 'number', 'boolean', 'semver', 'date', 'list');

-- CreateEnum
CREATE TYPE "attribute_sensitivity" AS ENUM ('public', 'private', 'forbidden');

-- CreateEnum
CREATE TYPE "actor_type" AS ENUM ('user', 'api_token', 'system');

-- CreateEnum
CREATE TYPE "change_request_status" AS ENUM ('draft', 'open', 'changes_requested', 'approved', 'scheduled', 'applied', 'conflicted', 'cancelled');

-- CreateEnum
CREATE TYPE "change_entity_type" AS ENUM ('flag', 'segment');

-- CreateEnum
CREATE TYPE "review_decision" AS ENUM ('approve', 'request_changes', 'comment');

-- CreateEnum
CREATE TYPE "override_action" AS ENUM ('turn_off', 'serve_variation');

-- CreateEnum
CREATE TYPE "rollout_status" AS ENUM ('draft', 'running', 'paused', 'awaiting_approval', 'completed', 'halted', 'rolled_back', 'aborted');

-- CreateEnum
CREATE TYPE "rollout_breach_action" AS ENUM ('halt', 'rollback_to_zero', 'rollback_to_previous');

-- CreateEnum
CREATE TYPE "rollout_risk_level" AS ENUM ('low', 'medium', 'high');

-- CreateEnum
CREATE TYPE "guardrail_kind" AS ENUM ('absolute', 'relative_to_control');

-- CreateEnum
CREATE TYPE "metric_kind" AS ENUM ('rate', 'value');

-- CreateEnum
CREATE TYPE "metric_direction" AS ENUM ('increase', 'decrease');

-- CreateEnum
CREATE TYPE "post_release_review_status" AS ENUM ('open', 'closed');

-- CreateEnum
CREATE TYPE "webhook_format" AS ENUM ('json', 'slack');

-- CreateEnum
CREATE TYPE "webhook_delivery_status" AS ENUM ('pending', 'succeeded', 'failed');

-- CreateTable
CREATE TABLE "users" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "passwordHash" TEXT,
    "oidcIssuer" TEXT,
    "oidcSubject" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSignInAt" TIMESTAMPTZ(3),
    "disabledAt" TIMESTAMPTZ(3),

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "projects" (
    "id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "optOutAttribute" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "projects_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "environments" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "sortOrder" INTEGER NOT NULL DEFAULT 0,
    "color" TEXT NOT NULL DEFAULT '#64748b',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "requireReview" BOOLEAN NOT NULL DEFAULT false,
    "requiredApprovals" INTEGER NOT NULL DEFAULT 1,
    "maxRolloutPercentWithoutReview" INTEGER NOT NULL DEFAULT 100000,
    "requireExpiry" BOOLEAN NOT NULL DEFAULT false,
    "maxFlagLifetimeDays" INTEGER,
    "requireOwner" BOOLEAN NOT NULL DEFAULT false,
    "allowlistOnlyFirstStage" JSONB,

    CONSTRAINT "environments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "memberships" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "role" "role" NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "memberships_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_tokens" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "userId" TEXT,
    "role" "role",
    "projectId" TEXT,
    "createdById" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMPTZ(3),
    "expiresAt" TIMESTAMPTZ(3),
    "revokedAt" TIMESTAMPTZ(3),

    CONSTRAINT "api_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sdk_keys" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "environmentId" TEXT NOT NULL,
    "kind" "sdk_key_kind" NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "keyHash" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdById" TEXT,
    "revokedAt" TIMESTAMPTZ(3),
    "lastUsedAt" TIMESTAMPTZ(3),

    CONSTRAINT "sdk_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sign_in_attempts" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "ip" TEXT NOT NULL,
    "succeeded" BOOLEAN NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sign_in_attempts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "app_secrets" (
    "name" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "app_secrets_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "flags" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "kind" "flag_kind" NOT NULL,
    "valueType" "flag_value_type" NOT NULL,
    "variations" JSONB NOT NULL,
    "ownerId" TEXT,
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "lifecycle" "flag_lifecycle" NOT NULL DEFAULT 'active',
    "expiresAt" TIMESTAMPTZ(3),
    "clientVisible" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdById" TEXT,

    CONSTRAINT "flags_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "flag_environment_configs" (
    "id" TEXT NOT NULL,
    "flagId" TEXT NOT NULL,
    "environmentId" TEXT NOT NULL,
    "config" JSONB NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedById" TEXT,

    CONSTRAINT "flag_environment_configs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "flag_config_revisions" (
    "id" TEXT NOT NULL,
    "flagId" TEXT NOT NULL,
    "environmentId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "config" JSONB NOT NULL,
    "variations" JSONB,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorType" "actor_type" NOT NULL DEFAULT 'user',
    "actorId" TEXT,
    "actorLabel" TEXT NOT NULL,
    "changeRequestId" TEXT,
    "auditEventId" BIGINT,

    CONSTRAINT "flag_config_revisions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "segments" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "ownerId" TEXT,
    "reviewCadenceDays" INTEGER,
    "lastReviewedAt" TIMESTAMPTZ(3),
    "lastReviewedById" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "segments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "segment_environment_configs" (
    "id" TEXT NOT NULL,
    "segmentId" TEXT NOT NULL,
    "environmentId" TEXT NOT NULL,
    "included" JSONB NOT NULL DEFAULT '[]',
    "excluded" JSONB NOT NULL DEFAULT '[]',
    "rules" JSONB NOT NULL DEFAULT '[]',
    "version" INTEGER NOT NULL DEFAULT 1,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedById" TEXT,

    CONSTRAINT "segment_environment_configs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "segment_config_revisions" (
    "id" TEXT NOT NULL,
    "segmentId" TEXT NOT NULL,
    "environmentId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "included" JSONB NOT NULL,
    "excluded" JSONB NOT NULL,
    "rules" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorType" "actor_type" NOT NULL DEFAULT 'user',
    "actorId" TEXT,
    "actorLabel" TEXT NOT NULL,
    "changeRequestId" TEXT,
    "auditEventId" BIGINT,

    CONSTRAINT "segment_config_revisions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "attributes" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "type" "attribute_type" NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "allowedValues" JSONB,
    "sensitivity" "attribute_sensitivity" NOT NULL DEFAULT 'public',
    "dashboardDimension" BOOLEAN NOT NULL DEFAULT false,
    "verifiedSource" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "attributes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "change_requests" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "environmentId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "status" "change_request_status" NOT NULL DEFAULT 'draft',
    "revision" INTEGER NOT NULL DEFAULT 1,
    "authorId" TEXT,
    "authorType" "actor_type" NOT NULL DEFAULT 'user',
    "authorLabel" TEXT NOT NULL,
    "scheduledFor" TIMESTAMPTZ(3),
    "scheduledById" TEXT,
    "appliedAt" TIMESTAMPTZ(3),
    "appliedById" TEXT,
    "conflict" JSONB,
    "source" TEXT NOT NULL DEFAULT 'console',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "change_requests_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "change_request_items" (
    "id" TEXT NOT NULL,
    "changeRequestId" TEXT NOT NULL,
    "entityType" "change_entity_type" NOT NULL,
    "entityId" TEXT NOT NULL,
    "entityKey" TEXT NOT NULL,
    "baseVersion" INTEGER NOT NULL,
    "proposed" JSONB NOT NULL,
    "diff" JSONB NOT NULL,
    "position" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "change_request_items_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "change_request_reviews" (
    "id" TEXT NOT NULL,
    "changeRequestId" TEXT NOT NULL,
    "reviewerId" TEXT NOT NULL,
    "decision" "review_decision" NOT NULL,
    "revision" INTEGER NOT NULL,
    "body" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "change_request_reviews_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "change_request_comments" (
    "id" TEXT NOT NULL,
    "changeRequestId" TEXT NOT NULL,
    "authorId" TEXT NOT NULL,
    "parentId" TEXT,
    "anchorItemId" TEXT,
    "anchorRuleId" TEXT,
    "body" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "editedAt" TIMESTAMPTZ(3),

    CONSTRAINT "change_request_comments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "change_request_transitions" (
    "id" TEXT NOT NULL,
    "changeRequestId" TEXT NOT NULL,
    "fromStatus" "change_request_status",
    "toStatus" "change_request_status" NOT NULL,
    "actorType" "actor_type" NOT NULL,
    "actorId" TEXT,
    "actorLabel" TEXT NOT NULL,
    "note" TEXT,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "change_request_transitions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "emergency_overrides" (
    "id" TEXT NOT NULL,
    "flagId" TEXT NOT NULL,
    "environmentId" TEXT NOT NULL,
    "action" "override_action" NOT NULL,
    "variationKey" TEXT,
    "reason" TEXT NOT NULL,
    "fromVersion" INTEGER NOT NULL,
    "toVersion" INTEGER NOT NULL,
    "actorType" "actor_type" NOT NULL DEFAULT 'user',
    "pulledById" TEXT,
    "actorLabel" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "acknowledgedAt" TIMESTAMPTZ(3),
    "acknowledgedById" TEXT,
    "reviewedAt" TIMESTAMPTZ(3),
    "reviewedById" TEXT,
    "reviewNote" TEXT,
    "changeRequestId" TEXT,
    "auditEventId" BIGINT,

    CONSTRAINT "emergency_overrides_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_events" (
    "id" BIGSERIAL NOT NULL,
    "projectId" TEXT,
    "environmentId" TEXT,
    "actorType" "actor_type" NOT NULL,
    "actorId" TEXT,
    "actorLabel" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "entityType" TEXT NOT NULL,
    "entityKey" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB,
    "diff" JSONB,
    "reason" TEXT,
    "changeRequestId" TEXT,
    "requestMeta" JSONB,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rollout_plans" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "flagId" TEXT NOT NULL,
    "environmentId" TEXT NOT NULL,
    "templateId" TEXT,
    "ruleId" TEXT,
    "variationKey" TEXT NOT NULL,
    "controlVariationKey" TEXT NOT NULL,
    "status" "rollout_status" NOT NULL DEFAULT 'draft',
    "currentStageIndex" INTEGER NOT NULL DEFAULT -1,
    "breachAction" "rollout_breach_action" NOT NULL DEFAULT 'halt',
    "cohortScopedAction" BOOLEAN NOT NULL DEFAULT false,
    "riskLevel" "rollout_risk_level" NOT NULL DEFAULT 'medium',
    "successCriteria" JSONB NOT NULL DEFAULT '[]',
    "baseConfig" JSONB,
    "baseConfigVersion" INTEGER,
    "haltDetails" JSONB,
    "startedAt" TIMESTAMPTZ(3),
    "completedAt" TIMESTAMPTZ(3),
    "lastTickAt" TIMESTAMPTZ(3),
    "createdById" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "rollout_plans_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rollout_stages" (
    "id" TEXT NOT NULL,
    "planId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "percent" INTEGER NOT NULL,
    "minDurationMinutes" INTEGER NOT NULL DEFAULT 0,
    "requiresApproval" BOOLEAN NOT NULL DEFAULT false,
    "startedAt" TIMESTAMPTZ(3),
    "completedAt" TIMESTAMPTZ(3),
    "approvedAt" TIMESTAMPTZ(3),
    "approvedById" TEXT,
    "changeRequestId" TEXT,

    CONSTRAINT "rollout_stages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rollout_templates" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "stages" JSONB NOT NULL,
    "guardrails" JSONB NOT NULL DEFAULT '[]',
    "breachAction" "rollout_breach_action" NOT NULL DEFAULT 'halt',
    "createdById" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "rollout_templates_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rollout_guardrails" (
    "id" TEXT NOT NULL,
    "planId" TEXT NOT NULL,
    "metricId" TEXT NOT NULL,
    "kind" "guardrail_kind" NOT NULL,
    "threshold" DOUBLE PRECISION NOT NULL,
    "confidence" DOUBLE PRECISION NOT NULL DEFAULT 0.95,
    "minSamplePerArm" INTEGER NOT NULL DEFAULT 1000,
    "perCohort" BOOLEAN NOT NULL DEFAULT true,
    "lastVerdict" JSONB,
    "lastCheckedAt" TIMESTAMPTZ(3),

    CONSTRAINT "rollout_guardrails_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "post_release_reviews" (
    "id" TEXT NOT NULL,
    "planId" TEXT NOT NULL,
    "status" "post_release_review_status" NOT NULL DEFAULT 'open',
    "outcome" JSONB NOT NULL,
    "notes" TEXT NOT NULL DEFAULT '',
    "openedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closedAt" TIMESTAMPTZ(3),
    "closedById" TEXT,

    CONSTRAINT "post_release_reviews_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "metric_definitions" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "kind" "metric_kind" NOT NULL,
    "goodDirection" "metric_direction" NOT NULL,
    "unit" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "metric_definitions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "exposure_rollups" (
    "environmentId" TEXT NOT NULL,
    "flagKey" TEXT NOT NULL,
    "bucketStart" TIMESTAMPTZ(3) NOT NULL,
    "variationKey" TEXT NOT NULL,
    "dimension" TEXT NOT NULL DEFAULT '',
    "dimensionValue" TEXT NOT NULL DEFAULT '',
    "count" INTEGER NOT NULL DEFAULT 0,
    "uniqueCount" INTEGER NOT NULL DEFAULT 0,
    "uniqueSketch" BYTEA,

    CONSTRAINT "exposure_rollups_pkey" PRIMARY KEY ("environmentId","flagKey","bucketStart","variationKey","dimension","dimensionValue")
);

-- CreateTable
CREATE TABLE "metric_rollups" (
    "environmentId" TEXT NOT NULL,
    "flagKey" TEXT NOT NULL,
    "metricKey" TEXT NOT NULL,
    "bucketStart" TIMESTAMPTZ(3) NOT NULL,
    "variationKey" TEXT NOT NULL,
    "dimension" TEXT NOT NULL DEFAULT '',
    "dimensionValue" TEXT NOT NULL DEFAULT '',
    "count" INTEGER NOT NULL DEFAULT 0,
    "sum" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "sumSquares" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "uniqueCount" INTEGER NOT NULL DEFAULT 0,
    "uniqueSketch" BYTEA,

    CONSTRAINT "metric_rollups_pkey" PRIMARY KEY ("environmentId","flagKey","metricKey","bucketStart","variationKey","dimension","dimensionValue")
);

-- CreateTable
CREATE TABLE "exposure_events" (
    "id" BIGSERIAL NOT NULL,
    "environmentId" TEXT NOT NULL,
    "flagKey" TEXT NOT NULL,
    "variationKey" TEXT NOT NULL,
    "contextKey" TEXT NOT NULL,
    "attributes" JSONB NOT NULL DEFAULT '{}',
    "configVersion" INTEGER,
    "timestamp" TIMESTAMPTZ(3) NOT NULL,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "exposure_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhooks" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "secret" TEXT NOT NULL,
    "events" TEXT[],
    "format" "webhook_format" NOT NULL DEFAULT 'json',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "timeoutMs" INTEGER NOT NULL DEFAULT 5000,
    "maxAttempts" INTEGER NOT NULL DEFAULT 6,
    "createdById" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhooks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_deliveries" (
    "id" TEXT NOT NULL,
    "webhookId" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" "webhook_delivery_status" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMPTZ(3) DEFAULT CURRENT_TIMESTAMP,
    "lastAttemptAt" TIMESTAMPTZ(3),
    "responseStatus" INTEGER,
    "responseBody" TEXT,
    "error" TEXT,
    "durationMs" INTEGER,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deliveredAt" TIMESTAMPTZ(3),

    CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notifications" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "projectId" TEXT,
    "type" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL DEFAULT '',
    "link" TEXT,
    "data" JSONB,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "readAt" TIMESTAMPTZ(3),

    CONSTRAINT "notifications_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "share_links" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "flagId" TEXT,
    "environmentId" TEXT,
    "scope" TEXT NOT NULL,
    "label" TEXT NOT NULL DEFAULT '',
    "createdById" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "revokedAt" TIMESTAMPTZ(3),
    "lastUsedAt" TIMESTAMPTZ(3),

    CONSTRAINT "share_links_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE UNIQUE INDEX "users_oidcIssuer_oidcSubject_key" ON "users"("oidcIssuer", "oidcSubject");

-- CreateIndex
CREATE UNIQUE INDEX "projects_key_key" ON "projects"("key");

-- CreateIndex
CREATE UNIQUE INDEX "environments_projectId_key_key" ON "environments"("projectId", "key");

-- CreateIndex
CREATE INDEX "memberships_projectId_role_idx" ON "memberships"("projectId", "role");

-- CreateIndex
CREATE UNIQUE INDEX "memberships_userId_projectId_key" ON "memberships"("userId", "projectId");

-- CreateIndex
CREATE UNIQUE INDEX "api_tokens_tokenHash_key" ON "api_tokens"("tokenHash");

-- CreateIndex
CREATE INDEX "api_tokens_userId_idx" ON "api_tokens"("userId");

-- CreateIndex
CREATE INDEX "api_tokens_projectId_idx" ON "api_tokens"("projectId");

-- CreateIndex
CREATE UNIQUE INDEX "sdk_keys_keyHash_key" ON "sdk_keys"("keyHash");

-- CreateIndex
CREATE INDEX "sdk_keys_environmentId_idx" ON "sdk_keys"("environmentId");

-- CreateIndex
CREATE INDEX "sdk_keys_projectId_idx" ON "sdk_keys"("projectId");

-- CreateIndex
CREATE INDEX "sign_in_attempts_email_createdAt_idx" ON "sign_in_attempts"("email", "createdAt");

-- CreateIndex
CREATE INDEX "sign_in_attempts_ip_createdAt_idx" ON "sign_in_attempts"("ip", "createdAt");

-- CreateIndex
CREATE INDEX "sign_in_attempts_createdAt_idx" ON "sign_in_attempts"("createdAt");

-- CreateIndex
CREATE INDEX "flags_projectId_lifecycle_idx" ON "flags"("projectId", "lifecycle");

-- CreateIndex
CREATE INDEX "flags_ownerId_idx" ON "flags"("ownerId");

-- CreateIndex
CREATE INDEX "flags_expiresAt_idx" ON "flags"("expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "flags_projectId_key_key" ON "flags"("projectId", "key");

-- CreateIndex
CREATE INDEX "flag_environment_configs_environmentId_idx" ON "flag_environment_configs"("environmentId");

-- CreateIndex
CREATE UNIQUE INDEX "flag_environment_configs_flagId_environmentId_key" ON "flag_environment_configs"("flagId", "environmentId");

-- CreateIndex
CREATE INDEX "flag_config_revisions_flagId_environmentId_createdAt_idx" ON "flag_config_revisions"("flagId", "environmentId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "flag_config_revisions_flagId_environmentId_version_key" ON "flag_config_revisions"("flagId", "environmentId", "version");

-- CreateIndex
CREATE UNIQUE INDEX "segments_projectId_key_key" ON "segments"("projectId", "key");

-- CreateIndex
CREATE INDEX "segment_environment_configs_environmentId_idx" ON "segment_environment_configs"("environmentId");

-- CreateIndex
CREATE UNIQUE INDEX "segment_environment_configs_segmentId_environmentId_key" ON "segment_environment_configs"("segmentId", "environmentId");

-- CreateIndex
CREATE INDEX "segment_config_revisions_segmentId_environmentId_createdAt_idx" ON "segment_config_revisions"("segmentId", "environmentId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "segment_config_revisions_segmentId_environmentId_version_key" ON "segment_config_revisions"("segmentId", "environmentId", "version");

-- CreateIndex
CREATE UNIQUE INDEX "attributes_projectId_key_key" ON "attributes"("projectId", "key");

-- CreateIndex
CREATE INDEX "change_requests_projectId_environmentId_status_idx" ON "change_requests"("projectId", "environmentId", "status");

-- CreateIndex
CREATE INDEX "change_requests_authorId_status_idx" ON "change_requests"("authorId", "status");

-- CreateIndex
CREATE INDEX "change_requests_status_scheduledFor_idx" ON "change_requests"("status", "scheduledFor");

-- CreateIndex
CREATE UNIQUE INDEX "change_requests_projectId_number_key" ON "change_requests"("projectId", "number");

-- CreateIndex
CREATE INDEX "change_request_items_entityType_entityId_idx" ON "change_request_items"("entityType", "entityId");

-- CreateIndex
CREATE UNIQUE INDEX "change_request_items_changeRequestId_entityType_entityId_key" ON "change_request_items"("changeRequestId", "entityType", "entityId");

-- CreateIndex
CREATE INDEX "change_request_reviews_changeRequestId_revision_idx" ON "change_request_reviews"("changeRequestId", "revision");

-- CreateIndex
CREATE INDEX "change_request_reviews_reviewerId_idx" ON "change_request_reviews"("reviewerId");

-- CreateIndex
CREATE INDEX "change_request_comments_changeRequestId_createdAt_idx" ON "change_request_comments"("changeRequestId", "createdAt");

-- CreateIndex
CREATE INDEX "change_request_transitions_changeRequestId_at_idx" ON "change_request_transitions"("changeRequestId", "at");

-- CreateIndex
CREATE INDEX "emergency_overrides_flagId_environmentId_createdAt_idx" ON "emergency_overrides"("flagId", "environmentId", "createdAt");

-- CreateIndex
CREATE INDEX "emergency_overrides_environmentId_reviewedAt_idx" ON "emergency_overrides"("environmentId", "reviewedAt");

-- CreateIndex
CREATE UNIQUE INDEX "audit_events_hash_key" ON "audit_events"("hash");

-- CreateIndex
CREATE INDEX "audit_events_projectId_createdAt_idx" ON "audit_events"("projectId", "createdAt");

-- CreateIndex
CREATE INDEX "audit_events_entityType_entityKey_idx" ON "audit_events"("entityType", "entityKey");

-- CreateIndex
CREATE INDEX "audit_events_projectId_action_createdAt_idx" ON "audit_events"("projectId", "action", "createdAt");

-- CreateIndex
CREATE INDEX "audit_events_actorId_createdAt_idx" ON "audit_events"("actorId", "createdAt");

-- CreateIndex
CREATE INDEX "audit_events_changeRequestId_idx" ON "audit_events"("changeRequestId");

-- CreateIndex
CREATE INDEX "rollout_plans_flagId_environmentId_idx" ON "rollout_plans"("flagId", "environmentId");

-- CreateIndex
CREATE INDEX "rollout_plans_status_idx" ON "rollout_plans"("status");

-- CreateIndex
CREATE INDEX "rollout_plans_projectId_status_idx" ON "rollout_plans"("projectId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "rollout_stages_planId_position_key" ON "rollout_stages"("planId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "rollout_templates_projectId_key_key" ON "rollout_templates"("projectId", "key");

-- CreateIndex
CREATE INDEX "rollout_guardrails_planId_idx" ON "rollout_guardrails"("planId");

-- CreateIndex
CREATE INDEX "rollout_guardrails_metricId_idx" ON "rollout_guardrails"("metricId");

-- CreateIndex
CREATE UNIQUE INDEX "post_release_reviews_planId_key" ON "post_release_reviews"("planId");

-- CreateIndex
CREATE INDEX "post_release_reviews_status_idx" ON "post_release_reviews"("status");

-- CreateIndex
CREATE UNIQUE INDEX "metric_definitions_projectId_key_key" ON "metric_definitions"("projectId", "key");

-- CreateIndex
CREATE INDEX "exposure_rollups_environmentId_bucketStart_idx" ON "exposure_rollups"("environmentId", "bucketStart");

-- CreateIndex
CREATE INDEX "metric_rollups_environmentId_bucketStart_idx" ON "metric_rollups"("environmentId", "bucketStart");

-- CreateIndex
CREATE INDEX "metric_rollups_environmentId_metricKey_bucketStart_idx" ON "metric_rollups"("environmentId", "metricKey", "bucketStart");

-- CreateIndex
CREATE INDEX "exposure_events_environmentId_contextKey_timestamp_idx" ON "exposure_events"("environmentId", "contextKey", "timestamp");

-- CreateIndex
CREATE INDEX "exposure_events_timestamp_idx" ON "exposure_events"("timestamp");

-- CreateIndex
CREATE INDEX "webhooks_projectId_idx" ON "webhooks"("projectId");

-- CreateIndex
CREATE INDEX "webhook_deliveries_status_nextAttemptAt_idx" ON "webhook_deliveries"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "webhook_deliveries_webhookId_createdAt_idx" ON "webhook_deliveries"("webhookId", "createdAt");

-- CreateIndex
CREATE INDEX "notifications_userId_readAt_createdAt_idx" ON "notifications"("userId", "readAt", "createdAt");

-- CreateIndex
CREATE INDEX "share_links_projectId_idx" ON "share_links"("projectId");

-- AddForeignKey
ALTER TABLE "environments" ADD CONSTRAINT "environments_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sdk_keys" ADD CONSTRAINT "sdk_keys_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sdk_keys" ADD CONSTRAINT "sdk_keys_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "environments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sdk_keys" ADD CONSTRAINT "sdk_keys_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "flags" ADD CONSTRAINT "flags_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "flags" ADD CONSTRAINT "flags_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "flags" ADD CONSTRAINT "flags_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "flag_environment_configs" ADD CONSTRAINT "flag_environment_configs_flagId_fkey" FOREIGN KEY ("flagId") REFERENCES "flags"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "flag_environment_configs" ADD CONSTRAINT "flag_environment_configs_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "environments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "flag_environment_configs" ADD CONSTRAINT "flag_environment_configs_updatedById_fkey" FOREIGN KEY ("updatedById") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "flag_config_revisions" ADD CONSTRAINT "flag_config_revisions_flagId_fkey" FOREIGN KEY ("flagId") REFERENCES "flags"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "flag_config_revisions" ADD CONSTRAINT "flag_config_revisions_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "environments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "segments" ADD CONSTRAINT "segments_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "segments" ADD CONSTRAINT "segments_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "segments" ADD CONSTRAINT "segments_lastReviewedById_fkey" FOREIGN KEY ("lastReviewedById") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "segment_environment_configs" ADD CONSTRAINT "segment_environment_configs_segmentId_fkey" FOREIGN KEY ("segmentId") REFERENCES "segments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "segment_environment_configs" ADD CONSTRAINT "segment_environment_configs_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "environments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "segment_environment_configs" ADD CONSTRAINT "segment_environment_configs_updatedById_fkey" FOREIGN KEY ("updatedById") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "segment_config_revisions" ADD CONSTRAINT "segment_config_revisions_segmentId_fkey" FOREIGN KEY ("segmentId") REFERENCES "segments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "segment_config_revisions" ADD CONSTRAINT "segment_config_revisions_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "environments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "attributes" ADD CONSTRAINT "attributes_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "change_requests" ADD CONSTRAINT "change_requests_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "change_requests" ADD CONSTRAINT "change_requests_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "environments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "change_requests" ADD CONSTRAINT "change_requests_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "change_requests" ADD CONSTRAINT "change_requests_scheduledById_fkey" FOREIGN KEY ("scheduledById") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "change_requests" ADD CONSTRAINT "change_requests_appliedById_fkey" FOREIGN KEY ("appliedById") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "change_request_items" ADD CONSTRAINT "change_request_items_changeRequestId_fkey" FOREIGN KEY ("changeRequestId") REFERENCES "change_requests"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "change_request_reviews" ADD CONSTRAINT "change_request_reviews_changeRequestId_fkey" FOREIGN KEY ("changeRequestId") REFERENCES "change_requests"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "change_request_reviews" ADD CONSTRAINT "change_request_reviews_reviewerId_fkey" FOREIGN KEY ("reviewerId") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "change_request_comments" ADD CONSTRAINT "change_request_comments_changeRequestId_fkey" FOREIGN KEY ("changeRequestId") REFERENCES "change_requests"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "change_request_comments" ADD CONSTRAINT "change_request_comments_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "change_request_comments" ADD CONSTRAINT "change_request_comments_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "change_request_comments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "change_request_transitions" ADD CONSTRAINT "change_request_transitions_changeRequestId_fkey" FOREIGN KEY ("changeRequestId") REFERENCES "change_requests"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "emergency_overrides" ADD CONSTRAINT "emergency_overrides_flagId_fkey" FOREIGN KEY ("flagId") REFERENCES "flags"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "emergency_overrides" ADD CONSTRAINT "emergency_overrides_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "environments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "emergency_overrides" ADD CONSTRAINT "emergency_overrides_pulledById_fkey" FOREIGN KEY ("pulledById") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "emergency_overrides" ADD CONSTRAINT "emergency_overrides_acknowledgedById_fkey" FOREIGN KEY ("acknowledgedById") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "emergency_overrides" ADD CONSTRAINT "emergency_overrides_reviewedById_fkey" FOREIGN KEY ("reviewedById") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "emergency_overrides" ADD CONSTRAINT "emergency_overrides_changeRequestId_fkey" FOREIGN KEY ("changeRequestId") REFERENCES "change_requests"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rollout_plans" ADD CONSTRAINT "rollout_plans_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rollout_plans" ADD CONSTRAINT "rollout_plans_flagId_fkey" FOREIGN KEY ("flagId") REFERENCES "flags"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rollout_plans" ADD CONSTRAINT "rollout_plans_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "environments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rollout_plans" ADD CONSTRAINT "rollout_plans_templateId_fkey" FOREIGN KEY ("templateId") REFERENCES "rollout_templates"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rollout_plans" ADD CONSTRAINT "rollout_plans_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rollout_stages" ADD CONSTRAINT "rollout_stages_planId_fkey" FOREIGN KEY ("planId") REFERENCES "rollout_plans"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rollout_stages" ADD CONSTRAINT "rollout_stages_approvedById_fkey" FOREIGN KEY ("approvedById") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rollout_stages" ADD CONSTRAINT "rollout_stages_changeRequestId_fkey" FOREIGN KEY ("changeRequestId") REFERENCES "change_requests"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rollout_templates" ADD CONSTRAINT "rollout_templates_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rollout_templates" ADD CONSTRAINT "rollout_templates_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rollout_guardrails" ADD CONSTRAINT "rollout_guardrails_planId_fkey" FOREIGN KEY ("planId") REFERENCES "rollout_plans"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rollout_guardrails" ADD CONSTRAINT "rollout_guardrails_metricId_fkey" FOREIGN KEY ("metricId") REFERENCES "metric_definitions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "post_release_reviews" ADD CONSTRAINT "post_release_reviews_planId_fkey" FOREIGN KEY ("planId") REFERENCES "rollout_plans"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "post_release_reviews" ADD CONSTRAINT "post_release_reviews_closedById_fkey" FOREIGN KEY ("closedById") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "metric_definitions" ADD CONSTRAINT "metric_definitions_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "exposure_rollups" ADD CONSTRAINT "exposure_rollups_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "environments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "metric_rollups" ADD CONSTRAINT "metric_rollups_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "environments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "exposure_events" ADD CONSTRAINT "exposure_events_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "environments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhooks" ADD CONSTRAINT "webhooks_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhooks" ADD CONSTRAINT "webhooks_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_webhookId_fkey" FOREIGN KEY ("webhookId") REFERENCES "webhooks"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "share_links" ADD CONSTRAINT "share_links_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "share_links" ADD CONSTRAINT "share_links_flagId_fkey" FOREIGN KEY ("flagId") REFERENCES "flags"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "share_links" ADD CONSTRAINT "share_links_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "environments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "share_links" ADD CONSTRAINT "share_links_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
