import type { ProjectAccess } from "@/lib/auth/access";
import { decodeCursor, encodeCursor } from "@/lib/api/cursor";
import { listFlagsPage } from "@/lib/data/flags";
import type { ListFlagsQuery } from "@/lib/schemas/flag";
import { flagJson } from "./flag-json";

/** A page of flag definitions in key order, filtered on the server. */
export async function listFlags(access: ProjectAccess, query: ListFlagsQuery) {
  const afterKey = query.cursor ? decodeCursor(query.cursor) : undefined;
  const { rows, hasMore } = await listFlagsPage(
    access.project.id,
    { query: query.query || undefined, kind: query.kind, tag: query.tag, lifecycle: query.lifecycle, ownerEmail: query.owner },
    afterKey,
    query.limit,
  );
  return { flags: rows.map(flagJson), nextCursor: hasMore && rows.length > 0 ? encodeCursor(rows[rows.length - 1].key) : null };
}
