import { isStorableText } from "@/lib/schemas/events";

/** What may be stored of an attribute: a primitive or a list of primitives. */
export type StoredAttributeValue = string | number | boolean | (string | number | boolean)[];
export type StoredAttributes = Record<string, StoredAttributeValue>;

function storable(value: unknown): value is StoredAttributeValue {
  if (typeof value === "string") return isStorableText(value);
  if (typeof value === "number" || typeof value === "boolean") return true;
  return Array.isArray(value) && value.every((item) => typeof item !== "object" && storable(item));
}

/**
 * The attributes an event may keep: only those the catalog marks public. Private and forbidden
 * attributes are removed, and so are attributes the catalog does not know — their sensitivity is
 * unknown, so storing them could leak what nobody has classified (an uncatalogued `email`). Values
 * PostgreSQL cannot store (objects, null, NUL characters) are removed too. `stripped` counts every
 * removed entry.
 */
export function stripAttributes(
  attributes: Record<string, unknown> | undefined,
  publicKeys: ReadonlySet<string>,
): { kept: StoredAttributes; stripped: number } {
  const kept: StoredAttributes = {};
  let stripped = 0;
  if (!attributes) return { kept, stripped };
  for (const [key, value] of Object.entries(attributes)) {
    if (publicKeys.has(key) && storable(value)) kept[key] = value;
    else stripped += 1;
  }
  return { kept, stripped };
}
