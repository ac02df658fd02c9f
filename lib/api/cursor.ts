import { fieldsInvalid } from "@/lib/errors";

/**
 * Keyset-pagination cursors: the sort key of a page's last row (and, for lists sorted by
 * something other than the key, its sort value), base64url-encoded so clients treat it as
 * opaque (and keys with any characters survive query strings).
 */
export function encodeCursor(lastKey: string, sortValue?: string): string {
  return Buffer.from(JSON.stringify(sortValue === undefined ? { k: lastKey } : { k: lastKey, v: sortValue }), "utf8").toString("base64url");
}

/** The position a cursor names: the last row's key and, when the list was sorted by another value, that value. */
export function decodeCursorPosition(cursor: string): { key: string; value?: string } {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (parsed && typeof parsed === "object" && typeof (parsed as { k?: unknown }).k === "string") {
      const { k, v } = parsed as { k: string; v?: unknown };
      return typeof v === "string" ? { key: k, value: v } : { key: k };
    }
  } catch {
    // falls through to the error below
  }
  throw fieldsInvalid({ cursor: "This cursor is not one this API handed out; start again without it." });
}

export function decodeCursor(cursor: string): string {
  return decodeCursorPosition(cursor).key;
}
