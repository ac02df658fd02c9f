-- DropIndex
DROP INDEX "audit_events_projectId_createdAt_idx";

-- CreateIndex
CREATE INDEX "audit_events_projectId_id_idx" ON "audit_events"("projectId", "id");

-- CreateIndex
CREATE INDEX "audit_events_projectId_createdAt_id_idx" ON "audit_events"("projectId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "audit_events_projectId_actorLabel_id_idx" ON "audit_events"("projectId", "actorLabel", "id");

-- CreateIndex
CREATE INDEX "audit_events_projectId_entityType_entityKey_id_idx" ON "audit_events"("projectId", "entityType", "entityKey", "id");

-- CreateIndex
CREATE INDEX "audit_events_projectId_action_id_idx" ON "audit_events"("projectId", "action", "id");

-- CreateIndex
CREATE INDEX "audit_events_projectId_environmentId_id_idx" ON "audit_events"("projectId", "environmentId", "id");
