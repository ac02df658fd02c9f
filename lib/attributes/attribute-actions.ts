import { defineProjectAction } from "@/lib/actions/define-action";
import { createAttributeSchema, deleteAttributeSchema, updateAttributeSchema } from "@/lib/schemas/attribute";
import { createAttribute, deleteAttribute, updateAttribute } from "./manage-attributes";

/** Settings → Attributes. The catalog decides what targeting may use: admins only. */

export const createAttributeDefinition = defineProjectAction({
  name: "createAttribute",
  schema: createAttributeSchema,
  permission: "attributes:write",
  handler: (data, access) => createAttribute(access, data),
});

export const updateAttributeDefinition = defineProjectAction({
  name: "updateAttribute",
  schema: updateAttributeSchema,
  permission: "attributes:write",
  handler: (data, access) => updateAttribute(access, data),
});

export const deleteAttributeDefinition = defineProjectAction({
  name: "deleteAttribute",
  schema: deleteAttributeSchema,
  permission: "attributes:write",
  handler: (data, access) => deleteAttribute(access, data.key),
});
