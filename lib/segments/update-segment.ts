import { isDeepStrictEqual } from "node:util";
import type { ProjectAccess } from "@/lib/auth/access";
import { auditActorFields } from "@/lib/audit/audit-actor";
import { findMemberByEmail } from "@/lib/data/memberships";
import { updateSegmentDefinition } from "@/lib/data/segments";
import { fieldsInvalid } from "@/lib/errors";
import type { UpdateSegmentBody } from "@/lib/schemas/segment";
import { getSegmentOrThrow } from "./get-segment-or-throw";
import { readSegment } from "./read-segment";

/** Name, description, owner and tags. The key never changes; membership is per environment (PUT). */
export async function updateSegment(access: ProjectAccess, key: string, body: UpdateSegmentBody) {
  const { project } = access;
  const segment = await getSegmentOrThrow(project.id, key);
  const change: { name?: string; description?: string; tags?: string[]; ownerId?: string | null } = {};
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  const set = (field: "name" | "description" | "tags", previous: unknown, next: string | string[]) => {
    if (isDeepStrictEqual(previous, next)) return;
    Object.assign(change, { [field]: next });
    before[field] = previous;
    after[field] = next;
  };
  if (body.name !== undefined) set("name", segment.name, body.name);
  if (body.description !== undefined) set("description", segment.description, body.description);
  if (body.tags !== undefined) set("tags", segment.tags, [...new Set(body.tags)]);
  if (body.ownerEmail !== undefined) {
    const owner = body.ownerEmail === null ? null : await findMemberByEmail(project.id, body.ownerEmail);
    if (body.ownerEmail !== null && !owner) throw fieldsInvalid({ ownerEmail: `No member of ${project.name} has the email ${body.ownerEmail}.` });
    if ((owner?.id ?? null) !== segment.ownerId) {
      change.ownerId = owner?.id ?? null;
      before.owner = segment.owner?.email ?? null;
      after.owner = owner?.email ?? null;
    }
  }
  if (Object.keys(change).length > 0) {
    await updateSegmentDefinition({ projectId: project.id, segmentId: segment.id, segmentKey: segment.key, change, before, after, audit: auditActorFields(access.actor) });
  }
  return readSegment(access, key);
}
