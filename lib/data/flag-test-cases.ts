import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { AuditStamp } from "@/lib/audit/audit-actor";
import { getPrisma, type Prisma } from "@/lib/db";

/** Test cases of a flag, by name. */
export function listFlagTestCases(flagId: string) {
  return getPrisma().flagTestCase.findMany({ where: { flagId }, orderBy: { name: "asc" } });
}

export type FlagTestCaseRow = Awaited<ReturnType<typeof listFlagTestCases>>[number];

export interface TestCaseWrite {
  projectId: string;
  flagId: string;
  flagKey: string;
  name: string;
  description: string;
  context: Prisma.InputJsonValue;
  expected: Prisma.InputJsonValue;
  updatedById: string | null;
  audit: AuditStamp;
}

const snapshotOf = (row: { name: string; description: string; context: unknown; expected: unknown }) => ({
  name: row.name,
  description: row.description,
  context: row.context,
  expected: row.expected,
});

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "P2002";
}

/** Inserts a test case and its audit entry; null when the flag already has one by that name. */
export async function insertFlagTestCase(input: TestCaseWrite) {
  try {
    return await getPrisma().$transaction(async (tx) => {
      const row = await tx.flagTestCase.create({
        data: { flagId: input.flagId, name: input.name, description: input.description, context: input.context, expected: input.expected, updatedById: input.updatedById },
      });
      await appendAuditEvent(tx, {
        ...input.audit,
        projectId: input.projectId,
        action: "flag_test_case.created",
        entityType: "flag",
        entityKey: input.flagKey,
        after: snapshotOf(row),
      });
      return row;
    });
  } catch (error) {
    if (isUniqueViolation(error)) return null;
    throw error;
  }
}

/** Updates a test case of this flag; "missing" or "duplicate" when it cannot. */
export async function updateFlagTestCase(id: string, input: TestCaseWrite) {
  try {
    return await getPrisma().$transaction(async (tx) => {
      const before = await tx.flagTestCase.findFirst({ where: { id, flagId: input.flagId } });
      if (!before) return "missing" as const;
      const row = await tx.flagTestCase.update({
        where: { id },
        data: { name: input.name, description: input.description, context: input.context, expected: input.expected, updatedById: input.updatedById },
      });
      await appendAuditEvent(tx, {
        ...input.audit,
        projectId: input.projectId,
        action: "flag_test_case.updated",
        entityType: "flag",
        entityKey: input.flagKey,
        before: snapshotOf(before),
        after: snapshotOf(row),
      });
      return row;
    });
  } catch (error) {
    if (isUniqueViolation(error)) return "duplicate" as const;
    throw error;
  }
}

export function deleteFlagTestCase(id: string, input: { projectId: string; flagId: string; flagKey: string; audit: AuditStamp }) {
  return getPrisma().$transaction(async (tx) => {
    const before = await tx.flagTestCase.findFirst({ where: { id, flagId: input.flagId } });
    if (!before) return false;
    await tx.flagTestCase.delete({ where: { id } });
    await appendAuditEvent(tx, {
      ...input.audit,
      projectId: input.projectId,
      action: "flag_test_case.deleted",
      entityType: "flag",
      entityKey: input.flagKey,
      before: snapshotOf(before),
    });
    return true;
  });
}
