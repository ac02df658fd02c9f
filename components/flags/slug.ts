/** A flag key suggested from its name: "New Search (v2)!" → "new-search-v2". */
export function slugFromName(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 100)
    .replace(/-+$/, "");
}

/** Keys the console cannot show at /flags/<key> because a page lives there. */
export const RESERVED_CONSOLE_KEYS = new Set(["new"]);
