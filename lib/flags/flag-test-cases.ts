import type { ProjectAccess } from "@/lib/auth/access";
import { auditActorFields } from "@/lib/audit/audit-actor";
import { deleteFlagTestCase, insertFlagTestCase, updateFlagTestCase } from "@/lib/data/flag-test-cases";
import { getPrisma, type Prisma } from "@/lib/db";
import { conflict, fieldsInvalid, notFound } from "@/lib/errors";
import type { Variation } from "@/lib/evaluation/types";
import type { TestCaseFields } from "@/lib/schemas/flag-test-case";

/** Test cases of a flag: create, change, delete (fields already parsed with the shared schema). */

async function flagFor(access: ProjectAccess, flagKey: string) {
  const flag = await getPrisma().flag.findUnique({
    where: { projectId_key: { projectId: access.project.id, key: flagKey } },
    select: { id: true, key: true, variations: true },
  });
  if (!flag) throw notFound(`Flag “${flagKey}”`);
  return flag;
}

/** Expectations must name environments of the project and variations of the flag. */
async function checkExpected(access: ProjectAccess, variations: Variation[], expected: Record<string, string>) {
  const environments = await getPrisma().environment.findMany({ where: { projectId: access.project.id }, select: { key: true } });
  const envKeys = new Set(environments.map((e) => e.key));
  const variationKeys = new Set(variations.map((v) => v.key));
  const fields: Record<string, string> = {};
  for (const [env, variation] of Object.entries(expected)) {
    if (!envKeys.has(env)) fields[`expected.${env}`] = `There is no environment “${env}” in this project.`;
    else if (!variationKeys.has(variation)) fields[`expected.${env}`] = `“${variation}” is not one of this flag's variations (${[...variationKeys].join(", ")}).`;
  }
  if (Object.keys(fields).length) throw fieldsInvalid(fields);
}

function write(access: ProjectAccess, flag: { id: string; key: string }, fields: TestCaseFields) {
  return {
    projectId: access.project.id,
    flagId: flag.id,
    flagKey: flag.key,
    name: fields.name,
    description: fields.description,
    context: fields.context as Prisma.InputJsonValue,
    expected: fields.expected,
    updatedById: access.actor.type === "user" ? access.actor.userId : null,
    audit: auditActorFields(access.actor),
  };
}

const duplicate = (name: string) => fieldsInvalid({ name: `This flag already has a test case called “${name}”.` });

export async function createFlagTestCase(access: ProjectAccess, flagKey: string, fields: TestCaseFields) {
  const flag = await flagFor(access, flagKey);
  await checkExpected(access, flag.variations as unknown as Variation[], fields.expected);
  const row = await insertFlagTestCase(write(access, flag, fields));
  if (!row) throw duplicate(fields.name);
  return { id: row.id };
}

export async function changeFlagTestCase(access: ProjectAccess, flagKey: string, testCaseId: string, fields: TestCaseFields) {
  const flag = await flagFor(access, flagKey);
  await checkExpected(access, flag.variations as unknown as Variation[], fields.expected);
  const row = await updateFlagTestCase(testCaseId, write(access, flag, fields));
  if (row === "missing") throw conflict("This test case was deleted meanwhile. Reload to see the current list.");
  if (row === "duplicate") throw duplicate(fields.name);
  return { id: row.id };
}

export async function removeFlagTestCase(access: ProjectAccess, flagKey: string, testCaseId: string) {
  const flag = await flagFor(access, flagKey);
  const removed = await deleteFlagTestCase(testCaseId, { projectId: access.project.id, flagId: flag.id, flagKey: flag.key, audit: auditActorFields(access.actor) });
  if (!removed) throw notFound("The test case");
  return { id: testCaseId };
}
