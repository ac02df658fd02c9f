import type { ProjectAccess } from "@/lib/auth/access";
import { actingUserId } from "@/lib/auth/actor";
import { auditActorFields } from "@/lib/audit/audit-actor";
import { listEnvironments } from "@/lib/data/environments";
import { isUniqueViolation } from "@/lib/data/flags";
import { findMemberByEmail } from "@/lib/data/memberships";
import { findSegmentByKey, insertSegment } from "@/lib/data/segments";
import { conflict, fieldsInvalid } from "@/lib/errors";
import type { CreateSegmentBody } from "@/lib/schemas/segment";
import { getSnapshotStore } from "@/lib/snapshots/snapshot-store";
import { readSegment } from "./read-segment";

/** Creates a segment, empty (nobody in it) in every environment. */
export async function createSegment(access: ProjectAccess, body: CreateSegmentBody) {
  const { project } = access;
  const owner = body.ownerEmail ? await findMemberByEmail(project.id, body.ownerEmail) : null;
  if (body.ownerEmail && !owner) throw fieldsInvalid({ ownerEmail: `No member of ${project.name} has the email ${body.ownerEmail}.` });
  if (await findSegmentByKey(project.id, body.key)) throw conflict(`A segment with the key “${body.key}” already exists.`);
  const environments = await listEnvironments(project.id);
  try {
    await insertSegment(
      { projectId: project.id, key: body.key, name: body.name, description: body.description, tags: [...new Set(body.tags)], ownerId: owner?.id ?? null },
      environments.map((e) => e.id),
      actingUserId(access.actor),
      auditActorFields(access.actor),
    );
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`A segment with the key “${body.key}” was created at the same moment.`);
    throw error;
  }
  await Promise.all(environments.map((e) => getSnapshotStore().reload(e.id)));
  return readSegment(access, body.key);
}
