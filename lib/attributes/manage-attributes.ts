import { isDeepStrictEqual } from "node:util";
import type { ProjectAccess } from "@/lib/auth/access";
import { auditActorFields } from "@/lib/audit/audit-actor";
import { deleteAttributeRow, findAttributeByKey, insertAttribute, listAttributes, updateAttributeRow, type AttributeRecord } from "@/lib/data/attributes";
import { isUniqueViolation } from "@/lib/data/flags";
import { conflict, notFound } from "@/lib/errors";
import type { CatalogAttribute } from "@/lib/evaluation/types";
import type { CreateAttributeInput, UpdateAttributeInput } from "@/lib/schemas/attribute";
import { checkCatalogChange, type BrokenRule } from "./check-catalog-change";

export type { BrokenRule };

/** The catalog as the console shows it. */
export async function listAttributeCatalog(access: ProjectAccess): Promise<AttributeRecord[]> {
  return (await listAttributes(access.project.id)).map(({ id: _id, updatedAt: _updatedAt, ...attribute }) => attribute);
}

function fields(input: CreateAttributeInput | UpdateAttributeInput): AttributeRecord {
  return {
    key: input.key,
    type: input.type,
    description: input.description,
    allowedValues: input.allowedValues,
    sensitivity: input.sensitivity,
    dashboardDimension: input.dashboardDimension,
    verifiedSource: input.verifiedSource,
  };
}

const catalogEntry = (a: AttributeRecord): CatalogAttribute => ({
  key: a.key,
  type: a.type,
  sensitivity: a.sensitivity,
  ...(a.allowedValues.length ? { allowedValues: a.allowedValues } : {}),
});

function refusal(what: string, key: string, broken: BrokenRule[]) {
  const places = new Set(broken.map((b) => `${b.kind} “${b.key}” (${b.environmentName})`));
  return conflict(
    `${what} “${key}” would break ${broken.length} rule${broken.length === 1 ? "" : "s"} in ${[...places].slice(0, 5).join(", ")}${places.size > 5 ? ` and ${places.size - 5} more` : ""}. Change those rules first.`,
    { brokenRules: broken },
  );
}

export async function createAttribute(access: ProjectAccess, input: CreateAttributeInput): Promise<AttributeRecord> {
  const attribute = fields(input);
  if (await findAttributeByKey(access.project.id, attribute.key)) throw conflict(`The catalog already has “${attribute.key}”.`, { fields: { key: `The catalog already has “${attribute.key}”.` } });
  try {
    await insertAttribute(access.project.id, attribute, auditActorFields(access.actor));
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`“${attribute.key}” was added at the same moment.`);
    throw error;
  }
  return attribute;
}

/**
 * Replaces an attribute's type, description, allowed values, sensitivity, dashboard flag and
 * source note. A change that would make any rule invalid (making the attribute forbidden while
 * rules use it, a type their operators do not fit, removing a value they compare with) is
 * refused with those rules listed, until they are changed. Audited with the fields that changed.
 */
export async function updateAttribute(access: ProjectAccess, input: UpdateAttributeInput): Promise<AttributeRecord> {
  const current = await findAttributeByKey(access.project.id, input.key);
  if (!current) throw notFound(`Attribute “${input.key}”`);
  const { id: _id, updatedAt, ...previous } = current;
  const next = fields(input);
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const name of Object.keys(next) as (keyof AttributeRecord)[]) {
    if (!isDeepStrictEqual(previous[name], next[name])) {
      before[name] = previous[name];
      after[name] = next[name];
    }
  }
  if (Object.keys(after).length === 0) return previous;
  if ("type" in after || "sensitivity" in after || "allowedValues" in after) {
    const broken = await checkCatalogChange(access.project.id, next.key, catalogEntry(next));
    if (broken.length > 0) {
      throw refusal(next.sensitivity === "forbidden" && previous.sensitivity !== "forbidden" ? "Marking as forbidden" : "Changing", next.key, broken);
    }
  }
  const saved = await updateAttributeRow({ projectId: access.project.id, key: next.key, expectedUpdatedAt: updatedAt, next, before, after, audit: auditActorFields(access.actor) });
  if (!saved) throw conflict(`Someone changed “${next.key}” since you opened it. Reload to see their change.`);
  return next;
}

/** Removes an attribute no rule uses any more (rules that use it are listed, as for forbidding). */
export async function deleteAttribute(access: ProjectAccess, key: string): Promise<void> {
  const current = await findAttributeByKey(access.project.id, key);
  if (!current) throw notFound(`Attribute “${key}”`);
  const broken = await checkCatalogChange(access.project.id, key, null);
  if (broken.length > 0) throw refusal("Removing", key, broken);
  const { id: _id, updatedAt: _updatedAt, ...before } = current;
  if (!(await deleteAttributeRow(access.project.id, before, auditActorFields(access.actor)))) throw notFound(`Attribute “${key}”`);
}
