import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { AuditStamp } from "@/lib/audit/audit-actor";
import { getPrisma, Prisma } from "@/lib/db";
import type { AttributeSensitivity, AttributeType, ClauseValue } from "@/lib/evaluation/types";

export interface AttributeRecord {
  key: string;
  type: AttributeType;
  description: string;
  allowedValues: ClauseValue[];
  sensitivity: AttributeSensitivity;
  dashboardDimension: boolean;
  verifiedSource: string;
}

type AttributeRow = Awaited<ReturnType<typeof findAttribute>>;

function record(row: NonNullable<AttributeRow>): AttributeRecord & { id: string; updatedAt: Date } {
  return {
    id: row.id,
    key: row.key,
    type: row.type,
    description: row.description,
    allowedValues: (row.allowedValues as ClauseValue[] | null) ?? [],
    sensitivity: row.sensitivity,
    dashboardDimension: row.dashboardDimension,
    verifiedSource: row.verifiedSource ?? "",
    updatedAt: row.updatedAt,
  };
}

function findAttribute(projectId: string, key: string) {
  return getPrisma().attribute.findUnique({ where: { projectId_key: { projectId, key } } });
}

/** The project's attribute catalog, by key. */
export async function listAttributes(projectId: string) {
  const rows = await getPrisma().attribute.findMany({ where: { projectId }, orderBy: { key: "asc" } });
  return rows.map(record);
}

export async function findAttributeByKey(projectId: string, key: string) {
  const row = await findAttribute(projectId, key);
  return row ? record(row) : null;
}

const columns = (attribute: AttributeRecord) => ({
  type: attribute.type,
  description: attribute.description,
  // An empty list is stored as null: "any value".
  allowedValues: attribute.allowedValues.length ? (attribute.allowedValues as Prisma.InputJsonValue) : Prisma.DbNull,
  sensitivity: attribute.sensitivity,
  dashboardDimension: attribute.dashboardDimension,
  verifiedSource: attribute.verifiedSource || null,
});

/** Adds an attribute with its audit entry. Throws a unique violation when the key is taken. */
export function insertAttribute(projectId: string, attribute: AttributeRecord, audit: AuditStamp) {
  return getPrisma().$transaction(async (tx) => {
    await tx.attribute.create({ data: { projectId, key: attribute.key, ...columns(attribute) } });
    await appendAuditEvent(tx, { ...audit, projectId, action: "attribute.created", entityType: "attribute", entityKey: attribute.key, after: { ...attribute } });
  });
}

/**
 * Replaces an attribute's fields if it has not changed since `expectedUpdatedAt` (false
 * otherwise), with an audit entry of the fields that changed.
 */
export function updateAttributeRow(input: {
  projectId: string;
  key: string;
  expectedUpdatedAt: Date;
  next: AttributeRecord;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
  audit: AuditStamp;
}): Promise<boolean> {
  return getPrisma().$transaction(async (tx) => {
    const { count } = await tx.attribute.updateMany({
      where: { projectId: input.projectId, key: input.key, updatedAt: input.expectedUpdatedAt },
      data: { ...columns(input.next), updatedAt: new Date() },
    });
    if (count === 0) return false;
    await appendAuditEvent(tx, {
      ...input.audit,
      projectId: input.projectId,
      action: "attribute.updated",
      entityType: "attribute",
      entityKey: input.key,
      before: input.before,
      after: input.after,
    });
    return true;
  });
}

/** Removes an attribute with an audit entry of what it was. False when it was already gone. */
export function deleteAttributeRow(projectId: string, before: AttributeRecord, audit: AuditStamp): Promise<boolean> {
  return getPrisma().$transaction(async (tx) => {
    const { count } = await tx.attribute.deleteMany({ where: { projectId, key: before.key } });
    if (count === 0) return false;
    await appendAuditEvent(tx, { ...audit, projectId, action: "attribute.deleted", entityType: "attribute", entityKey: before.key, before: { ...before } });
    return true;
  });
}
